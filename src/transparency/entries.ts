import { createHash, randomBytes } from 'node:crypto';
import type { Prisma } from '@prisma/client';
import canonicalize from 'canonicalize';
import { MAX_ENTRY_SIZE } from '../tlog/index.js';

// What one log entry says. Entries are public forever, so they carry opaque ids,
// codes from fixed lists, hashes and bits only: any text a person wrote (a
// reason, a note) goes in as a salted commitment whose salt stays in the
// database, so it can be shown to match later without being readable now.

export const ENTRY_VERSION = 1;

export const LOG_EVENT_TYPES = [
  'badge.granted',
  'badge.suspended',
  'badge.reinstated',
  'badge.revoked',
  'badge.expired',
  'letter.approved',
  'letter.revoked',
  'letter.expired',
  'strike.issued',
  'strike.rescinded',
  'complaint.decided',
] as const;
export type LogEventType = (typeof LOG_EVENT_TYPES)[number];

export const REASON_CODES = [
  'ISSUED',
  'STRIKE_SUSPENSION',
  'SUSPENSION_ENDED',
  'STRIKES_EXCEEDED',
  'AUTHORIZATION_REVOKED',
  'REVOKED_BY_REVIEWER',
  'REVOKED_BY_BRAND',
  'VALIDITY_ENDED',
  'APPROVED_BY_REVIEWER',
  'COUNTERFEIT_CONFIRMED',
  'VERDICT_OVERTURNED',
  'COUNTERFEIT',
  'NOT_COUNTERFEIT',
  'INSUFFICIENT_EVIDENCE',
  'OTHER',
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

/** The status-list bits of a badge after the change: the revocation and suspension lists share its position. */
export interface StatusBits {
  list: number;
  index: number;
  revoked: 0 | 1;
  suspended: 0 | 1;
}

export interface LogEntry {
  v: typeof ENTRY_VERSION;
  type: LogEventType;
  /** Seconds since the epoch. */
  time: number;
  eventId: string;
  ids: { badge?: string; letter?: string; complaint?: string; store?: string; brand?: string };
  reason: ReasonCode;
  credentialSha256?: string;
  status?: StatusBits;
  /** SHA-256(salt ‖ text) of sensitive text, hex; the salt is kept off the log. */
  commitments?: Record<string, string>;
}

export interface LogEvent {
  type: LogEventType;
  at: Date;
  eventId: string;
  ids: LogEntry['ids'];
  reason: ReasonCode;
  credential?: string | null;
  status?: StatusBits;
  /** Text that must not be public: committed to with a fresh salt. */
  secrets?: Record<string, string | null | undefined>;
}

export const sha256Hex = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

export const commitment = (salt: Uint8Array, text: string) => sha256Hex(Buffer.concat([salt, Buffer.from(text, 'utf8')]));

/** RFC 8785 canonical JSON, the bytes that are hashed into the log. */
export function encodeEntry(entry: LogEntry): Buffer {
  const bytes = Buffer.from(canonicalize(entry)!, 'utf8');
  if (bytes.length > MAX_ENTRY_SIZE) throw new Error(`log entry ${entry.eventId} is ${bytes.length} bytes, over ${MAX_ENTRY_SIZE}`);
  return bytes;
}

export function decodeEntry(bytes: Uint8Array): LogEntry {
  return JSON.parse(Buffer.from(bytes).toString('utf8')) as LogEntry;
}

/** The entry an event is logged as, with the salts of its commitments. */
function entryOf(event: LogEvent): { entry: LogEntry; salts: Array<{ field: string; salt: Buffer }> } {
  const salts: Array<{ field: string; salt: Buffer }> = [];
  const commitments: Record<string, string> = {};
  for (const [field, text] of Object.entries(event.secrets ?? {})) {
    if (!text) continue;
    const salt = randomBytes(32);
    salts.push({ field, salt });
    commitments[field] = commitment(salt, text);
  }
  const entry: LogEntry = {
    v: ENTRY_VERSION,
    type: event.type,
    time: Math.floor(event.at.getTime() / 1000),
    eventId: event.eventId,
    ids: event.ids,
    reason: event.reason,
    ...(event.credential ? { credentialSha256: sha256Hex(event.credential) } : {}),
    ...(event.status ? { status: event.status } : {}),
    ...(salts.length > 0 ? { commitments } : {}),
  };
  return { entry, salts };
}

/**
 * Writes the events' entries in the caller's transaction, in one statement,
 * with the changes they record; the integrator takes them into the log later.
 * The event id is the idempotency key: an event written twice is logged once,
 * and keeps the salts of its first writing.
 */
export async function recordLogEvents(tx: Prisma.TransactionClient, events: readonly LogEvent[]): Promise<void> {
  // The first writing of an event in the batch wins, as it does across batches.
  const seen = new Set<string>();
  const unique = events.filter((event) => !seen.has(event.eventId) && seen.add(event.eventId));
  const prepared = unique.map(entryOf);
  const created = await tx.transparencyLogEntry.createManyAndReturn({
    data: prepared.map(({ entry }) => ({
      eventId: entry.eventId,
      eventType: entry.type,
      badgeId: entry.ids.badge ?? null,
      entry: new Uint8Array(encodeEntry(entry)),
    })),
    skipDuplicates: true,
    select: { eventId: true },
  });
  const fresh = new Set(created.map((row) => row.eventId));
  const salts = prepared
    .filter(({ entry }) => fresh.has(entry.eventId))
    .flatMap(({ entry, salts }) => salts.map((s) => ({ eventId: entry.eventId, field: s.field, salt: new Uint8Array(s.salt) })));
  if (salts.length > 0) await tx.transparencyLogSalt.createMany({ data: salts });
}

/** Writes one event's entry in the caller's transaction, with the change it records. */
export function recordLogEvent(tx: Prisma.TransactionClient, event: LogEvent): Promise<void> {
  return recordLogEvents(tx, [event]);
}
