import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeConsoleBuild, type FakeConsoleBuild } from '../support/console-build.js';
import { startStack, type Stack } from '../support/stack.js';

// The web console, the widget and the console's settings, served by the API process.

let build: FakeConsoleBuild;
let stack: Stack;
let unbuilt: Stack;
let production: Stack;

beforeAll(async () => {
  build = fakeConsoleBuild([], { widget: true });
  const empty = mkdtempSync(path.join(tmpdir(), 'console-unbuilt-'));
  [stack, unbuilt, production] = await Promise.all([
    startStack({ config: { CONSOLE_DIST_DIR: build.dir } }),
    startStack({ config: { CONSOLE_DIST_DIR: empty } }),
    startStack({
      config: {
        CONSOLE_DIST_DIR: build.dir,
        NODE_ENV: 'production',
        AUTH_MODE: 'jwks',
        AUTH_JWKS_URL: 'https://idp.example/.well-known/jwks.json',
        AUTH_ISSUER: 'https://idp.example/',
        AUTH_AUDIENCE: 'brand-auth',
      },
    }),
  ]);
});

afterAll(async () => {
  await Promise.all([stack?.close(), unbuilt?.close(), production?.close()]);
});

const indexHtml = () => readFileSync(path.join(build.dir, 'console', 'index.html'), 'utf8');

describe('the web console', () => {
  it('serves index.html at /console/, never cached without asking, under a strict content security policy', async () => {
    const res = await stack.http('/console/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toBe(indexHtml());
  });

  it('answers every page path of the console and the consumer landing with index.html, which routes in the browser', async () => {
    for (const page of [
      '/console/review',
      '/console/sign-in?next=%2Fconsole%2F',
      '/c/acme/ABC-123',
      '/c/acme/ABC-123/',
      '/c/acme/01/09506000134352/21/ABC1',
    ]) {
      const res = await stack.http(page);
      expect({ page, status: res.status, body: await res.text() }).toEqual({ page, status: 200, body: indexHtml() });
    }
    const bare = await stack.http('/console', { redirect: 'manual' });
    expect(bare.status).toBe(308);
    expect(bare.headers.get('location')).toBe('/console/');
  });

  it('serves hashed assets as immutable for a year, and a missing asset as 404 (not as the page)', async () => {
    const res = await stack.http(`/console/${build.script}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await res.text()).toBe('console.log("console");');

    const missing = await stack.http('/console/assets/index-gone.js');
    expect(missing.status).toBe(404);
    const head = await stack.http(`/console/${build.script}`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('never serves a file outside the build', async () => {
    for (const escape of [
      '/console/assets/..%2F..%2Ftrusted-documents.json',
      '/console/assets/%2e%2e/%2e%2e/trusted-documents.json',
      '/widget/..%2Fconsole%2Findex.html',
    ]) {
      const res = await stack.http(escape);
      expect({ escape, status: res.status }).toEqual({ escape, status: 404 });
    }
  });

  it('serves the storefront widget under /widget/ for any site to embed', async () => {
    const res = await stack.http('/widget/brand-badge.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(await res.text()).toContain('brand-badge');
    expect((await stack.http('/widget/other.js')).status).toBe(404);
  });

  it('says plainly that the console must be built when it is not', async () => {
    for (const page of ['/console/', '/console/review', '/c/acme/ABC-123', '/console/assets/index-Ab12Cd34.js', '/widget/brand-badge.js']) {
      const res = await unbuilt.http(page);
      expect({ page, status: res.status, body: await res.text() }).toEqual({
        page,
        status: 503,
        body: 'The web console is not built: run `npm run build`, then reload.',
      });
    }
  });
});

describe('the console settings', () => {
  it('offer the demo people in development and tests', async () => {
    const res = await stack.http('/console/config.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(await res.json()).toEqual({
      signIn: {
        method: 'demo',
        identities: [
          { subject: 'demo-consumer', roles: ['CONSUMER'] },
          { subject: 'demo-merchant', roles: ['MERCHANT'] },
          { subject: 'demo-brand', roles: ['BRAND', 'MERCHANT'] },
          { subject: 'demo-reviewer', roles: ['REVIEWER'] },
          { subject: 'demo-admin', roles: ['ADMIN'] },
        ],
      },
    });
  });

  it('name the identity provider in production', async () => {
    expect(await (await production.http('/console/config.json')).json()).toEqual({
      signIn: {
        method: 'oidc',
        issuer: 'https://idp.example/',
        clientId: null,
        scopes: 'openid profile',
        audience: 'brand-auth',
        audienceParameter: 'resource',
      },
    });
  });
});

const signIn = (s: Stack, body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  s.http('/dev/sign-in', { method: 'POST', headers, body: JSON.stringify(body) });

describe('demo sign-in', () => {
  it('gives a demo person a short-lived token the API accepts, with their roles', async () => {
    const res = await signIn(stack, { subject: 'demo-reviewer' });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = await res.json();
    expect(body).toMatchObject({ subject: 'demo-reviewer', roles: ['REVIEWER'], token: expect.any(String) });
    const minutesLeft = (Date.parse(body.expiresAt) - Date.now()) / 60_000;
    expect(minutesLeft).toBeGreaterThan(55);
    expect(minutesLeft).toBeLessThanOrEqual(60);

    const me = await stack.gql('{ me { roles displayName } }', {}, { token: body.token });
    expect(me.body).toEqual({ data: { me: { roles: ['REVIEWER'], displayName: 'Demo reviewer' } } });
  });

  it('refuses anyone but the demo people, and anything but a JSON POST', async () => {
    const stranger = await signIn(stack, { subject: 'demo-root' });
    expect(stranger.status).toBe(400);
    expect(await stranger.json()).toEqual({
      error: 'Choose one of the demo people: demo-consumer, demo-merchant, demo-brand, demo-reviewer, demo-admin.',
    });
    const get = await stack.http('/dev/sign-in');
    expect(get.status).toBe(405);
    const form = await signIn(stack, { subject: 'demo-reviewer' }, { 'content-type': 'text/plain' });
    expect(form.status).toBe(415);
  });

  it('does not exist in production', async () => {
    const res = await signIn(production, { subject: 'demo-admin' });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({
      error: 'Demo sign-in is turned off: it exists only in development and tests, with dev tokens (AUTH_MODE=hs256).',
    });
  });
});
