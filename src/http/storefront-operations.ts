import { createHash } from 'node:crypto';
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import { createGraphQLError, type Plugin } from 'graphql-yoga';

/**
 * The storefront's reads, as persisted operations: a storefront (or the CDN in
 * front of the API) sends a GET naming one by its SHA-256 instead of the text,
 * so the URL is short, the same for every page that shows a store, and
 * cacheable. These and the web console's trusted documents can be named;
 * outside production any other query still goes as usual, in a POST or a GET
 * with its text.
 */
export const STOREFRONT_OPERATIONS: Readonly<Record<string, string>> = {
  StoreBadges:
    'query StoreBadges($storeIds: [ID!]!) { storeBadges(storeIds: $storeIds) { storeId badges { id kind status label issuedAt expiresAt credential brand { slug name } store { id name } } } }',
  BadgeStatus:
    'query BadgeStatus($storeId: ID!, $brandSlug: String) { badgeStatus(storeId: $storeId, brandSlug: $brandSlug) { id kind status label issuedAt expiresAt credential brand { slug name } } }',
};

export const operationHash = (document: string) => createHash('sha256').update(document).digest('hex');

const byHash = new Map(Object.values(STOREFRONT_OPERATIONS).map((document) => [operationHash(document), document]));

/** What `/storefront-operations.json` serves: each operation's name, hash and text. */
export const storefrontManifest = () =>
  Object.entries(STOREFRONT_OPERATIONS).map(([name, document]) => ({ name, sha256Hash: operationHash(document), document }));

export const MANIFEST_PATH = '/storefront-operations.json';

/** The hash a GET names instead of a text of its own, if it does. */
function persistedHashOf(request: Request): string | null {
  if (request.method !== 'GET') return null;
  const params = new URL(request.url).searchParams;
  const extensions = params.get('extensions');
  if (params.has('query') || !extensions) return null;
  try {
    const hash = (JSON.parse(extensions) as { persistedQuery?: { sha256Hash?: unknown } })?.persistedQuery?.sha256Hash;
    return typeof hash === 'string' ? hash : null;
  } catch {
    return null;
  }
}

/**
 * A GET that can only run a storefront operation: one naming it by hash and
 * carrying no text (an unknown hash runs nothing). Such a request only reads
 * public data, so CSRF headers protect nothing on it.
 */
export const namesPersistedOperation = (request: Request) => persistedHashOf(request) !== null;

/** A GET naming one of the storefront operations: its answer is public and the same for everyone. */
export function isPersistedStorefrontRead(request: Request): boolean {
  const hash = persistedHashOf(request);
  return hash !== null && byHash.has(hash);
}

export interface PersistedOperationOptions {
  /** Further documents a request may name by hash (the web console's), by their SHA-256. */
  documents?: ReadonlyMap<string, string>;
  /** Whether this request may send a document's own text; outside production, every request. */
  allowText?: (request: Request) => boolean | Promise<boolean>;
}

/**
 * Runs persisted operations (the storefront's and any others given) and tells shared caches how to keep
 * their answers: any cache may store one, but must ask again before each use
 * (with the ETag it got), so a revoked badge disappears at once; the answer to
 * a revalidation is a 304 from the service's own storefront cache.
 */
export function useStorefrontOperations({ documents, allowText }: PersistedOperationOptions = {}): Plugin[] {
  return [
    {
      onRequest({ url, endResponse }) {
        if (url.pathname !== MANIFEST_PATH) return;
        endResponse(
          Response.json(
            { operations: storefrontManifest() },
            { headers: { 'cache-control': 'public, max-age=3600', 'access-control-allow-origin': '*' } },
          ),
        );
      },
      onResponse({ request, response }) {
        if (!isPersistedStorefrontRead(request) || request.headers.has('authorization')) return;
        if (response.status !== 200 && response.status !== 304) return;
        response.headers.set('cache-control', 'public, max-age=0, must-revalidate');
        response.headers.append('vary', 'authorization');
        response.headers.set('access-control-allow-origin', '*');
        response.headers.set('access-control-expose-headers', 'etag');
      },
    },
    usePersistedOperations({
      getPersistedOperation: (hash) => byHash.get(hash) ?? documents?.get(hash) ?? null,
      allowArbitraryOperations: allowText ?? true,
      customErrors: {
        persistedQueryOnly: () =>
          createGraphQLError(
            `This service runs only its trusted documents: name one by extensions.persistedQuery.sha256Hash instead of sending a query text (${MANIFEST_PATH} lists the storefront's).`,
            { extensions: { code: 'PERSISTED_QUERY_ONLY', http: { status: 400 } } },
          ),
        // A request with neither text nor hash is answered as it was before persisted operations.
        keyNotFound: () =>
          createGraphQLError('Must provide query string.', {
            extensions: { http: { spec: true, status: 400, headers: { Allow: 'GET, POST' } } },
          }),
        notFound: () =>
          createGraphQLError(`No trusted operation has this hash; ${MANIFEST_PATH} lists the storefront's.`, {
            extensions: { code: 'PERSISTED_QUERY_NOT_FOUND', http: { status: 404 } },
          }),
      },
    }),
  ];
}
