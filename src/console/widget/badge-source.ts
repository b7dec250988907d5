import type { JSONWebKeySet } from 'jose';
import type { CredentialSources } from './badge-check.js';
import { createMemoryCache } from './cache-control.js';

/** The SHA-256 of the storefront's persisted `BadgeStatus` operation, put in at build time. */
declare const BADGE_STATUS_HASH: string;

interface BadgeStatusAnswer {
  data?: { badgeStatus?: Array<{ status?: string; kind?: string; credential?: string | null }> | null };
}

/** The service a badge is checked against, reached by URLs a CDN may cache. */
export function serviceSources(apiBase: string) {
  const now = () => Date.now();
  const jwks = createMemoryCache((response) => response.json() as Promise<JSONWebKeySet>, fetch, now);
  const lists = createMemoryCache((response) => response.text(), fetch, now);
  const sources: CredentialSources = {
    jwks: (reload) => jwks(new URL('/.well-known/jwks.json', apiBase).href, reload),
    statusList: (url) => lists(url),
  };
  /**
   * The store's active credentials for the brand, official first, from the
   * persisted GET (the same URL on every page, which a shared cache keeps and
   * revalidates with its ETag).
   */
  async function credentials(store: string, brand: string): Promise<string[]> {
    const url = new URL('/graphql', apiBase);
    url.searchParams.set('extensions', JSON.stringify({ persistedQuery: { version: 1, sha256Hash: BADGE_STATUS_HASH } }));
    url.searchParams.set('variables', JSON.stringify({ storeId: store, brandSlug: brand }));
    const response = await fetch(url, { credentials: 'omit' });
    if (!response.ok) throw new Error(`The badge read answered HTTP ${response.status}.`);
    const badges = ((await response.json()) as BadgeStatusAnswer).data?.badgeStatus ?? [];
    return badges
      .filter((badge) => badge.status === 'ACTIVE' && typeof badge.credential === 'string')
      .sort((a, b) => Number(b.kind === 'OFFICIAL_STORE') - Number(a.kind === 'OFFICIAL_STORE'))
      .map((badge) => badge.credential!);
  }
  return { sources, credentials };
}
