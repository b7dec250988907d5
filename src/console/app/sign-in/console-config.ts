import type { Role } from '../shell/route-types.ts';
import type { OidcSettings } from './oidc-settings.ts';

/** What GET /console/config.json tells the console about signing in. */
export type SignInConfig = { method: 'demo'; identities: Array<{ subject: string; roles: Role[] }> } | OidcSettings;

export interface ConsoleConfig {
  signIn: SignInConfig;
}

export async function loadConsoleConfig(): Promise<ConsoleConfig> {
  const response = await fetch('/console/config.json', { headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`The console's settings could not be loaded (HTTP ${response.status}).`);
  return (await response.json()) as ConsoleConfig;
}
