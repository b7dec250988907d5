import { HASH_SIZE, leafHash, verifyConsistency, verifyInclusion, type Hash } from './hashing.js';
import { TlogError, malformed } from './errors.js';
import { openCheckpoint, type Checkpoint, type LogPolicy, type VerifiedCheckpoint } from './checkpoint.js';
import { decodeBase64Strict } from './note.js';

/**
 * C2SP tlog-proof: an offline-verifiable proof that an entry is in a log.
 *
 *   c2sp.org/tlog-proof@v1
 *   [extra <base64>]
 *   index <decimal>
 *   <base64 hash>            (zero or more, leaf's sibling first)
 *
 *   <signed checkpoint, verbatim>
 */
export const TLOG_PROOF_HEADER = 'c2sp.org/tlog-proof@v1';

export interface TlogProof {
  /** Unauthenticated application data; never trust it without checking it against the entry. */
  extra?: Buffer;
  index: number;
  hashes: Hash[];
  /** The signed checkpoint note, verbatim. */
  checkpoint: string;
}

export function formatTlogProof(proof: TlogProof): string {
  if (!Number.isSafeInteger(proof.index) || proof.index < 0) throw malformed(`proof index ${proof.index} is out of range`);
  if (proof.hashes.some((h) => h.length !== HASH_SIZE)) throw malformed('proof hashes must be 32 bytes');
  const lines = [TLOG_PROOF_HEADER];
  if (proof.extra !== undefined) lines.push(`extra ${proof.extra.toString('base64')}`);
  lines.push(`index ${proof.index}`, ...proof.hashes.map((h) => h.toString('base64')));
  return `${lines.join('\n')}\n\n${proof.checkpoint}`;
}

export function parseTlogProof(text: string): TlogProof {
  const lines = text.split('\n');
  let at = 0;
  if (lines[at++] !== TLOG_PROOF_HEADER) throw malformed('not a c2sp.org/tlog-proof@v1');
  let extra: Buffer | undefined;
  if (lines[at]?.startsWith('extra ')) {
    const bytes = decodeBase64Strict(lines[at++]!.slice('extra '.length));
    if (!bytes) throw malformed('proof extra data is not base64');
    extra = bytes;
  }
  const index = /^index (0|[1-9][0-9]*)$/.exec(lines[at++] ?? '')?.[1];
  if (index === undefined || !Number.isSafeInteger(Number(index)))
    throw malformed('proof index line is missing or not a canonical decimal');
  const hashes: Hash[] = [];
  for (; at < lines.length && lines[at] !== ''; at++) {
    const hash = decodeBase64Strict(lines[at]!);
    if (!hash || hash.length !== HASH_SIZE) throw malformed('proof line is not a base64 SHA-256 hash');
    hashes.push(hash);
  }
  if (at >= lines.length) throw malformed('proof has no checkpoint');
  const checkpoint = lines.slice(at + 1).join('\n');
  if (checkpoint.length === 0) throw malformed('proof has no checkpoint');
  return { ...(extra === undefined ? {} : { extra }), index: Number(index), hashes, checkpoint };
}

/**
 * Verifies that `entry` (the logged bytes) is entry `index` of the tree a
 * trusted, signed checkpoint commits to. Returns the checkpoint and witnesses.
 */
export function verifyTlogProof(proof: string | TlogProof, entry: Uint8Array, policy: LogPolicy): VerifiedCheckpoint & { index: number } {
  const parsed = typeof proof === 'string' ? parseTlogProof(proof) : proof;
  const verified = openCheckpoint(parsed.checkpoint, policy);
  const { size, root } = verified.checkpoint;
  if (parsed.index >= size) throw new TlogError('BAD_PROOF', `index ${parsed.index} is not below checkpoint size ${size}`);
  verifyInclusion(leafHash(entry), parsed.index, size, parsed.hashes, root);
  return { ...verified, index: parsed.index };
}

/**
 * Checks that `newer` extends `older` (two checkpoints of one log, both already
 * verified). Two roots signed for one size is a FORK; a proof that does not
 * join the roots is BAD_PROOF (a log that cannot produce a good one has forked).
 * From size 0 there is nothing to prove (parseCheckpoint fixes its root); the
 * proof must then be empty.
 */
export function verifyCheckpointConsistency(older: Checkpoint, newer: Checkpoint, proof: readonly Uint8Array[]): void {
  if (older.origin !== newer.origin) throw new TlogError('UNVERIFIED', `checkpoints of two logs: ${older.origin} and ${newer.origin}`);
  if (newer.size < older.size) throw new TlogError('OUT_OF_RANGE', `size ${newer.size} cannot extend size ${older.size}`);
  if (newer.size === older.size && !newer.root.equals(older.root)) throw new TlogError('FORK', `two roots signed for size ${older.size}`);
  if (older.size === 0) {
    if (proof.length !== 0) throw new TlogError('BAD_PROOF', 'no proof is needed from the empty tree');
    return;
  }
  verifyConsistency(older.size, newer.size, proof, older.root, newer.root);
}

/**
 * A client's view of one log: it remembers the largest checkpoint it verified
 * and accepts a new one only with a consistency proof from it, so a log that
 * forks is caught. An older checkpoint (a stale cache) must be proven a prefix
 * of the current one and does not replace it.
 */
export class CheckpointFollower {
  private latest: VerifiedCheckpoint | null = null;

  constructor(private readonly policy: LogPolicy) {}

  get current(): Checkpoint | null {
    return this.latest?.checkpoint ?? null;
  }

  /** `proof` is the consistency proof between the current checkpoint's size and the new one's (smaller size first). */
  update(note: string | Uint8Array, proof: readonly Uint8Array[]): VerifiedCheckpoint {
    const next = openCheckpoint(note, this.policy);
    const current = this.latest;
    if (!current) return (this.latest = next);
    if (next.checkpoint.size < current.checkpoint.size) {
      verifyCheckpointConsistency(next.checkpoint, current.checkpoint, proof);
      return current;
    }
    verifyCheckpointConsistency(current.checkpoint, next.checkpoint, proof);
    return (this.latest = next);
  }
}
