// A transparency log of the test's own: the log is one per database and bucket,
// and every other test file appends to the shared one as it runs, so a test
// that needs the log at exact sizes gets a database and bucket of its own.
import { tmpdir } from 'node:os';
import pg from 'pg';
import { resetDatabase } from '../../src/setup/components.js';
import { removeLogObjects } from '../../src/setup/log-objects.js';
import { ensureS3 } from '../../src/setup/minio-server.js';
import { migrateDatabase } from '../../src/setup/migrate.js';
import { testEnv } from './test-env.js';

/**
 * Settings for a stack whose log starts empty: a database named after the test
 * database plus `suffix` (created once, emptied and migrated on every call) and
 * a bucket likewise named, with no log objects in it.
 */
export async function isolatedLogConfig(suffix: string): Promise<Record<string, string>> {
  const env = testEnv();
  const shared = new URL(env.DATABASE_URL!);
  const database = `${decodeURIComponent(shared.pathname.slice(1))}_${suffix}`.slice(0, 63);
  const own = new URL(shared);
  own.pathname = `/${database}`;

  const admin = new pg.Client({ connectionString: shared.toString() });
  await admin.connect();
  try {
    const existing = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    // The name is the test database's (already valid) plus a fixed suffix; CREATE DATABASE takes no parameters.
    if (existing.rowCount === 0) await admin.query(`CREATE DATABASE "${database}"`);
  } finally {
    await admin.end();
  }
  await resetDatabase(own.toString());
  await migrateDatabase(own.toString());

  const bucket = `${env.S3_BUCKET}-${suffix.replaceAll('_', '-')}`.slice(0, 63);
  await ensureS3({ env: { ...env, S3_BUCKET: bucket }, bucket, stateDir: tmpdir(), log: () => undefined });
  await removeLogObjects({ ...env, S3_BUCKET: bucket });
  return { DATABASE_URL: own.toString(), S3_BUCKET: bucket };
}
