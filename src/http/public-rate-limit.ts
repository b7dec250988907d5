import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { GraphQLContext } from '../schema/context.js';

interface Bucket {
  tokens: number;
  refilledAt: number;
}

/**
 * Requests without a token are limited per client address (a token bucket
 * refilled continuously), so one scraper cannot starve storefronts. Signed-in
 * callers are identified and accountable, and are not limited here.
 */
export function usePublicRateLimit(options: {
  perMinute: number;
  clientAddress: (request: Request, serverContext: unknown) => string;
  now?: () => number;
}): Plugin<GraphQLContext> {
  const buckets = new Map<string, Bucket>();
  const capacity = options.perMinute;
  const refillPerMs = options.perMinute / 60_000;
  const now = options.now ?? Date.now;

  const take = (key: string): number | null => {
    const t = now();
    const bucket = buckets.get(key) ?? { tokens: capacity, refilledAt: t };
    bucket.tokens = Math.min(capacity, bucket.tokens + (t - bucket.refilledAt) * refillPerMs);
    bucket.refilledAt = t;
    buckets.set(key, bucket);
    if (buckets.size > 100_000) buckets.delete(buckets.keys().next().value!);
    if (bucket.tokens < 1) return Math.ceil((1 - bucket.tokens) / refillPerMs / 1000);
    bucket.tokens -= 1;
    return null;
  };

  return {
    onExecute({ args, setResultAndStopExecution }) {
      const ctx = args.contextValue as GraphQLContext & { request: Request };
      if (ctx.access.actor) return;
      const retryAfter = take(options.clientAddress(ctx.request, ctx));
      if (retryAfter === null) return;
      setResultAndStopExecution({
        errors: [
          new GraphQLError(`Too many requests without a token from this address; retry in ${retryAfter} s or sign in.`, {
            extensions: {
              code: 'RATE_LIMITED',
              retryAfterSeconds: retryAfter,
              http: { status: 429, headers: { 'retry-after': String(retryAfter) } },
            },
          }),
        ],
      });
    },
  };
}
