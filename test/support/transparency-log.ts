import { expect, vi } from 'vitest';
import {
  CheckpointFollower,
  TILE_WIDTH,
  bundlePath,
  computeFromTiles,
  consistencyProof,
  decodeBundle,
  openCheckpoint,
  tilePath,
  verifyBundle,
  type TileSource,
  type VerifiedCheckpoint,
} from '../../src/tlog/index.js';
import { decodeEntry, type LogEntry } from '../../src/transparency/entries.js';
import { logIdentity, logPolicy } from '../../src/transparency/log-keys.js';
import type { Stack } from './stack.js';

/** Reads the log as any monitor would: over HTTP, from the paths the API serves. */
export function httpTileSource(stack: Pick<Stack, 'http'>): TileSource {
  return {
    async readTile(tile) {
      const res = await stack.http(`/tlog/${tilePath(tile)}`);
      if (res.status !== 200) throw new Error(`GET /tlog/${tilePath(tile)} answered ${res.status}`);
      return Buffer.from(await res.arrayBuffer());
    },
  };
}

export const stackLogPolicy = (stack: Pick<Stack, 'config'>) => logPolicy(logIdentity(stack.config)!, stack.config);

/** The served checkpoint, verified under the log's key (and witness policy). */
export async function servedCheckpoint(stack: Pick<Stack, 'http' | 'config'>): Promise<{ note: string; verified: VerifiedCheckpoint }> {
  const res = await stack.http('/tlog/checkpoint');
  expect(res.status).toBe(200);
  expect(res.headers.get('cache-control')).toBe('no-cache');
  const note = await res.text();
  return { note, verified: openCheckpoint(note, stackLogPolicy(stack)) };
}

/** Waits until a published checkpoint covers the entry written for `eventId`; returns its index and the checkpoint. */
export async function waitForLogged(stack: Stack, eventId: string, timeout = 60_000) {
  return vi.waitFor(
    async () => {
      const row = await stack.db.transparencyLogEntry.findUnique({ where: { eventId } });
      if (!row) throw new Error(`no log entry ${eventId}`);
      if (row.logIndex === null) throw new Error(`${eventId} not integrated yet`);
      const served = await servedCheckpoint(stack);
      if (served.verified.checkpoint.size <= Number(row.logIndex)) throw new Error(`${eventId} not covered by a checkpoint yet`);
      return { index: Number(row.logIndex), entryBytes: Buffer.from(row.entry), ...served };
    },
    { timeout, interval: 200 },
  );
}

/** The served entry at `index`, read from its bundle after the bundle is checked against the checkpoint. */
export async function servedEntry(stack: Stack, verified: VerifiedCheckpoint, index: number): Promise<{ bytes: Buffer; entry: LogEntry }> {
  const size = verified.checkpoint.size;
  const bundleIndex = Math.floor(index / TILE_WIDTH);
  const width = Math.min(TILE_WIDTH, size - bundleIndex * TILE_WIDTH);
  const bundle = { index: bundleIndex, width };
  const res = await stack.http(`/tlog/${bundlePath(bundle)}`);
  expect(res.status).toBe(200);
  expect(res.headers.get('cache-control')).toBe(width === TILE_WIDTH ? 'public, max-age=604800, immutable' : 'no-cache');
  const data = Buffer.from(await res.arrayBuffer());
  await verifyBundle(httpTileSource(stack), verified.checkpoint, bundle, data);
  const bytes = decodeBundle(data, width)[index % TILE_WIDTH]!;
  return { bytes, entry: decodeEntry(bytes) };
}

/** A follower that has seen `first`; feeding it `next` checks consistency from served tiles. */
export async function followCheckpoints(stack: Stack, first: string, next: string) {
  const policy = stackLogPolicy(stack);
  const follower = new CheckpointFollower(policy);
  follower.update(first, []);
  const older = openCheckpoint(first, policy).checkpoint.size;
  const newer = openCheckpoint(next, policy).checkpoint.size;
  const proof =
    older === 0 || older === newer ? [] : await computeFromTiles(httpTileSource(stack), newer, (r) => consistencyProof(r, older, newer));
  return follower.update(next, proof);
}
