import { createHash } from 'node:crypto';
import { useResponseCache, type Cache } from '@graphql-yoga/plugin-response-cache';
import type { ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { badgeChangesOfRequest } from '../events/badge-events.js';
import { graphql } from './graphql-runtime.js';
import { rootFields } from './root-fields.js';

/** Public storefront reads whose answers are the same for every anonymous caller. */
export const CACHED_ROOT_FIELDS: ReadonlySet<string> = new Set(['storeBadges', 'badgeStatus']);

const MAX_ENTRIES = 1_000;
/** Documents remembered as never cacheable (by operation name and text). */
const MAX_UNCACHEABLE_DOCUMENTS = 1_000;
/** The key of a request whose answer is never looked up nor stored. */
const NOT_CACHED = 'not-cached';

/** JSON with every object's keys in order, so variables sent in another order find the same answer. */
const stableJson = (value: unknown) =>
  JSON.stringify(value ?? {}, (_key, item: unknown) =>
    item && typeof item === 'object' && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item,
  );

/** What the library keys an answer by (document, operation, variables), hashed synchronously rather than through WebCrypto. */
const answerKey = (documentString: string, operationName: string | null | undefined, variables: unknown) =>
  createHash('sha256')
    .update(`${documentString}|${operationName ?? ''}|${stableJson(variables)}|`)
    .digest('hex');

interface Entry {
  result: ExecutionResult;
  expiresAt: number;
  /** The change count when the answer's computation began. */
  startedAt: number;
  /** The stores the answer shows; null until known, and then any change drops it. */
  stores: string[] | null;
}

/** Stores remembered with the change that last touched them; past this, older changes count as touching everything. */
const MAX_REMEMBERED_CHANGES = 100_000;

/**
 * The answers, each dropped when a badge of a store it shows changes (or when
 * its time is up). An answer lists the stores it was asked about, not only
 * those with badges, so a first badge for a store whose list was empty drops it
 * too. An answer computed while one of its stores changed is not stored: each
 * miss remembers the change count it started at, and each store the count of
 * its last change.
 */
export class StorefrontCache implements Cache {
  private entries = new Map<string, Entry>();
  private keysOfStore = new Map<string, Set<string>>();
  private untagged = new Set<string>();
  private missedAt = new Map<string, number>();
  private pendingStores = new Map<string, string[]>();
  private lastChangeOf = new Map<string, number>();
  private changes = 0;
  /** Answers begun before this count are never stored (everything changed then). */
  private floor = 0;

  get(key: string): ExecutionResult | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt > Date.now()) return entry.result;
    if (entry) this.drop(key);
    if (!this.missedAt.has(key)) this.missedAt.set(key, this.changes);
    return undefined;
  }

  set(key: string, result: ExecutionResult, _entities: unknown, ttl: number): void {
    const startedAt = this.missedAt.get(key);
    this.missedAt.delete(key);
    const stores = this.pendingStores.get(key) ?? null;
    this.pendingStores.delete(key);
    if (startedAt === undefined || this.changedSince(stores, startedAt)) return;
    if (this.entries.has(key)) this.drop(key);
    if (this.entries.size >= MAX_ENTRIES) this.drop(this.entries.keys().next().value!);
    this.entries.set(key, { result, expiresAt: Date.now() + ttl, startedAt, stores });
    this.index(key, stores);
  }

  /** Names the stores an answer shows, whether it is stored yet or not. */
  tag(key: string, stores: string[]): void {
    const entry = this.entries.get(key);
    if (!entry) {
      if (this.missedAt.has(key)) this.pendingStores.set(key, stores);
      return;
    }
    if (entry.stores !== null) return;
    if (this.changedSince(stores, entry.startedAt)) return this.drop(key);
    this.untagged.delete(key);
    entry.stores = stores;
    this.index(key, stores);
  }

  /** Badges of these stores changed: their answers go, and answers being computed for them are not kept. */
  storesChanged(storeIds: Iterable<string>): void {
    this.changes += 1;
    if (this.lastChangeOf.size >= MAX_REMEMBERED_CHANGES) {
      this.lastChangeOf.clear();
      this.floor = this.changes;
    }
    for (const storeId of storeIds) {
      this.lastChangeOf.set(storeId, this.changes);
      for (const key of this.keysOfStore.get(storeId) ?? []) this.drop(key);
    }
    for (const key of this.untagged) this.drop(key);
  }

  invalidate(): void {
    this.clear();
  }

  /** Drops every answer, and every answer being computed. */
  clear(): void {
    this.changes += 1;
    this.floor = this.changes;
    this.lastChangeOf.clear();
    this.entries.clear();
    this.keysOfStore.clear();
    this.untagged.clear();
    this.missedAt.clear();
    this.pendingStores.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  private changedSince(stores: string[] | null, startedAt: number): boolean {
    if (startedAt < this.floor) return true;
    if (stores === null) return false;
    return stores.some((storeId) => (this.lastChangeOf.get(storeId) ?? 0) > startedAt);
  }

  private index(key: string, stores: string[] | null): void {
    if (stores === null) {
      this.untagged.add(key);
      return;
    }
    for (const storeId of stores) {
      let keys = this.keysOfStore.get(storeId);
      if (!keys) this.keysOfStore.set(storeId, (keys = new Set()));
      keys.add(key);
    }
  }

  private drop(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.untagged.delete(key);
    for (const storeId of entry.stores ?? []) {
      const keys = this.keysOfStore.get(storeId);
      keys?.delete(key);
      if (keys?.size === 0) this.keysOfStore.delete(storeId);
    }
  }
}

const storesOfContext = new WeakMap<object, string[]>();

/** Called by a storefront resolver with the stores (row ids) its answer shows, so a change to one of them drops it. */
export function coverStores(context: object, storeIds: string[]): void {
  const known = storesOfContext.get(context);
  storesOfContext.set(context, known ? [...known, ...storeIds] : storeIds);
}

/**
 * Caches answers to anonymous queries that ask only for CACHED_ROOT_FIELDS
 * (over GraphQL, without an Authorization header). `storesChanged()` is called
 * on every badge-change notification (from any process); a mutation run by this
 * process calls it too as it finishes, before its answer is sent, with the
 * stores whose badges it changed, so a client that changed a badge never reads
 * the old answer afterwards.
 */
export function useStorefrontCache(cache: StorefrontCache, ttlMs: number): Plugin[] {
  const executing = new WeakSet<object>();
  const cacheable = new WeakSet<object>();
  // Keying a request hashes its document and variables; documents seen to ask
  // for anything else (verifyProductCode, every mutation) skip that work.
  const uncacheable = new Set<string>();
  const documentKey = (query: string, operationName: string | null | undefined) => `${operationName ?? ''}\n${query}`;
  const notLookedUp = new WeakSet<object>();
  const rememberUncacheable = (context: object) => {
    const params = (context as { params?: { query?: string; operationName?: string | null } }).params;
    if (params?.query === undefined) return;
    const key = documentKey(params.query, params.operationName);
    if (uncacheable.has(key)) return;
    if (uncacheable.size >= MAX_UNCACHEABLE_DOCUMENTS) uncacheable.delete(uncacheable.values().next().value!);
    uncacheable.add(key);
  };
  const keyOfContext = new WeakMap<object, string>();
  const marker: Plugin = {
    onExecute({ args }) {
      const context = args.contextValue as object;
      executing.add(context);
      const operation = graphql.getOperationAST(args.document, args.operationName);
      if (operation?.operation === 'mutation') {
        rememberUncacheable(context);
        // The notification of a change this mutation made may arrive after its answer: drop those stores' answers now.
        return { onExecuteDone: () => cache.storesChanged(badgeChangesOfRequest((context as { requestId?: string }).requestId)) };
      }
      if (operation?.operation !== 'query') return;
      const { names } = rootFields(args.document, args.operationName);
      if (names.size > 0 && [...names].every((name) => CACHED_ROOT_FIELDS.has(name))) {
        cacheable.add(context);
        return {
          onExecuteDone: () => {
            const key = keyOfContext.get(context);
            if (key !== undefined) cache.tag(key, storesOfContext.get(context) ?? []);
          },
        };
      }
      rememberUncacheable(context);
    },
  };
  return [
    marker,
    useResponseCache({
      cache,
      session: () => null,
      buildResponseCacheKey: ({ request, context, documentString, operationName, variableValues }) => {
        if (request.headers.has('authorization') || uncacheable.has(documentKey(documentString, operationName))) {
          notLookedUp.add(context as object);
          return NOT_CACHED;
        }
        const key = answerKey(documentString, operationName, variableValues);
        keyOfContext.set(context as object, key);
        return key;
      },
      // Asked before the request is parsed (a hit is served from there, and only
      // answers of cacheable operations are ever stored), and again as it executes.
      enabled: (request, context) =>
        !request.headers.has('authorization') &&
        !notLookedUp.has(context as object) &&
        (!executing.has(context as object) || cacheable.has(context as object)),
      ttl: ttlMs,
      invalidateViaMutation: false,
      includeExtensionMetadata: false,
      shouldCacheResult: ({ result }) => !result.errors,
    }) as Plugin,
  ];
}
