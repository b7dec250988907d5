import { SIGNED_OUT_PATH } from './oidc-paths.ts';
import type { OidcSettings } from './oidc-settings.ts';

// What signing out at the provider needs, kept in the tab until the console's session ends. Apart from
// the sign-in itself, so the sign-in page can check it without loading the OpenID Connect client.
const PROVIDER_SIGN_IN_KEY = 'brand-auth.oidc-provider-sign-in';

export interface ProviderSignIn {
  idToken: string;
  endSessionEndpoint: string | null;
  /** When the console's token from this sign-in expires (epoch ms). */
  expiresAt: number;
}

export function keepProviderSignIn(record: ProviderSignIn): void {
  sessionStorage.setItem(PROVIDER_SIGN_IN_KEY, JSON.stringify(record));
}

/** The provider sign-in behind the console's session, removed as it is read. */
export function takeProviderSignIn(): ProviderSignIn | null {
  const stored = sessionStorage.getItem(PROVIDER_SIGN_IN_KEY);
  sessionStorage.removeItem(PROVIDER_SIGN_IN_KEY);
  try {
    const record = JSON.parse(stored ?? 'null') as ProviderSignIn | null;
    return record && typeof record.idToken === 'string' ? record : null;
  } catch {
    return null;
  }
}

/** RP-initiated logout: the provider ends its own session too and sends the browser back to the console. */
export function endSessionUrl(settings: OidcSettings, record: ProviderSignIn): string | null {
  if (!record.endSessionEndpoint || !settings.clientId) return null;
  const url = new URL(record.endSessionEndpoint);
  url.searchParams.set('id_token_hint', record.idToken);
  url.searchParams.set('client_id', settings.clientId);
  url.searchParams.set('post_logout_redirect_uri', `${window.location.origin}${SIGNED_OUT_PATH}`);
  return url.href;
}
