import type { JSONWebKeySet } from 'jose';
import type { CredentialSources } from './badge-check.js';
import { createMemoryCache } from './cache-control.js';
import { importLogKey, type LogKey } from './log-proof.js';
import { NO_WITNESSES, importWitnesses, type WitnessPolicy } from './witness-cosignatures.js';

/** The SHA-256 of the storefront's persisted `BadgeStatus` operation, put in at build time. */
declare const BADGE_STATUS_HASH: string;

interface BadgeStatusAnswer {
  data?: { badgeStatus?: Array<{ status?: string; kind?: string; credential?: string | null }> | null };
}

/** What the storefront pins on the script: the log's key, the witnesses it requires and how many. */
export interface LogPins {
  logKey?: string;
  witnessKeys?: string;
  witnessQuorum?: string;
}

/**
 * The service a badge is checked against, reached by URLs a CDN may cache.
 * `pins.logKey` is the log's verifier key as the storefront pins it; without
 * one, the key the service publishes at /tlog/vkey is used. Witnesses are
 * required only when the storefront names them (or a quorum).
 */
export function serviceSources(apiBase: string, pins: LogPins = {}) {
  const now = () => Date.now();
  const jwks = createMemoryCache((response) => response.json() as Promise<JSONWebKeySet>, fetch, now);
  const texts = createMemoryCache((response) => response.text(), fetch, now);
  const keys = new Map<string, Promise<LogKey>>();
  let witnesses: Promise<WitnessPolicy> | undefined;
  // A grant, once proven, stays in the log: its proof is kept per badge and checked again each time, and
  // fetched again only when it does not prove the credential on show (the badge was signed a new one).
  const proofs = new Map<string, Promise<string>>();
  const sources: CredentialSources = {
    jwks: (reload) => jwks(new URL('/.well-known/jwks.json', apiBase).href, reload),
    statusList: (url) => texts(url),
    async logKey() {
      const vkey = pins.logKey ?? (await texts(new URL('/tlog/vkey', apiBase).href)).value.trim();
      if (!keys.has(vkey)) keys.set(vkey, importLogKey(vkey));
      return keys.get(vkey)!;
    },
    witnesses() {
      const named = pins.witnessKeys !== undefined || pins.witnessQuorum !== undefined;
      return (witnesses ??= named ? importWitnesses(pins.witnessKeys ?? '', pins.witnessQuorum) : Promise.resolve(NO_WITNESSES));
    },
    grantProof(badgeId, reload) {
      let proof = proofs.get(badgeId);
      if (!proof || reload) {
        proof = texts(new URL(`/badges/${encodeURIComponent(badgeId)}/tlog-proof`, apiBase).href, reload).then((fetched) => fetched.value);
        proofs.set(badgeId, proof);
        const fetched = proof;
        fetched.catch(() => proofs.get(badgeId) === fetched && proofs.delete(badgeId));
      }
      return proof;
    },
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
