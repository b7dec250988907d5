import type { Plugin } from 'graphql-yoga';
import type { Logger } from '../logger.js';

export type ReadinessChecks = Record<string, () => Promise<unknown>>;

const CHECK_TIMEOUT_MS = 3000;

function withTimeout(check: () => Promise<unknown>): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
  });
  return Promise.race([check(), timeout]).finally(() => clearTimeout(timer));
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' } });

/**
 * GET /healthz answers while the process is up; GET /readyz checks each
 * dependency and names the ones that are not reachable. Why one is not goes to
 * the log only: error texts carry host names, ports and driver details that
 * are nobody's business outside.
 */
export function useHealthEndpoints(checks: ReadinessChecks, logger: Logger): Plugin {
  return {
    async onRequest({ request, url, endResponse }) {
      if (request.method !== 'GET') return;
      if (url.pathname === '/healthz') return endResponse(json(200, { status: 'ok' }));
      if (url.pathname !== '/readyz') return;
      const results = await Promise.all(
        Object.entries(checks).map(async ([name, check]) => {
          try {
            await withTimeout(check);
            return [name, 'ok'] as const;
          } catch (error) {
            logger.warn({ dependency: name, error: error instanceof Error ? error.message : String(error) }, 'Readiness check failed');
            return [name, 'unreachable'] as const;
          }
        }),
      );
      const failing = results.filter(([, state]) => state !== 'ok').map(([name]) => name);
      endResponse(
        json(failing.length === 0 ? 200 : 503, {
          status: failing.length === 0 ? 'ready' : 'not ready',
          ...(failing.length > 0 ? { message: `Not reachable: ${failing.join(', ')}.` } : {}),
          checks: Object.fromEntries(results),
        }),
      );
    },
  };
}
