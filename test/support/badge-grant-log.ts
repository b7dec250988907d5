import { decodeGlobalID } from '@pothos/plugin-relay';
import type { Db } from '../../src/db/client.js';
import { TileAppender, generateNoteKey, noteSigner, signCheckpoint } from '../../src/tlog/index.js';
import { badgeGrantProof } from '../../src/transparency/badge-proofs.js';
import { encodeEntry, sha256Hex, type LogEntry } from '../../src/transparency/entries.js';
import type { LogConfig } from '../../src/transparency/log-keys.js';
import { CHECKPOINT_PATH, LOG_PREFIX, writeTiles } from '../../src/transparency/log-storage.js';
import { memoryStorage } from './memory-storage.js';

interface Row {
  badgeId: string | null;
  eventType: string;
  entry: Buffer;
  logIndex: bigint | null;
}

/**
 * A transparency log built with the service's own code, in memory: entries
 * encoded as the service encodes them, tiles appended and stored, checkpoints
 * signed with the log's key, and tlog-proofs answered by the service's
 * badge-proof code from what is stored.
 */
export function badgeGrantLog(origin = 'badges.example/transparency-log') {
  const { skey, vkey } = generateNoteKey(origin);
  const storage = memoryStorage();
  const appender = TileAppender.empty();
  const rows: Row[] = [];
  /** Each badge's credential now, as the badge row holds it. */
  const credentials = new Map<string, string>();
  const db = {
    transparencyLogEntry: {
      findMany: async ({ where }: { where: { badgeId: string; eventType: string } }) =>
        rows.filter((row) => row.badgeId === where.badgeId && row.eventType === where.eventType).reverse(),
    },
    badge: {
      findUnique: async ({ where }: { where: { id: string } }) => ({
        credential: credentials.get(where.id) ?? null,
        publishedCredential: null,
      }),
    },
  } as unknown as Db;
  const config = { TLOG_SIGNING_KEY: skey, TLOG_WITNESSES: [], TLOG_WITNESS_QUORUM: 0 } as unknown as LogConfig;

  return {
    origin,
    vkey,
    skey,
    /** The log's entry bytes, by index. */
    entries: () => rows.filter((row) => row.logIndex !== null).map((row) => row.entry),
    /** Records an entry as the service writes it with its change; it is in the log once published. */
    record(entry: LogEntry) {
      rows.push({ badgeId: entry.ids.badge ?? null, eventType: entry.type, entry: encodeEntry(entry), logIndex: null });
    },
    /** Records the grant of a badge's (by its global ID) credential, as issuing or re-signing a badge does. */
    grant(badgeGlobalId: string, credential: string) {
      const badge = decodeGlobalID(badgeGlobalId).id;
      const again = credentials.has(badge);
      credentials.set(badge, credential);
      this.record({
        v: 1,
        type: 'badge.granted',
        time: 1_765_000_000 + rows.length,
        eventId: again ? `badge:${badge}:granted:${rows.length}` : `badge:${badge}:granted`,
        ids: { badge, store: 's1', brand: 'r1' },
        reason: 'ISSUED',
        credentialSha256: sha256Hex(credential),
        status: { list: 2, index: rows.length, revoked: 0, suspended: 0 },
      });
    },
    /** Integrates what is pending, stores the tiles and publishes a newly signed checkpoint. */
    async publish() {
      const pending = rows.filter((row) => row.logIndex === null);
      const result = appender.append(pending.map((row) => row.entry));
      pending.forEach((row, i) => (row.logIndex = BigInt(result.oldSize + i)));
      await writeTiles(storage, result.writes);
      const note = signCheckpoint({ origin, size: result.size, root: result.root, extensions: [] }, [noteSigner(skey)]);
      await storage.put(LOG_PREFIX + CHECKPOINT_PATH, Buffer.from(note), 'text/plain; charset=utf-8');
      return note;
    },
    /** What GET /badges/<id>/tlog-proof answers: the proof, or throws with the service's 404/503 message. */
    async proof(badgeGlobalId: string): Promise<string> {
      const answer = await badgeGrantProof({ db, storage, config }, decodeGlobalID(badgeGlobalId).id);
      if (!answer.ok) throw new Error(`HTTP ${answer.status}: ${answer.message}`);
      return answer.proof;
    },
  };
}

export type BadgeGrantLog = ReturnType<typeof badgeGrantLog>;
