import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '@prisma/client';
import { attachDirectSql } from './direct-sql.js';
import { NameTypeSafePool } from './name-type-safe-pool.js';

export type Db = PrismaClient;

export interface DbOptions {
  databaseUrl: string;
  maxConnections?: number;
  /** Called once per SQL statement; tests count queries with it. */
  onQuery?: (sql: string) => void;
}

export function createDb({ databaseUrl, maxConnections = 10, onQuery }: DbOptions): Db {
  const pool = new NameTypeSafePool({ connectionString: databaseUrl, max: maxConnections });
  // An idle connection the server dropped (a restart, pg_terminate_backend) is
  // replaced on next use; unheard, its error would end the process.
  pool.on('error', () => undefined);
  const adapter = new PrismaPg(pool);
  const client = new PrismaClient({ adapter, log: onQuery ? [{ emit: 'event', level: 'query' }] : [] });
  if (onQuery) client.$on('query' as never, (event: { query: string }) => onQuery(event.query));
  attachDirectSql(client, pool, onQuery);
  return client;
}
