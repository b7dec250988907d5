import { Prisma } from '@prisma/client';
import { DirectConnectionLost } from './direct-sql.js';

// A statement that fails because its connection went away (the server
// restarted, an operator or a failover terminated the backend, the network
// dropped) says nothing about the request: sending it again may well work.
// Told apart by codes, never by message text.

/** Prisma's own codes for an unreachable or closed database. */
const PRISMA_CONNECTION_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017']);
/** The driver adapter's kinds for the same. */
const ADAPTER_CONNECTION_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections']);

/** SQLSTATE class 08 (connection exception) and 57P (operator intervention: terminated, shutting down, starting up). */
const isConnectionSqlState = (code: unknown) => typeof code === 'string' && (code.startsWith('08') || code.startsWith('57P'));

interface AdapterCause {
  kind?: unknown;
  code?: unknown;
}

export function isConnectionLost(error: unknown): boolean {
  if (error instanceof DirectConnectionLost) return true;
  if (error instanceof Prisma.PrismaClientInitializationError) return true;
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return false;
  if (PRISMA_CONNECTION_CODES.has(error.code)) return true;
  const cause = (error.meta?.driverAdapterError as { cause?: AdapterCause } | undefined)?.cause;
  if (!cause) return false;
  return ADAPTER_CONNECTION_KINDS.has(String(cause.kind)) || (cause.kind === 'postgres' && isConnectionSqlState(cause.code));
}
