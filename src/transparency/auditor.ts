import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { compactVerify, createLocalJWKSet, type JSONWebKeySet } from 'jose';
import {
  CheckpointFollower,
  TILE_WIDTH,
  TlogError,
  bundlePath,
  computeFromTiles,
  consistencyProof,
  cosignatureVerifier,
  decodeBundle,
  noteVerifier,
  openCheckpoint,
  tilePath,
  verifyBundle,
  verifyCheckpointConsistency,
  verifyTlogProof,
  type Checkpoint,
  type LogPolicy,
  type TileSource,
} from '../tlog/index.js';
import { decodeEntry, type LogEntry } from './entries.js';

// What anyone can check with the published log alone: a badge credential's
// grant is in it, two checkpoints are of one history, and every change the
// signed status lists show was logged.

export interface PolicyOptions {
  vkey: string;
  witnesses?: string[];
  quorum?: number;
}

export function policyFrom(options: PolicyOptions): LogPolicy {
  const log = noteVerifier(options.vkey);
  return {
    origin: log.name,
    log,
    witnesses: (options.witnesses ?? []).map(cosignatureVerifier),
    quorum: options.quorum ?? 0,
  };
}

async function get(base: string, path: string): Promise<Response> {
  const res = await fetch(new URL(path, base.endsWith('/') ? base : `${base}/`));
  if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
  return res;
}

export function httpTiles(base: string): TileSource {
  return { readTile: async (tile) => Buffer.from(await (await get(base, `tlog/${tilePath(tile)}`)).arrayBuffer()) };
}

/** Checks a badge credential against its tlog-proof: the proven entry is the grant of exactly this credential. */
export function verifyCredentialProof(credential: string, proof: string, policy: LogPolicy) {
  const extra = /^extra (.+)$/m.exec(proof)?.[1];
  if (!extra) throw new TlogError('BAD_PROOF', 'the proof carries no log entry (extra line)');
  const entryBytes = Buffer.from(extra, 'base64');
  const verified = verifyTlogProof(proof, entryBytes, policy);
  const entry = decodeEntry(entryBytes);
  const hash = createHash('sha256').update(credential.trim()).digest('hex');
  if (entry.type !== 'badge.granted') throw new TlogError('BAD_PROOF', `the proven entry is a ${entry.type}, not a badge grant`);
  if (entry.credentialSha256 !== hash) throw new TlogError('BAD_PROOF', 'the proven grant is of another credential');
  return { entry, index: verified.index, size: verified.checkpoint.size, cosignatures: verified.cosignatures };
}

/** Checks that checkpoint `newer` extends `older`, with a consistency proof computed from the log's tiles. */
export async function verifyConsistencyOf(older: string, newer: string, policy: LogPolicy, tiles: TileSource): Promise<void> {
  const a = openCheckpoint(older, policy).checkpoint;
  const b = openCheckpoint(newer, policy).checkpoint;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  const proof =
    small.size === 0 || small.size === large.size
      ? []
      : await computeFromTiles(tiles, large.size, (r) => consistencyProof(r, small.size, large.size));
  verifyCheckpointConsistency(small, large, proof);
}

/** What the auditor remembers between runs. */
export interface AuditState {
  checkpoint: string;
  size: number;
  /** Per status-list position ("list:index"): the badge and its bits, as the log last said. */
  bits: Record<string, { badge: string; revoked: 0 | 1; suspended: 0 | 1 }>;
}

export interface AuditProblem {
  kind: 'unlogged-revocation' | 'unlogged-reinstatement' | 'unlogged-suspension' | 'unlogged-unsuspension' | 'unpublished-revocation';
  list: number;
  index: number;
  badge?: string;
}

export interface AuditReport {
  size: number;
  newEntries: number;
  problems: AuditProblem[];
  state: AuditState;
}

async function readEntries(tiles: TileSource, base: string, checkpoint: Checkpoint, from: number): Promise<LogEntry[]> {
  const entries: LogEntry[] = [];
  for (let bundle = Math.floor(from / TILE_WIDTH); bundle * TILE_WIDTH < checkpoint.size; bundle++) {
    const width = Math.min(TILE_WIDTH, checkpoint.size - bundle * TILE_WIDTH);
    const data = Buffer.from(await (await get(base, `tlog/${bundlePath({ index: bundle, width })}`)).arrayBuffer());
    await verifyBundle(tiles, checkpoint, { index: bundle, width }, data);
    decodeBundle(data, width).forEach((bytes, i) => {
      if (bundle * TILE_WIDTH + i >= from) entries.push(decodeEntry(bytes));
    });
  }
  return entries;
}

/** The set bits of one signed status list, or null when the list does not exist. */
async function publishedBits(
  base: string,
  purpose: 'revocation' | 'suspension',
  list: number,
  keys: JSONWebKeySet,
): Promise<Set<number> | null> {
  const res = await fetch(new URL(`status/badges/${purpose}/${list}`, base.endsWith('/') ? base : `${base}/`));
  if (res.status === 404) return null;
  if (res.status !== 200) throw new Error(`GET status list ${purpose}/${list} answered ${res.status}`);
  const { payload } = await compactVerify(await res.text(), createLocalJWKSet(keys));
  const encoded = (JSON.parse(new TextDecoder().decode(payload)) as { credentialSubject: { encodedList: string } }).credentialSubject
    .encodedList;
  const bits = gunzipSync(Buffer.from(encoded.slice(1), 'base64url'));
  const set = new Set<number>();
  bits.forEach((byte, i) => {
    for (let b = 0; b < 8; b++) if (byte & (0x80 >> b)) set.add(i * 8 + b);
  });
  return set;
}

/**
 * One audit run: verifies the served checkpoint, proves it extends the one
 * seen last time (a fork throws), replays the new entries' status changes and
 * compares every status list the service publishes with what the log says.
 */
export async function audit(base: string, policy: LogPolicy, previous: AuditState | null): Promise<AuditReport> {
  const tiles = httpTiles(base);
  const note = await (await get(base, 'tlog/checkpoint')).text();
  const follower = new CheckpointFollower(policy);
  let from = 0;
  const bits: AuditState['bits'] = { ...previous?.bits };
  if (previous) {
    follower.update(previous.checkpoint, []);
    const older = openCheckpoint(previous.checkpoint, policy).checkpoint;
    const newer = openCheckpoint(note, policy).checkpoint;
    const proof =
      older.size === 0 || newer.size <= older.size
        ? []
        : await computeFromTiles(tiles, newer.size, (r) => consistencyProof(r, older.size, newer.size));
    if (newer.size < older.size) throw new TlogError('FORK', `the log shrank from ${older.size} to ${newer.size} entries`);
    follower.update(note, proof);
    from = older.size;
  } else {
    follower.update(note, []);
  }
  const checkpoint = follower.current!;
  const entries = await readEntries(tiles, base, checkpoint, from);
  for (const entry of entries) {
    if (!entry.status || !entry.ids.badge) continue;
    bits[`${entry.status.list}:${entry.status.index}`] = {
      badge: entry.ids.badge,
      revoked: entry.status.revoked,
      suspended: entry.status.suspended,
    };
  }

  const keys = (await (await get(base, '.well-known/jwks.json')).json()) as JSONWebKeySet;
  const problems: AuditProblem[] = [];
  for (let list = 0; ; list++) {
    const revoked = await publishedBits(base, 'revocation', list, keys);
    const suspended = await publishedBits(base, 'suspension', list, keys);
    if (!revoked || !suspended) break;
    const logged = Object.entries(bits).filter(([key]) => key.startsWith(`${list}:`));
    const loggedAt = new Map(logged.map(([key, value]) => [Number(key.split(':')[1]), value]));
    for (const index of revoked) {
      if (loggedAt.get(index)?.revoked !== 1)
        problems.push({ kind: 'unlogged-revocation', list, index, ...(loggedAt.get(index) ? { badge: loggedAt.get(index)!.badge } : {}) });
    }
    for (const index of suspended) {
      if (loggedAt.get(index)?.suspended !== 1) problems.push({ kind: 'unlogged-suspension', list, index });
    }
    for (const [index, value] of loggedAt) {
      if (value.revoked === 1 && !revoked.has(index)) problems.push({ kind: 'unpublished-revocation', list, index, badge: value.badge });
      // The log says suspended but the list no longer does: a reinstatement (or revocation) that was never logged.
      if (value.suspended === 1 && !suspended.has(index) && !revoked.has(index))
        problems.push({ kind: 'unlogged-reinstatement', list, index, badge: value.badge });
    }
  }
  return { size: checkpoint.size, newEntries: entries.length, problems, state: { checkpoint: note, size: checkpoint.size, bits } };
}
