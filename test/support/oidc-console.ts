import type { Page } from 'playwright-core';
import { browserConsoleDist, launchChromium } from './browser.js';
import { listenOidcProvider } from './oidc-provider.js';
import { startStack } from './stack.js';

/**
 * The web console as production runs it: an API with NODE_ENV=production (trusted documents only, jwks
 * tokens) serving the console this run built, signing people in at a real OpenID provider on loopback;
 * Chromium with one page. `close()` in afterAll.
 */
export async function startOidcConsoleTestbed() {
  const idp = await listenOidcProvider();
  const [stack, browser] = await Promise.all([
    startStack({ config: idp.apiConfig({ NODE_ENV: 'production', CONSOLE_DIST_DIR: browserConsoleDist }) }),
    launchChromium(),
  ]);
  idp.registerConsole(stack.baseUrl);
  const context = await browser.newContext();
  const page = await context.newPage();
  return {
    idp,
    stack,
    browser,
    page,
    /** `/console/…` of this file's API. */
    url: (path: string) => `${stack.baseUrl}${path}`,
    /** At the provider's sign-in page: signs in as one of its people (PROVIDER_PEOPLE). */
    async signInAtProvider(username: string, on: Page = page) {
      await on.getByLabel('Username').fill(username);
      await on.getByRole('button', { name: 'Continue' }).click();
    },
    async close() {
      await context.close();
      await browser.close();
      await Promise.all([stack.close(), idp.close()]);
    },
  };
}

export type OidcConsoleTestbed = Awaited<ReturnType<typeof startOidcConsoleTestbed>>;
