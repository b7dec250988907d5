import { createHash } from 'node:crypto';
import { useResponseCache, type Cache } from '@graphql-yoga/plugin-response-cache';
import type { ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
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
}

/**
 * The answers, all dropped on any badge change. A change can add a badge to a
 * store whose cached list is empty, so no entity of the old answer names it:
 * dropping everything is the one invalidation that is always right, and
 * changes are rare next to reads. An answer computed before a change is not
 * stored after it: each miss remembers the generation it started in.
 */
export class StorefrontCache implements Cache {
  private entries = new Map<string, Entry>();
  private missedIn = new Map<string, number>();
  private generation = 0;

  get(key: string): ExecutionResult | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt > Date.now()) return entry.result;
    if (entry) this.entries.delete(key);
    if (!this.missedIn.has(key)) this.missedIn.set(key, this.generation);
    return undefined;
  }

  set(key: string, result: ExecutionResult, _entities: unknown, ttl: number): void {
    const startedIn = this.missedIn.get(key);
    this.missedIn.delete(key);
    if (startedIn !== this.generation) return;
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { result, expiresAt: Date.now() + ttl });
  }

  invalidate(): void {
    this.clear();
  }

  /** Drops every answer, and every answer being computed. */
  clear(): void {
    this.generation += 1;
    this.entries.clear();
    this.missedIn.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}

/**
 * Caches answers to anonymous queries that ask only for CACHED_ROOT_FIELDS
 * (over GraphQL, without an Authorization header). `clear()` is called on
 * every badge-change notification (from any process); a mutation run by this
 * process clears it too as it finishes, before its answer is sent, so a
 * client that changed a badge never reads the old answer afterwards.
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
  const marker: Plugin = {
    onExecute({ args }) {
      const context = args.contextValue as object;
      executing.add(context);
      const operation = graphql.getOperationAST(args.document, args.operationName);
      if (operation?.operation === 'mutation') {
        rememberUncacheable(context);
        return { onExecuteDone: () => cache.clear() };
      }
      if (operation?.operation !== 'query') return;
      const { names } = rootFields(args.document, args.operationName);
      if (names.size > 0 && [...names].every((name) => CACHED_ROOT_FIELDS.has(name))) cacheable.add(context);
      else rememberUncacheable(context);
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
        return answerKey(documentString, operationName, variableValues);
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
