import { readdirSync } from 'node:fs';
import { execa } from 'execa';
import pg from 'pg';
import { SetupError, becomes, errorText, machineEnv } from './background-process.js';

const LOCAL_SERVER = 'postgresql://postgres@127.0.0.1:5432';
// Databases other programs depend on: set-up must never hand them to the service nor wipe them.
const PROTECTED = new Set(['postgres', 'template0', 'template1']);

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(not a valid URL)';
  }
}

function pgCode(error: unknown): string | undefined {
  const first = error instanceof AggregateError ? error.errors[0] : error;
  return (first as { code?: string } | undefined)?.code;
}

async function connect(connectionString: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    return client;
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
}

/** A server that is down or still starting, as opposed to one that rejects us. */
function isNotRunning(error: unknown): boolean {
  const code = pgCode(error);
  return code === 'ECONNREFUSED' || code === 'ENOENT' || code === '57P03' || /timeout/i.test(errorText(error));
}

/** Debian-style installs can start their cluster without systemd; elsewhere starting it is left to the developer. */
async function tryStartLocalCluster(env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<boolean> {
  let versions: string[];
  try {
    versions = readdirSync('/etc/postgresql').filter((v) => /^\d+(\.\d+)?$/.test(v));
  } catch {
    return false;
  }
  const version = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (version === undefined) return false;
  log(`PostgreSQL is not running; starting cluster ${version}/main with pg_ctlcluster…`);
  const started = await execa('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start'], {
    env: machineEnv(env),
    timeout: 60_000,
    reject: false,
  });
  return !started.failed;
}

async function connectLocalAdmin(env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<pg.Client> {
  let client: pg.Client | undefined;
  let lastError: unknown;
  // Settled: connected, or refused for a reason that waiting will not fix.
  const settled = async () => {
    client = await connect(`${LOCAL_SERVER}/postgres`).catch((error: unknown) => void (lastError = error));
    return client !== undefined || !isNotRunning(lastError);
  };
  if (!(await settled()) && (await tryStartLocalCluster(env, log))) await becomes(settled, 20_000, 500);
  if (client !== undefined) return client;
  if (pgCode(lastError)?.startsWith('28')) {
    throw new SetupError(
      `PostgreSQL at 127.0.0.1:5432 refused user postgres without a password (${errorText(lastError)}); allow local trust login for that user or set DATABASE_URL.`,
    );
  }
  if (!isNotRunning(lastError)) {
    throw new SetupError(`PostgreSQL at 127.0.0.1:5432 cannot be used (${errorText(lastError)}); fix it or set DATABASE_URL.`);
  }
  throw new SetupError(
    `PostgreSQL is not reachable at 127.0.0.1:5432 (${errorText(lastError)}); start it (for example with pg_ctlcluster or brew services start postgresql) or set DATABASE_URL.`,
  );
}

/** The database URL to use: DATABASE_URL if set, else a local database created on demand. */
export async function ensureDatabase(opts: { env: NodeJS.ProcessEnv; database: string; log: (line: string) => void }): Promise<string> {
  const given = opts.env.DATABASE_URL;
  if (given) {
    try {
      const client = await connect(given);
      await client.end();
    } catch (error) {
      const hint = pgCode(error) === '3D000' ? 'create that database' : 'fix DATABASE_URL';
      throw new SetupError(
        `Cannot connect to DATABASE_URL ${redact(given)} (${errorText(error)}); ${hint}, or unset DATABASE_URL to use the local PostgreSQL.`,
      );
    }
    return given;
  }

  const { database } = opts;
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(database) || PROTECTED.has(database)) {
    throw new SetupError(
      `"${database}" cannot be used as the service's database; use lowercase letters, digits and underscores, and not postgres or a template.`,
    );
  }
  const admin = await connectLocalAdmin(opts.env, opts.log);
  try {
    const existing = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (existing.rowCount === 0) {
      try {
        // The name is validated above, and CREATE DATABASE takes no parameters.
        await admin.query(`CREATE DATABASE "${database}"`);
        opts.log(`Created PostgreSQL database ${database}.`);
      } catch (error) {
        // 42P04: another set-up created it in the meantime.
        if (pgCode(error) !== '42P04') {
          throw new SetupError(
            `Could not create PostgreSQL database ${database} (${errorText(error)}); create it by hand or set DATABASE_URL.`,
          );
        }
      }
    }
  } finally {
    await admin.end().catch(() => undefined);
  }
  return `${LOCAL_SERVER}/${database}`;
}

/** Empties the database's public schema so migrations start from nothing (used before test runs). */
export async function resetDatabase(databaseUrl: string): Promise<void> {
  let name: string;
  try {
    name = decodeURIComponent(new URL(databaseUrl).pathname.replace(/^\//, ''));
  } catch {
    throw new SetupError(`The database URL ${redact(databaseUrl)} is not a valid URL; use postgresql://user@host:port/database.`);
  }
  if (!name || PROTECTED.has(name)) {
    throw new SetupError(`Refusing to reset database "${name || '(default)'}"; point the URL at a database of its own.`);
  }
  let client: pg.Client;
  try {
    client = await connect(databaseUrl);
  } catch (error) {
    throw new SetupError(`Cannot connect to ${redact(databaseUrl)} to reset it (${errorText(error)}); check that PostgreSQL is running.`);
  }
  try {
    await client.query('DROP SCHEMA IF EXISTS public CASCADE');
    await client.query('CREATE SCHEMA public');
  } finally {
    await client.end().catch(() => undefined);
  }
}
