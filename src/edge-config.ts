import { z } from 'zod';
import { isProxyEntry, type TrustProxy } from './http/client-address.js';

// The settings of the service's edge (rate limits, proxies, browsers), part of
// the one config schema in config.ts.

const commaList = (value: string) =>
  value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);

const trustProxy = z
  .string()
  .default('false')
  .transform((value, ctx): TrustProxy => {
    const v = value.trim();
    if (v === '' || v === 'false' || v === '0') return false;
    // "true" was the old flag for "behind one proxy that sets X-Forwarded-For".
    if (v === 'true') return 1;
    if (/^\d+$/.test(v)) return Number(v);
    const entries = commaList(v);
    const wrong = entries.filter((entry) => !isProxyEntry(entry));
    if (wrong.length > 0) {
      ctx.addIssue({
        code: 'custom',
        message: `must be false, a number of proxy hops, or proxy addresses/CIDRs; not ${wrong.map((w) => `"${w}"`).join(', ')}`,
      });
      return z.NEVER;
    }
    return entries;
  });

const origins = z
  .string()
  .default('')
  .transform((value, ctx) => {
    const entries = commaList(value);
    const wrong = entries.filter((entry) => URL.parse(entry)?.origin !== entry);
    if (wrong.length > 0) {
      ctx.addIssue({
        code: 'custom',
        message: `must list origins like https://shop.example; not ${wrong.map((w) => `"${w}"`).join(', ')}`,
      });
      return z.NEVER;
    }
    return entries;
  });

const perMinute = (fallback: number) => z.coerce.number().int().positive().default(fallback);

export const edgeConfigShape = {
  /** Points per minute for a client without a token, per address: one per request, one per root field beyond the first. */
  PUBLIC_RATE_LIMIT_PER_MINUTE: perMinute(300),
  /** The same for a signed-in caller, per actor. */
  SIGNED_IN_RATE_LIMIT_PER_MINUTE: perMinute(1200),
  /** Open server-sent event streams per client (actor or address) on one API process. */
  SSE_STREAMS_PER_CLIENT: z.coerce.number().int().positive().default(20),
  /** Shared store of the rate-limit counters (all API processes count together); memory when unset. */
  REDIS_URL: z.url({ protocol: /^rediss?$/, message: 'must be a redis:// or rediss:// URL' }).optional(),
  /** Prefix of the counters' keys in Redis, to share one Redis between services or environments. */
  RATE_LIMIT_KEY_PREFIX: z.string().min(1).default('brand-auth:rate'),
  /** Which proxies' X-Forwarded-For entries to believe: false, a number of hops, or their addresses/CIDRs. */
  TRUST_PROXY: trustProxy,
  /** Browser origins allowed to call the API cross-origin (comma-separated); never with credentials. */
  CORS_ORIGINS: origins,
};
