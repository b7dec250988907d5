import type { Db } from '../db/client.js';
import type { Logger } from '../logger.js';
import { BADGE_CHANGED_CHANNEL } from '../events/badge-events.js';
import type { ObjectStorage } from '../storage/object-storage.js';
import { EMPTY_ROOT, computeFromTiles, consistencyProof, noteSigner, signCheckpoint, verifyConsistency } from '../tlog/index.js';
import { lockLogState, type LogState } from './integration.js';
import { logIdentity, type LogConfig } from './log-keys.js';
import { CHECKPOINT_PATH, LOG_PREFIX, storageTileSource } from './log-storage.js';
import { requestCosignature, witnessName, type WitnessAnswer } from './witnesses.js';

/** The log would sign a checkpoint that does not extend the last one it signed. */
export class InconsistentCheckpointError extends Error {
  constructor(message: string) {
    super(`Refusing to sign: ${message}`);
    this.name = 'InconsistentCheckpointError';
  }
}

export interface CheckpointDeps {
  db: Db;
  storage: ObjectStorage;
  config: LogConfig;
  logger: Logger;
  clock: () => Date;
}

export type CheckpointOutcome =
  | { published: false; reason: 'not-due' | 'log-off' }
  | { published: false; reason: 'quorum-not-met'; size: number; witnesses: WitnessAnswer[] }
  | { published: true; size: number; witnesses: WitnessAnswer[] };

const proofSource = (storage: ObjectStorage, size: number) => (oldSize: number) =>
  computeFromTiles(storageTileSource(storage), size, (r) => consistencyProof(r, oldSize, size));

/** Checks the tree about to be signed against the last signed one, from the stored tiles. */
async function checkExtendsSigned(storage: ObjectStorage, state: LogState, size: number, root: Buffer): Promise<void> {
  if (state.signedSize === null || !state.signedRoot) return;
  if (size < state.signedSize) throw new InconsistentCheckpointError(`size ${size} is below the signed size ${state.signedSize}`);
  if (size === state.signedSize) {
    if (!root.equals(state.signedRoot)) throw new InconsistentCheckpointError(`a second root for size ${size}`);
    return;
  }
  if (state.signedSize === 0) return;
  const proof = await proofSource(storage, size)(state.signedSize);
  try {
    verifyConsistency(state.signedSize, size, proof, state.signedRoot, root);
  } catch {
    throw new InconsistentCheckpointError(`the tree of size ${size} does not extend the signed tree of size ${state.signedSize}`);
  }
}

/**
 * Hands out the credentials whose grant the checkpoint just published covers:
 * a badge's newest credential becomes the one the API serves once its
 * `badge.granted` entry (naming the credential's hash) is below the published
 * size. Each badge released is announced as a badge change, so storefront
 * caches drop the answers that showed it without one (or with the previous).
 */
async function releaseCoveredCredentials(tx: Pick<Db, '$queryRaw'>, size: number): Promise<void> {
  await tx.$queryRaw`
    WITH released AS (
      UPDATE "Badge" b SET "publishedCredential" = b."credential"
      WHERE b."credential" IS DISTINCT FROM b."publishedCredential" AND b."credential" IS NOT NULL
        AND EXISTS (
          SELECT 1 FROM "TransparencyLogEntry" e
          WHERE e."badgeId" = b."id" AND e."eventType" = 'badge.granted' AND e."logIndex" < ${size}::bigint
            AND convert_from(e."entry", 'UTF8')::jsonb ->> 'credentialSha256' = encode(sha256(convert_to(b."credential", 'UTF8')), 'hex'))
      RETURNING b."id", b."storeId")
    SELECT pg_notify(${BADGE_CHANGED_CHANNEL}, json_build_object('badgeId', "id", 'storeId', "storeId")::text)::text FROM released`;
}

/**
 * Signs and publishes a checkpoint of the integrated tree when one is due: the
 * log grew and the last was signed at least an interval ago, or the log is idle
 * and its checkpoint is older than the republish time. With witnesses
 * configured it is published once the quorum has cosigned it. The last signed
 * size and root are kept, and nothing inconsistent with them is ever signed.
 */
export async function publishCheckpointIfDue(deps: CheckpointDeps): Promise<CheckpointOutcome> {
  const identity = logIdentity(deps.config);
  if (!identity) return { published: false, reason: 'log-off' };
  return deps.db.$transaction(
    async (tx) => {
      const state = await lockLogState(tx);
      const now = deps.clock();
      const size = state.integratedSize;
      const root = state.integratedRoot ?? EMPTY_ROOT;
      const since = (at: Date | null) => (at ? (now.getTime() - at.getTime()) / 1000 : Infinity);
      const grew = state.signedSize === null || size > state.signedSize;
      // A checkpoint the witnesses did not cosign enough is retried at the growth pace, not the idle one.
      const unpublished = !state.publishedAt || (state.signedAt !== null && state.publishedAt < state.signedAt);
      const due =
        grew || unpublished
          ? since(state.signedAt) >= deps.config.TLOG_CHECKPOINT_INTERVAL_SECONDS
          : since(state.publishedAt) >= deps.config.TLOG_REPUBLISH_SECONDS;
      if (!due) return { published: false, reason: 'not-due' } as const;
      await checkExtendsSigned(deps.storage, state, size, root);
      let note = signCheckpoint({ origin: identity.origin, size, root, extensions: [] }, [noteSigner(identity.skey)]);
      await tx.$executeRaw`
        UPDATE "TransparencyLogState" SET "signedSize" = ${size}::bigint, "signedRoot" = ${root}, "signedAt" = ${now} WHERE "id" = 1`;

      const witnesses: WitnessAnswer[] = [];
      for (const witness of deps.config.TLOG_WITNESSES) {
        const known = await tx.transparencyLogWitness.findUnique({ where: { name: witnessName(witness) } });
        const answer = await requestCosignature(
          witness,
          note,
          size,
          Number(known?.size ?? 0),
          proofSource(deps.storage, size),
          deps.logger,
        );
        witnesses.push(answer);
        if (answer.lines.length === 0) {
          deps.logger.warn({ witness: answer.name, size, error: answer.error }, 'witness did not cosign the checkpoint');
          continue;
        }
        note += answer.lines.map((line) => `${line}\n`).join('');
        await tx.transparencyLogWitness.upsert({
          where: { name: answer.name },
          create: { name: answer.name, size },
          update: { size },
        });
      }
      const cosigned = witnesses.filter((w) => w.lines.length > 0).length;
      if (cosigned < deps.config.TLOG_WITNESS_QUORUM) return { published: false, reason: 'quorum-not-met', size, witnesses } as const;
      // The checkpoint goes last: every tile it commits to is already stored.
      await deps.storage.put(LOG_PREFIX + CHECKPOINT_PATH, Buffer.from(note), 'text/plain; charset=utf-8');
      await tx.$executeRaw`UPDATE "TransparencyLogState" SET "publishedAt" = ${now} WHERE "id" = 1`;
      await releaseCoveredCredentials(tx, size);
      return { published: true, size, witnesses } as const;
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
}
