import type { Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, saveScreenshot } from '../support/browser.js';
import { startOidcConsoleTestbed, type OidcConsoleTestbed } from '../support/oidc-console.js';

// Production sign-in in a real browser: the person is sent to the platform's
// OpenID provider, signs in there, and comes back to the console signed in
// with the roles of their groups; signing out ends the provider's session too.

let t: OidcConsoleTestbed;
let page: Page;
let providerHost: string;
const graphql: Array<{ request: unknown; status: number; body: unknown }> = [];

beforeAll(async () => {
  t = await startOidcConsoleTestbed();
  page = t.page;
  providerHost = new URL(t.idp.issuer).host;
  page.on('response', (response: Response) => {
    if (new URL(response.url()).pathname !== '/graphql') return;
    const seen = { request: response.request().postDataJSON() as unknown, status: response.status() };
    void response.json().then(
      (body: unknown) => graphql.push({ ...seen, body }),
      // The page went on (signing out) before the body was read: the browser has dropped it, so only the request and status count.
      () => graphql.push({ ...seen, body: undefined }),
    );
  });
});

afterAll(async () => {
  await t?.close();
});

const signInButton = () => page.getByRole('button', { name: `Sign in with ${providerHost}` });
const sessionKeys = () => page.evaluate('Object.keys(sessionStorage).sort()') as Promise<string[]>;

describe('signing in to the web console at the identity provider', () => {
  it('offers the provider on an accessible sign-in page when a signed-in page is asked for', async () => {
    await page.goto(t.url('/console/brand'));
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Please sign in');
    await page.getByRole('main').getByRole('link', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await signInButton().waitFor();
    // Production offers the provider only: no demo people.
    expect(await page.getByRole('main').getByRole('button').allTextContents()).toEqual([`Sign in with ${providerHost}`]);
    await expectAccessible(page);
    await saveScreenshot(page, 'console-oidc-sign-in');
  });

  it('signs a brand owner in at the provider and brings them back to the page they asked for, with their groups’ roles', async () => {
    await signInButton().click();
    await page.waitForURL((url) => url.host === providerHost && url.pathname.startsWith('/interaction/'));
    await saveScreenshot(page, 'oidc-provider-sign-in');
    // Hold the token exchange, so the page the provider returns to can be seen and checked as it works.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route(`${t.idp.issuer}/token`, async (route) => {
      await held;
      await route.continue();
    });
    await t.signInAtProvider('ana.brand');
    await page.waitForURL((url) => url.pathname === '/console/signed-in');
    await page.getByRole('heading', { level: 1, name: 'Signing you in' }).waitFor();
    expect(await page.getByRole('status').textContent()).toBe('Finishing signing in…');
    expect(new URL(page.url()).search).toBe(''); // the code and state are gone from the address bar
    await expectAccessible(page);
    await saveScreenshot(page, 'console-oidc-signing-in');
    release();

    await page.waitForURL((url) => url.pathname === '/console/brand');
    await expect.poll(() => page.getByRole('banner').textContent()).toContain('Signed in as Ana Brandt');
    await page.unroute(`${t.idp.issuer}/token`);
    const navigation = page.getByRole('navigation', { name: 'Main' });
    await expect.poll(() => navigation.getByRole('link').allTextContents()).toContain('Brand portal');
    expect(await navigation.getByRole('link').allTextContents()).not.toContain('Review queues');

    await page.getByRole('link', { name: 'Home' }).click();
    await expect
      .poll(() => page.getByText(/You are signed in as/).textContent())
      .toBe('Welcome, Ana Brandt. You are signed in as brand member.');
    await expectAccessible(page);
    await saveScreenshot(page, 'console-oidc-home');

    // The tab holds the provider's JWT for this API; nothing is left of the sign-in's one-time values.
    expect(await sessionKeys()).toEqual(['brand-auth.oidc-provider-sign-in', 'brand-auth.session']);
    const session = JSON.parse((await page.evaluate('sessionStorage.getItem("brand-auth.session")')) as string) as { token: string };
    const claims = JSON.parse(Buffer.from(session.token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    expect(claims).toMatchObject({
      iss: t.idp.issuer,
      aud: 'https://api.brand-auth.test',
      sub: 'ana.brand',
      groups: ['brand-owners', 'newsletter'],
    });

    // Production runs only trusted documents: every request named its operation by hash, and each was answered.
    await expect
      .poll(() => graphql.map(({ body }) => body))
      .toContainEqual({
        data: { me: { id: expect.any(String), displayName: 'Ana Brandt', roles: ['BRAND'] } },
      });
    for (const { request, status, body } of graphql) {
      expect(request).toMatchObject({
        extensions: { persistedQuery: { version: 1, sha256Hash: expect.stringMatching(/^[0-9a-f]{64}$/) } },
      });
      expect(request).not.toHaveProperty('query');
      expect(status).toBe(200);
      if (body !== undefined) expect(body).not.toHaveProperty('errors');
    }
  });

  it('signs out of the console and of the provider', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL((url) => url.host === providerHost);
    await page.getByRole('button', { name: 'Yes, sign me out' }).click();
    await page.waitForURL((url) => url.pathname === '/console/signed-out');
    await page.getByRole('heading', { level: 1, name: 'Signed out' }).waitFor();
    expect(await sessionKeys()).toEqual([]);
    await expectAccessible(page);
    await saveScreenshot(page, 'console-oidc-signed-out');

    // The provider forgot the person too: signing in again asks who they are.
    await page.getByRole('link', { name: 'Sign in again' }).click();
    await signInButton().click();
    await page.waitForURL((url) => url.host === providerHost && url.pathname.startsWith('/interaction/'));
    await page.getByLabel('Username').waitFor();
  });

  it('says so when the person cancels at the provider', async () => {
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.waitForURL((url) => url.pathname === '/console/signed-in');
    await page.getByRole('heading', { level: 1, name: 'Signing in did not work' }).waitFor();
    expect(await page.getByRole('alert').textContent()).toBe(
      `Signing in at ${providerHost} was cancelled or not allowed, so you are not signed in. You can start again whenever you like.`,
    );
    expect(await sessionKeys()).toEqual([]);
    await expectAccessible(page);
    await saveScreenshot(page, 'console-oidc-sign-in-cancelled');
  });

  it('refuses an answer that belongs to no sign-in of this tab, and one replayed after it finished', async () => {
    await page.getByRole('link', { name: 'Sign in again' }).click();
    await signInButton().click();
    await page.waitForURL((url) => url.host === providerHost);
    // Someone else's answer, e.g. from a link: a real-looking code under another state.
    await page.goto(t.url(`/console/signed-in?code=someone-elses-code&state=someone-elses-state&iss=${encodeURIComponent(t.idp.issuer)}`));
    await page.getByRole('heading', { level: 1, name: 'Signing in did not work' }).waitFor();
    expect(await page.getByRole('alert').textContent()).toBe(
      `The answer from ${providerHost} does not belong to the sign-in started in this tab (it may be old, or come from another site), so nothing was signed in. Please start again.`,
    );
    expect(await sessionKeys()).toEqual([]);
    await expectAccessible(page);
    await saveScreenshot(page, 'console-oidc-state-mismatch');

    await page.goto(t.url(`/console/signed-in?code=someone-elses-code&state=someone-elses-state`));
    expect(await page.getByRole('alert').textContent()).toBe(
      'No sign-in was under way in this tab: it may have finished already, or the sign-in was started in another tab. Please start again.',
    );
  });

  it('says the provider cannot be reached when it is down', async () => {
    await t.idp.close();
    await page.goto(t.url('/console/sign-in'));
    await signInButton().click();
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toBe(`The sign-in service at ${providerHost} can't be reached right now. Check your connection and try again in a moment.`);
    expect(new URL(page.url()).pathname).toBe('/console/sign-in');
    await expectAccessible(page);
    await saveScreenshot(page, 'console-oidc-provider-down');
  });
});
