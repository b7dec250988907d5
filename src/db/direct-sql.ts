import pg from 'pg';

// The two anonymous storefront statements (a product-code check, a badge read)
// are the service's hottest; through Prisma's raw-query path each spends more
// time in the client than in PostgreSQL. They go to the pool Prisma also uses,
// as named prepared statements, and still report to the same query counter.

/** A statement PostgreSQL prepares once per connection under its name. */
export interface NamedStatement {
  name: string;
  text: string;
}

export interface DirectSql {
  rows<T>(statement: NamedStatement, values: unknown[]): Promise<T[]>;
}

/** The database went away under a direct statement; answered like Prisma's own connection errors. */
export class DirectConnectionLost extends Error {
  constructor(cause: unknown) {
    super('the database connection was lost', { cause });
    this.name = 'DirectConnectionLost';
  }
}

/** SQLSTATE class 08 (connection exception) and 57P (operator intervention). */
const isConnectionSqlState = (code: string | undefined) => !!code && (code.startsWith('08') || code.startsWith('57P'));

// A server error is a pg.DatabaseError with a SQLSTATE; anything else the
// driver throws (a refused or reset socket, a connection ended mid-query)
// comes from the connection itself.
function classify(error: unknown): unknown {
  if (error instanceof pg.DatabaseError) return isConnectionSqlState(error.code) ? new DirectConnectionLost(error) : error;
  return new DirectConnectionLost(error);
}

const byClient = new WeakMap<object, DirectSql>();

export function attachDirectSql(client: object, pool: pg.Pool, onQuery?: (sql: string) => void): void {
  byClient.set(client, {
    async rows<T>(statement: NamedStatement, values: unknown[]) {
      onQuery?.(statement.text);
      try {
        const result = await pool.query({ name: statement.name, text: statement.text, values });
        return result.rows as T[];
      } catch (error) {
        throw classify(error);
      }
    },
  });
}

/** The direct path of a client made by `createDb`. */
export function directSql(client: object): DirectSql {
  const sql = byClient.get(client);
  if (!sql) throw new Error('this database client was not made by createDb');
  return sql;
}
