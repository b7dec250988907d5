import type { Db } from '../db/client.js';
import type { ObjectStorage } from '../storage/object-storage.js';
import { computeFromTiles, formatTlogProof, inclusionProof, openCheckpoint } from '../tlog/index.js';
import { decodeEntry, sha256Hex } from './entries.js';
import { logIdentity, logPolicy, type LogConfig } from './log-keys.js';
import { CHECKPOINT_PATH, LOG_PREFIX, storageTileSource } from './log-storage.js';

export type BadgeProof = { ok: true; proof: string } | { ok: false; status: 404 | 503; message: string };

/**
 * The C2SP tlog-proof that a badge's grant is in the log, against the
 * published checkpoint. Its `extra` carries the logged entry itself, so a
 * verifier holding only the credential can check the entry names its hash.
 * A badge signed a new credential has a grant for each: the proof is of the
 * one handed out (the newest a checkpoint covers), else of the latest.
 */
export async function badgeGrantProof(deps: { db: Db; storage: ObjectStorage; config: LogConfig }, badgeId: string): Promise<BadgeProof> {
  const identity = logIdentity(deps.config);
  if (!identity) return { ok: false, status: 503, message: 'This service keeps no transparency log.' };
  // The grant of the credential handed out now (each credential signed for it is logged as a grant).
  const [grants, badge] = await Promise.all([
    deps.db.transparencyLogEntry.findMany({
      where: { badgeId, eventType: 'badge.granted' },
      select: { entry: true, logIndex: true },
      orderBy: { seq: 'desc' },
    }),
    deps.db.badge.findUnique({ where: { id: badgeId }, select: { credential: true, publishedCredential: true } }),
  ]);
  const handedOut = badge?.publishedCredential ?? badge?.credential;
  const current = handedOut ? sha256Hex(handedOut) : null;
  const grant = grants.find((g) => decodeEntry(g.entry).credentialSha256 === current) ?? grants[0];
  if (!grant) return { ok: false, status: 404, message: 'No badge with this id was granted in the transparency log.' };
  const note = await deps.storage.get(LOG_PREFIX + CHECKPOINT_PATH);
  const notYet = {
    ok: false,
    status: 404,
    message: 'The badge was granted, but no published checkpoint covers its log entry yet; try again in a minute.',
  } as const;
  if (grant.logIndex === null || !note) return notYet;
  const { checkpoint } = openCheckpoint(note, logPolicy(identity, deps.config));
  const index = Number(grant.logIndex);
  if (index >= checkpoint.size) return notYet;
  const hashes = await computeFromTiles(storageTileSource(deps.storage), checkpoint.size, (r) => inclusionProof(r, index, checkpoint.size));
  return { ok: true, proof: formatTlogProof({ extra: Buffer.from(grant.entry), index, hashes, checkpoint: note.toString('utf8') }) };
}
