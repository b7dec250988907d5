import { HASH_SIZE, leafHash, perfectRoot, treeRoot, type Hash, type NodeReader } from './hashing.js';
import { TlogError, malformed } from './errors.js';
import {
  MAX_ENTRY_SIZE,
  TILE_WIDTH,
  bundlePath,
  decodeBundle,
  encodeBundle,
  partialTiles,
  tileForNode,
  tilePath,
  type Tile,
} from './tiles.js';

/** One object to store after an append: a tile or an entry bundle, by its tlog-tiles path. */
export interface TileWrite {
  path: string;
  data: Buffer;
}

export interface AppendResult {
  oldSize: number;
  size: number;
  root: Hash;
  /** Every tile and bundle the growth adds or changes: completed full ones (write once) and the new partial ones. */
  writes: TileWrite[];
}

/**
 * The write side of a tiled log. It keeps only the right edge of the tree —
 * the partial tile of every level and the partial entry bundle — which is all
 * that appending and computing the new root need; everything left of it is in
 * full tiles that never change.
 */
export class TileAppender {
  private constructor(
    private treeSize: number,
    /** edge[L]: the hashes of level L's partial tile (always fewer than 256). */
    private readonly edge: Hash[][],
    private edgeEntries: Buffer[],
  ) {}

  static empty(): TileAppender {
    return new TileAppender(0, [], []);
  }

  /**
   * Picks up a stored log: `partial` holds the partial tiles of `size` (see
   * `partialTiles`) by path and the partial entry bundle. The caller should
   * compare `root()` with the last signed checkpoint before appending.
   */
  static resume(size: number, partial: ReadonlyMap<string, Uint8Array>): TileAppender {
    const edge: Hash[][] = [];
    for (const tile of partialTiles(size)) {
      const data = partial.get(tilePath(tile));
      if (!data || data.length !== tile.width * HASH_SIZE) throw malformed(`partial tile ${tilePath(tile)} missing or of the wrong length`);
      edge[tile.level] = Array.from({ length: tile.width }, (_, i) => Buffer.from(data.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE)));
    }
    let entries: Buffer[] = [];
    const bundleWidth = size % TILE_WIDTH;
    if (bundleWidth > 0) {
      const path = bundlePath({ index: Math.floor(size / TILE_WIDTH), width: bundleWidth });
      const data = partial.get(path);
      if (!data) throw malformed(`partial bundle ${path} missing`);
      entries = decodeBundle(data, bundleWidth);
      entries.forEach((entry, i) => {
        if (!leafHash(entry).equals(edge[0]![i]!)) throw malformed(`partial bundle ${path} does not match its tile`);
      });
    }
    return new TileAppender(size, edge, entries);
  }

  get size(): number {
    return this.treeSize;
  }

  /** Reads nodes held in the right edge, which include every node of the root's decomposition. */
  private readonly edgeReader: NodeReader = {
    node: (level, index) => {
      const { tile, offset, count } = tileForNode({ level, index }, this.treeSize);
      const hashes = this.edge[tile.level] ?? [];
      if (tile.width === TILE_WIDTH || hashes.length !== tile.width)
        throw new TlogError('OUT_OF_RANGE', `node ${level}/${index} is left of the edge`);
      return perfectRoot(hashes.slice(offset, offset + count));
    },
  };

  root(): Hash {
    return treeRoot(this.edgeReader, this.treeSize);
  }

  append(entries: readonly Uint8Array[]): AppendResult {
    const oldSize = this.treeSize;
    const writes: TileWrite[] = [];
    for (const entry of entries) {
      if (entry.length > MAX_ENTRY_SIZE) throw new TlogError('OUT_OF_RANGE', `entry of ${entry.length} bytes exceeds ${MAX_ENTRY_SIZE}`);
    }
    for (const entry of entries) {
      this.edgeEntries.push(Buffer.from(entry));
      this.treeSize++;
      if (this.edgeEntries.length === TILE_WIDTH) {
        writes.push({
          path: bundlePath({ index: this.treeSize / TILE_WIDTH - 1, width: TILE_WIDTH }),
          data: encodeBundle(this.edgeEntries),
        });
        this.edgeEntries = [];
      }
      this.push(0, leafHash(entry), writes);
    }
    if (this.treeSize > oldSize) {
      for (const tile of partialTiles(this.treeSize)) {
        if (Math.floor(oldSize / TILE_WIDTH ** tile.level) === Math.floor(this.treeSize / TILE_WIDTH ** tile.level)) continue;
        writes.push({ path: tilePath(tile), data: Buffer.concat(this.edge[tile.level]!) });
        if (tile.level === 0)
          writes.push({ path: bundlePath({ index: tile.index, width: tile.width }), data: encodeBundle(this.edgeEntries) });
      }
    }
    return { oldSize, size: this.treeSize, root: this.root(), writes };
  }

  /** Adds a hash to level L's partial tile; a tile that fills up is written and its root moves up a level. */
  private push(level: number, hash: Hash, writes: TileWrite[]): void {
    const hashes = (this.edge[level] ??= []);
    hashes.push(hash);
    if (hashes.length < TILE_WIDTH) return;
    const levelSize = TILE_WIDTH ** (level + 1);
    const tile: Tile = { level, index: Math.floor(this.treeSize / levelSize) - 1, width: TILE_WIDTH };
    writes.push({ path: tilePath(tile), data: Buffer.concat(hashes) });
    this.edge[level] = [];
    this.push(level + 1, perfectRoot(hashes), writes);
  }
}
