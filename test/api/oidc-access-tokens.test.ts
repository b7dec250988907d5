import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeConsoleBuild, type FakeConsoleBuild } from '../support/console-build.js';
import { CONSOLE_CLIENT_ID, listenOidcProvider, OTHER_AUDIENCE, type OidcTestProvider } from '../support/oidc-provider.js';
import { startStack, type Stack } from '../support/stack.js';

// Production sign-in end to end without a browser: a real OpenID provider
// issues the console's access token by the authorization code flow with PKCE,
// and the API, configured as in production (jwks, trusted documents only),
// accepts it with the roles its groups map to, and nothing addressed elsewhere
// or expired.

const ME = 'query Me {\n  me {\n    displayName\n    roles\n  }\n}';

let idp: OidcTestProvider;
let build: FakeConsoleBuild;
let api: Stack;

beforeAll(async () => {
  idp = await listenOidcProvider();
  build = fakeConsoleBuild([ME]);
  api = await startStack({
    config: idp.apiConfig({ NODE_ENV: 'production', CONSOLE_DIST_DIR: build.dir, AUTH_CLOCK_TOLERANCE_SECONDS: '0' }),
  });
  idp.registerConsole(api.baseUrl);
});

afterAll(async () => {
  await Promise.all([api?.close(), idp?.close()]);
});

/** The console's request: its Me operation by hash, with the person's bearer token. */
async function me(token: string) {
  const res = await api.http('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: build.documents[0]!.sha256Hash } } }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const refused = { errors: [{ message: 'The bearer token is invalid or expired.', extensions: { code: 'UNAUTHENTICATED' } }] };

describe('the identity provider’s access tokens in production', () => {
  it('tell the console where and as whom to sign in, and let its script reach the provider', async () => {
    const settings = await api.http('/console/config.json');
    expect(await settings.json()).toEqual({
      signIn: {
        method: 'oidc',
        issuer: idp.issuer,
        clientId: CONSOLE_CLIENT_ID,
        scopes: 'openid profile',
        audience: 'https://api.brand-auth.test',
        audienceParameter: 'resource',
      },
    });
    const page = await api.http('/console/sign-in');
    expect(page.headers.get('content-security-policy')).toMatch(new RegExp(`connect-src 'self'[^;]* ${idp.issuer};`));
  });

  it('are accepted by hash with the roles the groups claim maps to, and the provider’s name', async () => {
    const ana = await idp.signIn('ana.brand', api.baseUrl);
    expect(decodeJwt(ana.accessToken)).toMatchObject({
      iss: idp.issuer,
      aud: 'https://api.brand-auth.test',
      client_id: CONSOLE_CLIENT_ID,
      sub: 'ana.brand',
      groups: ['brand-owners', 'newsletter'],
    });
    expect(await me(ana.accessToken)).toEqual({ status: 200, body: { data: { me: { displayName: 'Ana Brandt', roles: ['BRAND'] } } } });

    const sam = await idp.signIn('sam.shop', api.baseUrl);
    expect(await me(sam.accessToken)).toEqual({
      status: 200,
      body: { data: { me: { displayName: 'Sam Shopwell', roles: ['MERCHANT'] } } },
    });
  });

  it('run no query text: the console is not an allow-listed client', async () => {
    const { accessToken } = await idp.signIn('ana.brand', api.baseUrl);
    const res = await api.gql(ME, {}, { token: accessToken });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ errors: [{ extensions: { code: 'PERSISTED_QUERY_ONLY' } }] });
  });

  it('are refused when addressed to another API of the same provider', async () => {
    const { accessToken } = await idp.signIn('ana.brand', api.baseUrl, OTHER_AUDIENCE);
    expect(decodeJwt(accessToken)).toMatchObject({ iss: idp.issuer, aud: OTHER_AUDIENCE, sub: 'ana.brand' });
    expect(await me(accessToken)).toEqual({ status: 401, body: refused });
  });

  it('are refused once expired', async () => {
    idp.setAccessTokenTtl(2);
    try {
      const { accessToken, expiresIn } = await idp.signIn('sam.shop', api.baseUrl);
      expect(expiresIn).toBe(2);
      const expiresAt = decodeJwt(accessToken).exp! * 1000;
      expect((await me(accessToken)).status).toBe(200);
      await expect.poll(async () => (await me(accessToken)).body, { timeout: 10_000, interval: 250 }).toEqual(refused);
      expect(Date.now()).toBeGreaterThanOrEqual(expiresAt);
    } finally {
      idp.setAccessTokenTtl(600);
    }
  });
});
