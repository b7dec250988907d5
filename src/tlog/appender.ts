import { HASH_SIZE, leafHash, nodeHash, treeRoot, type Hash, type NodeReader } from './hashing.js';
import { TlogError, malformed } from './errors.js';
import {
  MAX_ENTRY_SIZE,
  TILE_HEIGHT,
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

/** The partial tile of one level, with every complete subtree inside it kept, so a root costs O(log n) hashes. */
class EdgeTile {
  /** rows[0]: the tile's hashes; rows[r][i]: the root of hashes [i·2^r, (i+1)·2^r). */
  readonly rows: Hash[][] = [[]];

  get hashes(): Hash[] {
    return this.rows[0]!;
  }

  /** Adds a hash; returns the tile's root once it holds 256. */
  push(hash: Hash): Hash | null {
    let index = this.hashes.length;
    this.hashes.push(hash);
    for (let r = 0; index % 2 === 1; r++) {
      const row = this.rows[r]!;
      (this.rows[r + 1] ??= []).push(nodeHash(row[index - 1]!, row[index]!));
      index = (index - 1) / 2;
    }
    return this.hashes.length === TILE_WIDTH ? this.rows[TILE_HEIGHT]![0]! : null;
  }
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
    /** edge[L]: level L's partial tile (always fewer than 256 hashes). */
    private readonly edge: EdgeTile[],
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
    const edge: EdgeTile[] = [];
    for (const tile of partialTiles(size)) {
      const data = partial.get(tilePath(tile));
      if (!data || data.length !== tile.width * HASH_SIZE) throw malformed(`partial tile ${tilePath(tile)} missing or of the wrong length`);
      const edgeTile = (edge[tile.level] = new EdgeTile());
      for (let i = 0; i < tile.width; i++) edgeTile.push(Buffer.from(data.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE)));
    }
    let entries: Buffer[] = [];
    const bundleWidth = size % TILE_WIDTH;
    if (bundleWidth > 0) {
      const path = bundlePath({ index: Math.floor(size / TILE_WIDTH), width: bundleWidth });
      const data = partial.get(path);
      if (!data) throw malformed(`partial bundle ${path} missing`);
      entries = decodeBundle(data, bundleWidth);
      entries.forEach((entry, i) => {
        if (!leafHash(entry).equals(edge[0]!.hashes[i]!)) throw malformed(`partial bundle ${path} does not match its tile`);
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
      const edgeTile = this.edge[tile.level];
      const hash = tile.width < TILE_WIDTH ? edgeTile?.rows[level - TILE_HEIGHT * tile.level]?.[offset / count] : undefined;
      if (!hash) throw new TlogError('OUT_OF_RANGE', `node ${level}/${index} is left of the edge`);
      return hash;
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
        writes.push({ path: tilePath(tile), data: Buffer.concat(this.edge[tile.level]!.hashes) });
        if (tile.level === 0)
          writes.push({ path: bundlePath({ index: tile.index, width: tile.width }), data: encodeBundle(this.edgeEntries) });
      }
    }
    return { oldSize, size: this.treeSize, root: this.root(), writes };
  }

  /** Adds a hash to level L's partial tile; a tile that fills up is written and its root moves up a level. */
  private push(level: number, hash: Hash, writes: TileWrite[]): void {
    const edgeTile = (this.edge[level] ??= new EdgeTile());
    const tileRoot = edgeTile.push(hash);
    if (!tileRoot) return;
    const tile: Tile = { level, index: Math.floor(this.treeSize / TILE_WIDTH ** (level + 1)) - 1, width: TILE_WIDTH };
    writes.push({ path: tilePath(tile), data: Buffer.concat(edgeTile.hashes) });
    this.edge[level] = new EdgeTile();
    this.push(level + 1, tileRoot, writes);
  }
}
