import { ensureComponents } from './components.js';
import { loadDevSecrets } from './dev-secrets.js';
import { migrateDatabase } from './migrate.js';
import { checkoutId, dataDir, localStateDir } from './project-paths.js';

export type LocalKind = 'dev' | 'test';

// The test set-up empties its database, so it never takes the developer's own
// DATABASE_URL or bucket: tests use TEST_DATABASE_URL and TEST_S3_BUCKET, or local ones.
function testOverrides(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { DATABASE_URL: _db, S3_BUCKET: _bucket, ...rest } = env;
  return {
    ...rest,
    ...(env.TEST_DATABASE_URL ? { DATABASE_URL: env.TEST_DATABASE_URL } : {}),
    ...(env.TEST_S3_BUCKET ? { S3_BUCKET: env.TEST_S3_BUCKET } : {}),
  };
}

/**
 * Makes PostgreSQL, Temporal and S3 available (the configured ones, or local
 * ones the project starts), migrates the database, and returns the
 * environment the API and the worker run with. Values already set in the
 * environment win over local defaults.
 */
export async function prepareLocalEnvironment(
  kind: LocalKind,
  log: (line: string) => void,
  options: { beforeMigrate?: (databaseUrl: string) => Promise<void> } = {},
): Promise<Record<string, string>> {
  const components = await ensureComponents({
    env: kind === 'test' ? testOverrides(process.env) : process.env,
    database: kind === 'test' ? `brand_auth_test_${checkoutId}` : 'brand_auth_dev',
    bucket: kind === 'test' ? `brand-auth-test-${checkoutId}` : 'brand-auth-dev',
    stateDir: localStateDir(process.env),
    log,
  });
  await options.beforeMigrate?.(components.DATABASE_URL);
  log('Applying database migrations…');
  await migrateDatabase(components.DATABASE_URL);

  const secrets = await loadDevSecrets(dataDir);
  const defaults: Record<string, string> = {
    NODE_ENV: kind === 'dev' ? 'development' : 'test',
    // Dev tokens (hs256) are accepted on loopback only (src/auth/dev-token-guard.ts).
    HOST: '127.0.0.1',
    AUTH_MODE: 'hs256',
    ...secrets,
    PUBLIC_BASE_URL: 'http://127.0.0.1:4000',
    TEMPORAL_NAMESPACE: 'default',
    TEMPORAL_TASK_QUEUE: `brand-auth-${kind}`,
    S3_FORCE_PATH_STYLE: 'true',
    LOG_LEVEL: kind === 'dev' ? 'info' : 'warn',
    // Badge credentials are handed out once a checkpoint covers their grant: locally the log
    // signs one within seconds rather than production's minute.
    TLOG_CHECKPOINT_INTERVAL_SECONDS: kind === 'dev' ? '5' : '1',
  };
  const fromEnvironment = Object.fromEntries(Object.keys(defaults).flatMap((key) => (process.env[key] ? [[key, process.env[key]!]] : [])));
  return { ...defaults, ...fromEnvironment, ...components };
}
