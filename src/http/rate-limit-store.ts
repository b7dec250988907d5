import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';

export interface RateLimiters {
  anonymous: RateLimiterAbstract;
  signedIn: RateLimiterAbstract;
  /** Where the counters live now: `redis`, `memory` (no REDIS_URL), or `memory-fallback` (Redis not answering). */
  store(): 'redis' | 'memory' | 'memory-fallback';
  close(): Promise<void>;
}

const WINDOW_SECONDS = 60;
// A Redis that hangs must not hang requests: past this, the counters fall back to memory.
const REDIS_COMMAND_TIMEOUT_MS = 500;
const REDIS_FIRST_CONNECT_MS = 2000;

/**
 * The counters behind the rate limits. With REDIS_URL every API process counts
 * in the same Redis, so a budget is the same whatever replica a request lands
 * on. Without it, or while Redis does not answer, each process counts in its
 * own memory: limits still hold per process (a client gets at most one budget
 * per replica), and the outage is logged once, not per request.
 */
export async function createRateLimiters(
  config: Pick<Config, 'REDIS_URL' | 'RATE_LIMIT_KEY_PREFIX' | 'PUBLIC_RATE_LIMIT_PER_MINUTE' | 'SIGNED_IN_RATE_LIMIT_PER_MINUTE'>,
  logger: Logger,
): Promise<RateLimiters> {
  const limits = {
    anonymous: { keyPrefix: `${config.RATE_LIMIT_KEY_PREFIX}:anonymous`, points: config.PUBLIC_RATE_LIMIT_PER_MINUTE },
    signedIn: { keyPrefix: `${config.RATE_LIMIT_KEY_PREFIX}:signed-in`, points: config.SIGNED_IN_RATE_LIMIT_PER_MINUTE },
  };
  const memory = (kind: keyof typeof limits) => new RateLimiterMemory({ ...limits[kind], duration: WINDOW_SECONDS });

  if (!config.REDIS_URL) {
    return { anonymous: memory('anonymous'), signedIn: memory('signedIn'), store: () => 'memory', close: async () => {} };
  }

  const redis = new Redis(config.REDIS_URL, {
    // Fail at once while disconnected (the memory fallback answers) instead of queueing requests behind a reconnect.
    enableOfflineQueue: false,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    maxRetriesPerRequest: 0,
    connectionName: 'brand-auth-rate-limits',
  });
  const where = new URL(config.REDIS_URL).host;
  let warned = false;
  redis.on('error', (error: Error) => {
    if (warned) return;
    warned = true;
    logger.warn(
      { redis: where, error: error.message },
      'Rate-limit store unreachable: counting in this process’s memory until Redis answers again',
    );
  });
  redis.on('ready', () => {
    if (warned) logger.info({ redis: where }, 'Rate-limit store reachable again: counting in Redis');
    warned = false;
  });
  // Start counting in Redis from the first request when it answers; don't hold the start up when it doesn't.
  await new Promise<void>((resolve) => {
    const settle = () => {
      clearTimeout(timer);
      redis.off('ready', settle).off('error', settle);
      resolve();
    };
    const timer = setTimeout(settle, REDIS_FIRST_CONNECT_MS);
    redis.once('ready', settle).once('error', settle);
  });
  if (redis.status !== 'ready' && !warned) {
    warned = true;
    logger.warn({ redis: where }, 'Rate-limit store unreachable at start: counting in this process’s memory until Redis answers');
  }

  const shared = (kind: keyof typeof limits) =>
    new RateLimiterRedis({
      ...limits[kind],
      duration: WINDOW_SECONDS,
      storeClient: redis,
      rejectIfRedisNotReady: true,
      insuranceLimiter: memory(kind),
    });

  return {
    anonymous: shared('anonymous'),
    signedIn: shared('signedIn'),
    store: () => (redis.status === 'ready' ? 'redis' : 'memory-fallback'),
    async close() {
      redis.disconnect();
    },
  };
}
