import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomInt } from 'node:crypto';
import { decodeJwt } from 'jose';
import type { Stack } from './stack.js';
import type { Actor } from './store-operations.js';

const USER_ERRORS = 'userErrors { code field message }';
export const ORIGIN_FIELDS = 'origin verified verifiedAt verificationToken verificationUrl lastCheckedAt lastCheckError';

export const ADD_STORE_ORIGIN = `mutation ($input: StoreOriginInput!) { addStoreOrigin(input: $input) { storeOrigin { ${ORIGIN_FIELDS} } ${USER_ERRORS} } }`;
export const VERIFY_STORE_ORIGIN = `mutation ($input: StoreOriginInput!) { verifyStoreOrigin(input: $input) { storeOrigin { ${ORIGIN_FIELDS} } ${USER_ERRORS} } }`;
export const REMOVE_STORE_ORIGIN = `mutation ($input: StoreOriginInput!) { removeStoreOrigin(input: $input) { store { id origins } ${USER_ERRORS} } }`;
export const STORE_ORIGINS = `query ($id: ID!) { node(id: $id) { ... on Store { id handle origins originClaims { ${ORIGIN_FIELDS} } } } }`;

/** A store's web site on its own loopback address (127.x.y.z), so its origin is unique to this run. */
export interface TestSite {
  origin: string;
  /** What /.well-known/brand-auth-verification.txt answers; null answers 404. */
  verificationFile: string | null;
  /** Other paths and their answers. */
  redirects: Map<string, string>;
  /** Pages the site serves (a storefront's HTML, scripts), by path. */
  pages: Map<string, { type: string; body: string; headers?: Record<string, string> }>;
  requests: number;
  close(): Promise<void>;
}

export async function startSite(): Promise<TestSite> {
  const address = `127.${randomInt(1, 255)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
  const site: TestSite = {
    origin: '',
    verificationFile: null,
    redirects: new Map(),
    pages: new Map(),
    requests: 0,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  const server: Server = createServer((req, res) => {
    site.requests += 1;
    const redirect = site.redirects.get(req.url ?? '');
    if (redirect) return void res.writeHead(302, { location: redirect }).end();
    const page = site.pages.get(req.url ?? '');
    if (page) return void res.writeHead(200, { ...page.headers, 'content-type': page.type }).end(page.body);
    if (req.url === '/.well-known/brand-auth-verification.txt' && site.verificationFile !== null) {
      return void res.writeHead(200, { 'content-type': 'text/plain' }).end(site.verificationFile);
    }
    res.writeHead(404).end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, address, resolve));
  site.origin = `http://${address}:${(server.address() as AddressInfo).port}`;
  return site;
}

/** Claims the site's origin for the store, publishes the token and verifies it; returns the verified claim. */
export async function bindSite(stack: Stack, owner: Actor, storeId: string, site: TestSite) {
  const input = { storeId, origin: site.origin };
  const added = await stack.gql(ADD_STORE_ORIGIN, { input }, { token: owner.token });
  const claim = added.body.data?.addStoreOrigin.storeOrigin;
  if (!claim) throw new Error(`addStoreOrigin failed: ${JSON.stringify(added.body)}`);
  site.verificationFile = `${claim.verificationToken}\n`;
  const verified = await stack.gql(VERIFY_STORE_ORIGIN, { input }, { token: owner.token });
  if (!verified.body.data?.verifyStoreOrigin.storeOrigin?.verified)
    throw new Error(`verifyStoreOrigin failed: ${JSON.stringify(verified.body)}`);
  return verified.body.data.verifyStoreOrigin.storeOrigin;
}

/** The claims of a badge credential, read without checking it (the service's checks are tested elsewhere). */
export const credentialClaims = (credential: string) =>
  decodeJwt(credential) as {
    jti: string;
    origins?: string[];
    credentialStatus: Array<{ statusListIndex: string; statusListCredential: string }>;
  };
