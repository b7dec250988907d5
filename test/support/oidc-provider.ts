import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import * as oauth from 'oauth4webapi';
import Provider, { errors, type AdapterPayload, type KoaContextWithOIDC } from 'oidc-provider';

// A real, certified OpenID provider (oidc-provider) on loopback, set up the way
// the console's production sign-in expects any provider to be: a public client
// with PKCE, resource indicators so access tokens are JWTs for the API's
// audience, and a groups claim in them. Its sign-in page asks for a username.

export const CONSOLE_CLIENT_ID = 'brand-auth-console';
/** The API's audience: a resource indicator is an absolute URI. */
export const API_AUDIENCE = 'https://api.brand-auth.test';
/** Another API of the same provider: its tokens must not open this one. */
export const OTHER_AUDIENCE = 'https://reports.brand-auth.test';
const API_SCOPE = 'brand-auth';

/** The people the provider knows, by username. */
export const PROVIDER_PEOPLE: Record<string, { name: string; groups: string[] }> = {
  'ana.brand': { name: 'Ana Brandt', groups: ['brand-owners', 'newsletter'] },
  'sam.shop': { name: 'Sam Shopwell', groups: ['platform-merchants'] },
};
/** What the API's AUTH_GROUP_ROLES maps those groups to. */
export const GROUP_ROLES = { 'brand-owners': 'BRAND', 'platform-merchants': 'MERCHANT' };

type Stored = Map<string, { payload: AdapterPayload; expiresAt: number }>;

/** One provider's state (sessions, codes, grants) in memory, a map per kind. */
class MapAdapter {
  constructor(private readonly store: Stored) {}
  async upsert(id: string, payload: AdapterPayload, expiresIn: number) {
    this.store.set(id, { payload, expiresAt: Date.now() + expiresIn * 1000 });
  }
  async find(id: string) {
    const entry = this.store.get(id);
    return entry && entry.expiresAt > Date.now() ? entry.payload : undefined;
  }
  async findByUid(uid: string) {
    return [...this.store.values()].find((entry) => entry.payload.uid === uid && entry.expiresAt > Date.now())?.payload;
  }
  async findByUserCode(userCode: string) {
    return [...this.store.values()].find((entry) => entry.payload.userCode === userCode)?.payload;
  }
  async consume(id: string) {
    const entry = this.store.get(id);
    if (entry) entry.payload.consumed = Math.floor(Date.now() / 1000);
  }
  async destroy(id: string) {
    this.store.delete(id);
  }
  async revokeByGrantId(grantId: string) {
    for (const [id, entry] of this.store) if (entry.payload.grantId === grantId) this.store.delete(id);
  }
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function signInPage(uid: string, clientName: string, problem?: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in – Test identity provider</title></head>
<body><main>
<h1>Test identity provider</h1>
<p>${escapeHtml(clientName)} asks you to sign in.</p>
${problem ? `<p role="alert">${escapeHtml(problem)}</p>` : ''}
<form method="post" action="/interaction/${escapeHtml(uid)}">
<label for="username">Username</label>
<input id="username" name="username" autocomplete="username" required>
<button type="submit" name="action" value="sign-in">Continue</button>
<button type="submit" name="action" value="cancel" formnovalidate>Cancel</button>
</form>
</main></body></html>`;
}

async function formBody(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/**
 * Listens first, so the issuer URL is known for the API's settings; `registerConsole(apiBaseUrl)` then
 * registers the console as a client (its redirect URIs name the API's origin) and starts answering.
 */
export async function listenOidcProvider() {
  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => void res.writeHead(503).end();
  const server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const signingKey = { ...(await exportJWK(privateKey)), kid: 'test-provider-1', alg: 'RS256', use: 'sig' };
  let accessTokenTTL = 600;
  let provider: Provider | null = null;
  const stores = new Map<string, Stored>();

  const start = (consoleOrigin: string) => {
    const oidc = new Provider(issuer, {
      clients: [
        {
          client_id: CONSOLE_CLIENT_ID,
          client_name: 'Brand authentication console',
          token_endpoint_auth_method: 'none',
          grant_types: ['authorization_code'],
          response_types: ['code'],
          redirect_uris: [`${consoleOrigin}/console/signed-in`],
          post_logout_redirect_uris: [`${consoleOrigin}/console/signed-out`],
        },
      ],
      jwks: { keys: [signingKey] },
      cookies: { keys: [randomBytes(32).toString('base64url')] },
      pkce: { required: () => true },
      adapter: (name: string) => {
        if (!stores.has(name)) stores.set(name, new Map());
        return new MapAdapter(stores.get(name)!);
      },
      ttl: { Interaction: 600, Session: 3600, Grant: 3600, IdToken: 600, AccessToken: () => accessTokenTTL, AuthorizationCode: 60 },
      claims: { openid: ['sub'], profile: ['name'] },
      findAccount: (_ctx, id) => {
        const person = PROVIDER_PEOPLE[id];
        return person && { accountId: id, claims: () => ({ sub: id, name: person.name }) };
      },
      features: {
        devInteractions: { enabled: false },
        rpInitiatedLogout: {
          enabled: true,
          logoutSource: (ctx, form) => {
            ctx.type = 'html';
            ctx.body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign out – Test identity provider</title></head>
<body><main><h1>Sign out of the test identity provider?</h1>${form}
<button type="submit" form="op.logoutForm" name="logout" value="yes">Yes, sign me out</button>
<button type="submit" form="op.logoutForm">No, stay signed in</button></main></body></html>`;
          },
        },
        resourceIndicators: {
          enabled: true,
          // Only the resource the console asked for; nothing is assumed when it asks for none.
          defaultResource: () => undefined,
          useGrantedResource: () => true,
          getResourceServerInfo: (_ctx, resource) => {
            if (resource !== API_AUDIENCE && resource !== OTHER_AUDIENCE) throw new errors.InvalidTarget();
            return { scope: API_SCOPE, audience: resource, accessTokenFormat: 'jwt', accessTokenTTL, jwt: { sign: { alg: 'RS256' } } };
          },
        },
      },
      // The API reads roles from this claim of the access token (AUTH_GROUPS_CLAIM=groups).
      extraTokenClaims: (_ctx, token) => {
        const person = 'accountId' in token && token.accountId ? PROVIDER_PEOPLE[token.accountId] : undefined;
        return person ? { groups: person.groups, name: person.name } : undefined;
      },
      // The console is the platform's own application: people are not asked to consent to it.
      loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
        const { client, session, params } = ctx.oidc;
        if (!client || !session?.accountId) return undefined;
        const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
        grant.addOIDCScope(String(params?.scope ?? 'openid'));
        if (typeof params?.resource === 'string') grant.addResourceScope(params.resource, API_SCOPE);
        await grant.save();
        return grant;
      },
      clientBasedCORS: (_ctx, origin) => origin === consoleOrigin,
      renderError: (ctx, out) => {
        ctx.type = 'html';
        ctx.body = `<!doctype html><html lang="en"><head><title>Error</title></head><body><main><h1>${escapeHtml(String(out.error))}</h1><p>${escapeHtml(String(out.error_description ?? ''))}</p></main></body></html>`;
      },
    });
    const callback = oidc.callback();
    provider = oidc;
    handler = (req, res) => {
      const interaction = /^\/interaction\/([\w-]+)$/.exec(req.url ?? '');
      if (!interaction) return void callback(req, res);
      void answerInteraction(oidc, interaction[1]!, req, res).catch((error: Error) => {
        res.writeHead(400, { 'content-type': 'text/plain' }).end(error.message);
      });
    };
  };

  return {
    issuer,
    jwksUrl: `${issuer}/jwks`,
    /** The API as production runs it against this provider. */
    apiConfig(extra: Record<string, string> = {}): Record<string, string> {
      return {
        AUTH_MODE: 'jwks',
        AUTH_JWKS_URL: `${issuer}/jwks`,
        AUTH_ISSUER: issuer,
        AUTH_AUDIENCE: API_AUDIENCE,
        AUTH_GROUPS_CLAIM: 'groups',
        AUTH_GROUP_ROLES: JSON.stringify(GROUP_ROLES),
        CONSOLE_OIDC_CLIENT_ID: CONSOLE_CLIENT_ID,
        ...extra,
      };
    },
    registerConsole(consoleOrigin: string) {
      start(consoleOrigin);
    },
    /** Lifetime of the access tokens issued from now on. */
    setAccessTokenTtl(seconds: number) {
      accessTokenTTL = seconds;
    },
    /** The authorization code flow with PKCE as a browser would run it, without one: an access token for `resource`. */
    async signIn(username: string, consoleOrigin: string, resource = API_AUDIENCE) {
      if (!provider) throw new Error('registerConsole() first');
      return signInWithoutBrowser(issuer, consoleOrigin, username, resource);
    },
    /** Stops answering, as a provider that is down would; safe to call twice. */
    close(): Promise<void> {
      if (!server.listening) return Promise.resolve();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

export type OidcTestProvider = Awaited<ReturnType<typeof listenOidcProvider>>;

async function answerInteraction(provider: Provider, uid: string, req: IncomingMessage, res: ServerResponse) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) throw new Error('This sign-in page belongs to another sign-in.');
  const client = await provider.Client.find(String(details.params.client_id));
  const clientName = client?.clientName ?? 'An application';
  if (req.method === 'GET') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(signInPage(uid, clientName));
    return;
  }
  const form = await formBody(req);
  if (form.get('action') === 'cancel') {
    await provider.interactionFinished(
      req,
      res,
      { error: 'access_denied', error_description: 'The person declined to sign in.' },
      { mergeWithLastSubmission: false },
    );
    return;
  }
  const username = (form.get('username') ?? '').trim();
  if (!PROVIDER_PEOPLE[username]) {
    res
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
      .end(signInPage(uid, clientName, `No account is called "${username}".`));
    return;
  }
  await provider.interactionFinished(req, res, { login: { accountId: username } }, { mergeWithLastSubmission: false });
}

/** Follows the provider's redirects by hand, keeping its cookies, until it sends the browser back to the console. */
async function signInWithoutBrowser(issuer: string, consoleOrigin: string, username: string, resource: string) {
  const options = { [oauth.allowInsecureRequests]: true };
  const as = await oauth.processDiscoveryResponse(new URL(issuer), await oauth.discoveryRequest(new URL(issuer), options));
  const client: oauth.Client = { client_id: CONSOLE_CLIENT_ID };
  const redirectUri = `${consoleOrigin}/console/signed-in`;
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  const authorize = new URL(as.authorization_endpoint!);
  for (const [key, value] of Object.entries({
    client_id: CONSOLE_CLIENT_ID,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: 'openid profile',
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    resource,
  }))
    authorize.searchParams.set(key, value);

  const cookies = new Map<string, string>();
  const visit = async (url: string, init: RequestInit = {}) => {
    const response = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair!.indexOf('=');
      cookies.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
    await response.body?.cancel();
    return new URL(response.headers.get('location') ?? url, url).href;
  };
  const interaction = await visit(authorize.href);
  let next = await visit(interaction, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username, action: 'sign-in' }).toString(),
  });
  while (!next.startsWith(redirectUri)) next = await visit(next);

  const params = oauth.validateAuthResponse(as, client, new URL(next), state);
  const response = await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, redirectUri, verifier, {
    ...options,
    additionalParameters: { resource },
  });
  const result = await oauth.processAuthorizationCodeResponse(as, client, response, { expectedNonce: nonce, requireIdToken: true });
  return { accessToken: result.access_token, idToken: result.id_token!, expiresIn: result.expires_in };
}
