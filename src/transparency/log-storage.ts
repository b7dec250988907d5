import { TILE_WIDTH, parseTilePath, tilePath, type Tile, type TileSource, type TileWrite } from '../tlog/index.js';
import type { ObjectStorage } from '../storage/object-storage.js';

// The log lives in the bucket under tlog/, at the paths tlog-tiles names, and
// is served at the same paths under /tlog/.

export const LOG_PREFIX = 'tlog/';
export const CHECKPOINT_PATH = 'checkpoint';

/** Two different objects claimed the same path of the log: the log's history would differ for two readers. */
export class LogConflictError extends Error {
  constructor(readonly path: string) {
    super(`The transparency log already holds different bytes at ${path}; refusing to go on.`);
    this.name = 'LogConflictError';
  }
}

const WRITE_CONCURRENCY = 16;

/**
 * Writes tiles and bundles once each (`If-None-Match: *`). Finding the same
 * bytes already there is success (a retried step); different bytes stop the
 * log loudly.
 */
export async function writeTiles(storage: ObjectStorage, writes: readonly TileWrite[]): Promise<void> {
  for (let i = 0; i < writes.length; i += WRITE_CONCURRENCY) {
    await Promise.all(
      writes.slice(i, i + WRITE_CONCURRENCY).map(async ({ path, data }) => {
        const key = LOG_PREFIX + path;
        if ((await storage.putIfAbsent(key, data, 'application/octet-stream')) === 'created') return;
        const there = await storage.get(key);
        if (!there?.equals(data)) throw new LogConflictError(path);
      }),
    );
  }
}

export function storageTileSource(storage: ObjectStorage): TileSource {
  return {
    async readTile(tile: Tile) {
      const path = tilePath(tile);
      const data = await storage.get(LOG_PREFIX + path);
      if (!data) throw new Error(`tile ${path} is not in the log's storage`);
      return data;
    },
  };
}

/** Reads the named objects of the log (partial tiles, a bundle), all of which must exist. */
export async function readLogObjects(storage: ObjectStorage, paths: readonly string[]): Promise<Map<string, Buffer>> {
  const read = await Promise.all(
    paths.map(async (path) => {
      const data = await storage.get(LOG_PREFIX + path);
      if (!data) throw new Error(`${path} is missing from the log's storage`);
      return [path, data] as const;
    }),
  );
  return new Map(read);
}

/** Whether a served path names a full (immutable) tile or bundle; throws on anything that is not a tile path. */
export function isFullTilePath(path: string): boolean {
  return parseTilePath(path).width === TILE_WIDTH;
}
