import { Redis } from 'ioredis';
import { execa } from 'execa';
import { SetupError, becomes, errorText } from './background-process.js';

const LOCAL_REDIS = 'redis://127.0.0.1:6379';

async function answers(url: string): Promise<string | undefined> {
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: 1000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
    return undefined;
  } catch (error) {
    return errorText(error);
  } finally {
    redis.disconnect();
  }
}

/**
 * The Redis the rate-limit tests share counters through: TEST_REDIS_URL, else
 * the machine's on 127.0.0.1:6379, started (in memory only) when its server is
 * installed but not running. The service itself runs without Redis.
 */
export async function ensureTestRedis(env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<string> {
  const url = env.TEST_REDIS_URL ?? LOCAL_REDIS;
  if ((await answers(url)) === undefined) return url;
  if (env.TEST_REDIS_URL) throw new SetupError(`Redis at ${url} (TEST_REDIS_URL) does not answer; start it or unset TEST_REDIS_URL.`);
  log('Starting Redis on 127.0.0.1:6379 (in memory, for the rate-limit tests)…');
  try {
    await execa('redis-server', ['--daemonize', 'yes', '--bind', '127.0.0.1', '--port', '6379', '--save', '', '--appendonly', 'no']);
  } catch (error) {
    throw new SetupError(
      `The rate-limit tests need Redis and none answers on 127.0.0.1:6379 (${errorText(error)}); install redis-server (apt-get install redis-server) or set TEST_REDIS_URL.`,
    );
  }
  if (!(await becomes(async () => (await answers(url)) === undefined, 10_000)))
    throw new SetupError('redis-server was started but does not answer on 127.0.0.1:6379; check its log.');
  return url;
}
