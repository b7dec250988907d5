import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTrustedDocuments } from '../../src/http/trusted-documents.js';
import { createLogger } from '../../src/logger.js';
import { fakeConsoleBuild, type FakeConsoleBuild } from '../support/console-build.js';
import { startIdentityProvider, type IdentityProvider } from '../support/identity-provider.js';
import { startStack, type Stack } from '../support/stack.js';

// In production the API runs only the documents it was built with: the
// storefront's and the web console's; a few named clients may send others.

const BRAND_QUERY = 'query ConsoleBrand($slug: String!) {\n  brand(slug: $slug) {\n    slug\n  }\n}';
const UNLISTED = 'query { brand(slug: "acme") { slug name } }';

let build: FakeConsoleBuild;
let idp: IdentityProvider;
let production: Stack;
let development: Stack;

beforeAll(async () => {
  build = fakeConsoleBuild([BRAND_QUERY]);
  idp = await startIdentityProvider();
  [production, development] = await Promise.all([
    startStack({
      config: idp.config({ NODE_ENV: 'production', CONSOLE_DIST_DIR: build.dir, TRUSTED_DOCUMENTS_ALLOW_CLIENTS: 'ops-person, ops-tool' }),
    }),
    startStack({ config: { CONSOLE_DIST_DIR: build.dir } }),
  ]);
});

afterAll(async () => {
  await Promise.all([production?.close(), development?.close(), idp?.close()]);
});

const persisted = (hash: string) => ({ persistedQuery: { version: 1, sha256Hash: hash } });

/** A POST the way the console's production build sends it: the hash, no text. */
function postByHash(s: Stack, hash: string, variables: Record<string, unknown>, headers: Record<string, string> = {}) {
  return s.http('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ variables, extensions: persisted(hash) }),
  });
}

const onlyTrustedDocuments = {
  errors: [
    {
      message:
        "This service runs only its trusted documents: name one by extensions.persistedQuery.sha256Hash instead of sending a query text (/storefront-operations.json lists the storefront's).",
      extensions: { code: 'PERSISTED_QUERY_ONLY' },
    },
  ],
};

describe('trusted documents in production', () => {
  it("runs a console operation named by its hash in the build's manifest", async () => {
    const res = await postByHash(production, build.documents[0]!.sha256Hash, { slug: 'no-such-brand' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { brand: null } });
  });

  it('refuses a query text, even one that is in the manifest, and a hash that is in no manifest', async () => {
    for (const query of [UNLISTED, BRAND_QUERY]) {
      const res = await production.gql(query, { slug: 'acme' });
      expect(res.status).toBe(400);
      expect(res.body).toEqual(onlyTrustedDocuments);
    }
    const unknown = await postByHash(production, 'f'.repeat(64), {});
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it('lets the allow-listed clients send any document, by token subject or by OAuth client id', async () => {
    const byPerson = await production.gql(UNLISTED, {}, { token: await idp.token('ops-person') });
    expect(byPerson.body).toEqual({ data: { brand: null } });
    const byClient = await production.gql(UNLISTED, {}, { token: await idp.token('service-account-7', { azp: 'ops-tool' }) });
    expect(byClient.body).toEqual({ data: { brand: null } });

    const someoneElse = await production.gql(UNLISTED, {}, { token: await idp.token('shopper-1', { azp: 'mobile-app' }) });
    expect(someoneElse.body).toEqual(onlyTrustedDocuments);
    // A forged token naming an allowed subject is no token at all.
    const forged = await production.gql(UNLISTED, {}, { token: await idp.foreignKeyToken('ops-person') });
    expect(forged.body).toEqual(onlyTrustedDocuments);
  });

  it("keeps answering the storefront's persisted GETs", async () => {
    const manifest = (await (await production.http('/storefront-operations.json')).json()) as {
      operations: Array<{ name: string; sha256Hash: string }>;
    };
    const hash = manifest.operations.find((o) => o.name === 'StoreBadges')!.sha256Hash;
    const params = new URLSearchParams({ extensions: JSON.stringify(persisted(hash)), variables: JSON.stringify({ storeIds: [] }) });
    const res = await production.http(`/graphql?${params}`, { headers: { accept: 'application/json' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { storeBadges: [] } });
    expect(res.headers.get('cache-control')).toBe('public, max-age=0, must-revalidate');
  });
});

describe('trusted documents outside production', () => {
  it('runs texts as well as hashes, so curl and a console being edited work', async () => {
    expect((await development.gql(UNLISTED)).body).toEqual({ data: { brand: null } });
    const res = await postByHash(development, build.documents[0]!.sha256Hash, { slug: 'no-such-brand' });
    expect(await res.json()).toEqual({ data: { brand: null } });
  });
});

describe('the manifest', () => {
  it('is refused when a listed text does not match its hash', () => {
    const tampered = fakeConsoleBuild([BRAND_QUERY]);
    const file = path.join(tampered.dir, 'trusted-documents.json');
    writeFileSync(file, JSON.stringify([{ ...tampered.documents[0], document: UNLISTED }]));
    expect(() => loadTrustedDocuments(tampered.dir, createLogger('silent'))).toThrow(
      `${file} lists a document whose text does not match its sha256Hash; rebuild it with npm run build.`,
    );
  });

  it('is optional: without a build only the storefront operations are named', () => {
    const built = fakeConsoleBuild([BRAND_QUERY]);
    expect([...loadTrustedDocuments(built.dir, createLogger('silent')).keys()]).toEqual([built.documents[0]!.sha256Hash]);
    expect(loadTrustedDocuments(path.join(built.dir, 'missing'), createLogger('silent')).size).toBe(0);
  });
});
