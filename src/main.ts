// Entry point of the API: listens, and shuts down cleanly on SIGTERM.
import { createServer } from 'node:http';
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { installTracingFromConfig } from './observability/tracing.js';
import { createRuntime } from './runtime.js';

const DRAIN_MS = 10_000;

async function main() {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  // Before the runtime: its Temporal client and the GraphQL plugins trace only when tracing is installed.
  const tracing = installTracingFromConfig(config, 'brand-auth-api');
  const runtime = await createRuntime(config, { logger });
  const server = createServer((req, res) => runtime.app.handle(req, res));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.PORT, config.HOST, resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  logger.info({ url: `http://${config.HOST}:${port}/graphql` }, 'API listening');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'API shutting down');
    // Finish requests in flight, then drop idle keep-alive connections.
    const drained = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const timer = setTimeout(() => server.closeAllConnections(), DRAIN_MS);
    await drained;
    clearTimeout(timer);
    await runtime.close();
    await tracing?.shutdown();
    logger.info('API stopped');
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

main().catch((error) => {
  if (error instanceof ConfigError) console.error(error.message);
  else if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE')
    console.error(`The API port is taken: ${(error as Error).message}. Set PORT to a free port.`);
  else console.error('The API stopped on an unexpected error:', error instanceof Error ? error.message : error);
  process.exit(1);
});
