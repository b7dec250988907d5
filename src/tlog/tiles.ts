import { HASH_SIZE, nodesRead, perfectRoot, type Hash, type NodeId, type NodeReader } from './hashing.js';
import { TlogError, malformed } from './errors.js';

/**
 * The C2SP tlog-tiles layout: tiles of height 8 (256 hashes). A level-L tile
 * holds tree nodes of level 8·L; tile N of level L covers hashes
 * [N·256, N·256 + width) of that level. Width 256 is a full tile (immutable);
 * 1..255 is the partial tile of some tree size.
 */
export const TILE_HEIGHT = 8;
export const TILE_WIDTH = 256;
export const MAX_ENTRY_SIZE = 0xffff;

export interface Tile {
  level: number;
  index: number;
  width: number;
}

/** An entry bundle: the entries behind level-0 tile `index`. */
export interface Bundle {
  index: number;
  width: number;
}

export type TilePath = ({ kind: 'tile' } & Tile) | ({ kind: 'entries' } & Bundle);

const levelSpan = (level: number): number => TILE_WIDTH ** level;

function encodeIndex(n: number): string {
  const groups: string[] = [];
  do {
    groups.unshift(String(n % 1000).padStart(3, '0'));
    n = Math.floor(n / 1000);
  } while (n > 0);
  return groups.map((g, i) => (i < groups.length - 1 ? `x${g}` : g)).join('/');
}

const widthSuffix = (width: number): string => (width === TILE_WIDTH ? '' : `.p/${width}`);

function checkWidth(width: number): void {
  if (!Number.isInteger(width) || width < 1 || width > TILE_WIDTH) throw new TlogError('OUT_OF_RANGE', `tile width ${width}`);
}

/** `tile/<L>/<N>[.p/<W>]`, N in x-prefixed 3-digit groups, e.g. tile/0/x001/234. */
export function tilePath(tile: Tile): string {
  checkWidth(tile.width);
  return `tile/${tile.level}/${encodeIndex(tile.index)}${widthSuffix(tile.width)}`;
}

/** `tile/entries/<N>[.p/<W>]`. */
export function bundlePath(bundle: Bundle): string {
  checkWidth(bundle.width);
  return `tile/entries/${encodeIndex(bundle.index)}${widthSuffix(bundle.width)}`;
}

const PATH_SHAPE = /^tile\/(entries|0|[1-9][0-9]?)\/((?:x[0-9]{3}\/)*[0-9]{3})(?:\.p\/([1-9][0-9]{0,2}))?$/;

/** Parses a tile or bundle path; only the one canonical spelling of each is accepted. */
export function parseTilePath(path: string): TilePath {
  const m = PATH_SHAPE.exec(path);
  if (!m) throw malformed(`not a tile path: ${path}`);
  const index = Number(m[2]!.replaceAll('x', '').replaceAll('/', ''));
  const width = m[3] === undefined ? TILE_WIDTH : Number(m[3]);
  if (!Number.isSafeInteger(index) || (m[3] !== undefined && width >= TILE_WIDTH)) throw malformed(`not a tile path: ${path}`);
  const parsed: TilePath = m[1] === 'entries' ? { kind: 'entries', index, width } : { kind: 'tile', level: Number(m[1]), index, width };
  if (parsed.kind === 'tile' && parsed.level > 63) throw malformed(`tile level above 63: ${path}`);
  const canonical = parsed.kind === 'entries' ? bundlePath(parsed) : tilePath(parsed);
  if (canonical !== path) throw malformed(`not the canonical tile path: ${path}`);
  return parsed;
}

/** The rightmost (partial) tile of every level of a tree, as tlog-tiles defines them; empty tiles are omitted. */
export function partialTiles(size: number): Tile[] {
  const tiles: Tile[] = [];
  for (let level = 0; Math.floor(size / levelSpan(level)) > 0; level++) {
    const count = Math.floor(size / levelSpan(level));
    if (count % TILE_WIDTH > 0) tiles.push({ level, index: Math.floor(count / TILE_WIDTH), width: count % TILE_WIDTH });
  }
  return tiles;
}

/**
 * Tiles to publish when the tree grows from oldSize to newSize: the full tiles
 * completed by the growth and the new partial tile of every level that changed.
 * Full tiles already published never appear again.
 */
export function newTiles(oldSize: number, newSize: number): Tile[] {
  if (oldSize > newSize) throw new TlogError('OUT_OF_RANGE', `tree cannot shrink from ${oldSize} to ${newSize}`);
  const tiles: Tile[] = [];
  for (let level = 0; Math.floor(newSize / levelSpan(level)) > 0; level++) {
    const oldCount = Math.floor(oldSize / levelSpan(level));
    const newCount = Math.floor(newSize / levelSpan(level));
    if (oldCount === newCount) continue;
    const lastIndex = Math.floor(newCount / TILE_WIDTH);
    for (let index = Math.floor(oldCount / TILE_WIDTH); index < lastIndex; index++) tiles.push({ level, index, width: TILE_WIDTH });
    if (newCount % TILE_WIDTH > 0) tiles.push({ level, index: lastIndex, width: newCount % TILE_WIDTH });
  }
  return tiles;
}

/** The bundles to publish for the same growth: completed full bundles and the new partial one. */
export function newBundles(oldSize: number, newSize: number): Bundle[] {
  return newTiles(oldSize, newSize)
    .filter((t) => t.level === 0)
    .map(({ index, width }) => ({ index, width }));
}

/** Tile bytes: the concatenated node hashes of level 8·L the tile covers. */
export function tileData(tile: Tile, reader: NodeReader): Buffer {
  checkWidth(tile.width);
  const hashes: Hash[] = [];
  for (let i = 0; i < tile.width; i++) hashes.push(reader.node(TILE_HEIGHT * tile.level, tile.index * TILE_WIDTH + i));
  return Buffer.concat(hashes);
}

/** Entries each prefixed with its length as a big-endian uint16. */
export function encodeBundle(entries: readonly Uint8Array[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    if (entry.length > MAX_ENTRY_SIZE) throw new TlogError('OUT_OF_RANGE', `entry of ${entry.length} bytes exceeds ${MAX_ENTRY_SIZE}`);
    const prefix = Buffer.alloc(2);
    prefix.writeUInt16BE(entry.length);
    parts.push(prefix, Buffer.from(entry));
  }
  return Buffer.concat(parts);
}

export function decodeBundle(data: Uint8Array, width?: number): Buffer[] {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const entries: Buffer[] = [];
  let at = 0;
  while (at < buf.length) {
    if (at + 2 > buf.length) throw malformed('entry bundle ends inside a length prefix');
    const length = buf.readUInt16BE(at);
    if (at + 2 + length > buf.length) throw malformed('entry bundle ends inside an entry');
    entries.push(buf.subarray(at + 2, at + 2 + length));
    at += 2 + length;
  }
  if (width !== undefined && entries.length !== width) throw malformed(`entry bundle holds ${entries.length} entries, expected ${width}`);
  return entries;
}

/** Where tiles are read from (object storage, HTTP, memory). Must return exactly the stored bytes of that tile. */
export interface TileSource {
  readTile(tile: Tile): Promise<Uint8Array>;
}

/** The tile of a tree of `size` that holds complete node (level, index), and the span of its hashes the node covers. */
export function tileForNode(node: NodeId, size: number): { tile: Tile; offset: number; count: number } {
  const level = Math.floor(node.level / TILE_HEIGHT);
  const count = 2 ** (node.level - level * TILE_HEIGHT);
  const first = node.index * count;
  const index = Math.floor(first / TILE_WIDTH);
  const available = Math.floor(size / levelSpan(level));
  if (first + count > available)
    throw new TlogError('OUT_OF_RANGE', `node ${node.level}/${node.index} is not complete in a tree of size ${size}`);
  const width = Math.min(TILE_WIDTH, available - index * TILE_WIDTH);
  return { tile: { level, index, width }, offset: first - index * TILE_WIDTH, count };
}

function hashSpan(data: Uint8Array, offset: number, count: number): Hash {
  return perfectRoot(
    Array.from({ length: count }, (_, i) => Buffer.from(data.subarray((offset + i) * HASH_SIZE, (offset + i + 1) * HASH_SIZE))),
  );
}

/** A NodeReader over tiles already fetched for one tree size. */
export function nodeReaderFromTiles(size: number, tiles: ReadonlyMap<string, Uint8Array>): NodeReader {
  return {
    node(level, index) {
      const { tile, offset, count } = tileForNode({ level, index }, size);
      const data = tiles.get(tilePath(tile));
      if (!data) throw new TlogError('OUT_OF_RANGE', `tile ${tilePath(tile)} was not fetched`);
      return hashSpan(data, offset, count);
    },
  };
}

/**
 * Reads one tile. A log may delete a partial tile once the full tile exists
 * (tlog-tiles), so a partial tile that cannot be read is taken from the start
 * of the full one; the first error is reported if both fail.
 */
async function readTile(source: TileSource, tile: Tile): Promise<Uint8Array> {
  const expected = tile.width * HASH_SIZE;
  const check = (data: Uint8Array, path: string): Uint8Array => {
    if (data.length !== expected && !(path !== tilePath(tile) && data.length === TILE_WIDTH * HASH_SIZE)) {
      throw malformed(`tile ${path} is ${data.length} bytes, expected ${expected}`);
    }
    return data.subarray(0, expected);
  };
  try {
    return check(await source.readTile(tile), tilePath(tile));
  } catch (err) {
    if (tile.width === TILE_WIDTH || (err instanceof TlogError && err.code === 'MALFORMED')) throw err;
    const full = { ...tile, width: TILE_WIDTH };
    return check(await source.readTile(full).catch(() => Promise.reject(err)), tilePath(full));
  }
}

/** Fetches (in parallel) the tiles holding these nodes for a tree of `size`, checking each tile's length. */
export async function fetchTiles(source: TileSource, size: number, nodes: readonly NodeId[]): Promise<Map<string, Uint8Array>> {
  const wanted = new Map<string, Tile>();
  for (const node of nodes) {
    const { tile } = tileForNode(node, size);
    wanted.set(tilePath(tile), tile);
  }
  const fetched = await Promise.all([...wanted].map(async ([path, tile]) => [path, await readTile(source, tile)] as const));
  return new Map(fetched);
}

/**
 * Runs a root or proof computation on tiles: first lists the nodes it reads,
 * fetches only the tiles holding them, then computes. For example
 * `computeFromTiles(source, size, (r) => inclusionProof(r, index, size))`.
 */
export async function computeFromTiles<T>(source: TileSource, size: number, compute: (reader: NodeReader) => T): Promise<T> {
  const tiles = await fetchTiles(source, size, nodesRead(compute));
  return compute(nodeReaderFromTiles(size, tiles));
}
