import { describe, expect, it } from 'vitest';
import { TileAppender } from '../../src/tlog/appender.js';
import { TlogError } from '../../src/tlog/errors.js';
import {
  MemoryTree,
  consistencyProof,
  inclusionProof,
  leafHash,
  treeRoot,
  verifyConsistency,
  verifyInclusion,
} from '../../src/tlog/hashing.js';
import {
  bundlePath,
  computeFromTiles,
  decodeBundle,
  encodeBundle,
  newBundles,
  newTiles,
  parseTilePath,
  partialTiles,
  tilePath,
  type TileSource,
} from '../../src/tlog/tiles.js';
import { seededRandom, testSeed } from '../tlog/random.js';

const seed = testSeed();
const random = seededRandom(seed);

/** Storage as a log would keep it: every path written, with a check that nothing immutable is rewritten. */
class TileStore implements TileSource {
  readonly objects = new Map<string, Buffer>();
  readonly rewrites: string[] = [];

  put(path: string, data: Buffer): void {
    const before = this.objects.get(path);
    if (before && !path.includes('.p/')) this.rewrites.push(path);
    this.objects.set(path, data);
  }

  readTile(tile: { level: number; index: number; width: number }): Promise<Uint8Array> {
    const data = this.objects.get(tilePath(tile));
    return data ? Promise.resolve(data) : Promise.reject(new Error(`missing ${tilePath(tile)}`));
  }
}

describe('tile paths', () => {
  it('splits the index into x-prefixed 3-digit elements and marks partial tiles with .p/<width>', () => {
    expect(tilePath({ level: 0, index: 1234, width: 256 })).toBe('tile/0/x001/234');
    expect(tilePath({ level: 0, index: 1234067, width: 256 })).toBe('tile/0/x001/x234/067');
    expect(tilePath({ level: 2, index: 0, width: 1 })).toBe('tile/2/000.p/1');
    expect(bundlePath({ index: 5, width: 255 })).toBe('tile/entries/005.p/255');
    expect(parseTilePath('tile/0/x001/x234/067')).toEqual({ kind: 'tile', level: 0, index: 1234067, width: 256 });
    expect(parseTilePath('tile/entries/x001/234.p/7')).toEqual({ kind: 'entries', index: 1234, width: 7 });
    expect(parseTilePath('tile/63/999.p/255')).toEqual({ kind: 'tile', level: 63, index: 999, width: 255 });
  });

  it.each([
    'tile/0/1234',
    'tile/0/x001/234/',
    '/tile/0/000',
    'tile/0/x000/001',
    'tile/0/001/234',
    'tile/00/000',
    'tile/64/000',
    'tile/-1/000',
    'tile/0/000.p/0',
    'tile/0/000.p/256',
    'tile/0/000.p/07',
    'tile/entries/000.p/256',
    'tile/data/000',
    'tile/0/00a',
  ])('refuses %s', (path) => {
    expect(() => parseTilePath(path)).toThrow(TlogError);
  });
});

describe('tile layout', () => {
  it('describes a tree of 70,000 entries as the tlog-tiles spec does', () => {
    expect(partialTiles(70_000)).toEqual([
      { level: 0, index: 273, width: 112 },
      { level: 1, index: 1, width: 17 },
      { level: 2, index: 0, width: 1 },
    ]);
    expect(partialTiles(256)).toEqual([{ level: 1, index: 0, width: 1 }]);
    expect(partialTiles(0)).toEqual([]);
    const all = newTiles(0, 70_000);
    expect(all.filter((t) => t.level === 0 && t.width === 256)).toHaveLength(273);
    expect(all.filter((t) => t.level === 1 && t.width === 256)).toHaveLength(1);
    expect(all).toHaveLength(273 + 1 + 1 + 1 + 1);
  });

  it('publishes nothing for no growth and only changed levels otherwise', () => {
    expect(newTiles(300, 300)).toEqual([]);
    expect(newTiles(300, 301)).toEqual([{ level: 0, index: 1, width: 45 }]);
    expect(newTiles(255, 256)).toEqual([
      { level: 0, index: 0, width: 256 },
      { level: 1, index: 0, width: 1 },
    ]);
    expect(() => newTiles(5, 4)).toThrow(TlogError);
    expect(newBundles(200, 513)).toEqual([
      { index: 0, width: 256 },
      { index: 1, width: 256 },
      { index: 2, width: 1 },
    ]);
  });
});

describe(`appending in random batches (seed ${seed})`, () => {
  const store = new TileStore();
  const appender = TileAppender.empty();
  const entries: Buffer[] = [];
  const checkpoints: Array<{ size: number; root: Buffer }> = [{ size: 0, root: appender.root() }];
  const fullTileBytes = new Map<string, Buffer>();
  while (appender.size < 70_000) {
    const batch = Array.from({ length: 1 + random.int(random.int(5) === 0 ? 5000 : 200) }, () => random.bytes(random.int(64)));
    entries.push(...batch);
    const result = appender.append(batch);
    for (const w of result.writes) {
      store.put(w.path, w.data);
      if (!w.path.includes('.p/')) fullTileBytes.set(w.path, w.data);
    }
    checkpoints.push({ size: result.size, root: result.root });
  }
  const tree = new MemoryTree();
  tree.append(entries);

  it('signs the same root a whole in-memory tree has, at every batch', () => {
    for (const { size, root } of checkpoints) expect(root.equals(tree.root(size)), `size ${size}`).toBe(true);
  });

  it('never rewrites a full tile or bundle, and every full one still holds the bytes first written', () => {
    expect(store.rewrites).toEqual([]);
    for (const [path, data] of fullTileBytes) expect(store.objects.get(path)!.equals(data)).toBe(true);
    expect([...fullTileBytes.keys()].filter((p) => p.startsWith('tile/1/'))).toHaveLength(1);
  });

  it('proves consistency between every pair of consecutive checkpoints from the stored tiles alone', async () => {
    for (let i = 2; i < checkpoints.length; i++) {
      const [older, newer] = [checkpoints[i - 1]!, checkpoints[i]!];
      const proof = await computeFromTiles(store, newer.size, (r) => consistencyProof(r, older.size, newer.size));
      expect(proof).toEqual(consistencyProof(tree, older.size, newer.size));
      verifyConsistency(older.size, newer.size, proof, older.root, newer.root);
    }
  });

  it('proves inclusion of random entries at random checkpoints from the stored tiles alone', async () => {
    for (let i = 0; i < 60; i++) {
      const { size, root } = checkpoints[1 + random.int(checkpoints.length - 1)]!;
      const index = random.int(size);
      const proof = await computeFromTiles(store, size, (r) => inclusionProof(r, index, size));
      verifyInclusion(leafHash(entries[index]!), index, size, proof, root);
      expect(await computeFromTiles(store, size, (r) => treeRoot(r, size))).toEqual(root);
    }
  });

  it('stores bundles whose entries hash to their level-0 tile', () => {
    for (const [path, data] of store.objects) {
      const parsed = parseTilePath(path);
      if (parsed.kind !== 'entries') continue;
      const bundle = decodeBundle(data, parsed.width);
      const tile = store.objects.get(tilePath({ level: 0, index: parsed.index, width: parsed.width }))!;
      expect(Buffer.concat(bundle.map(leafHash)).equals(tile), path).toBe(true);
      expect(encodeBundle(entries.slice(parsed.index * 256, parsed.index * 256 + parsed.width)).equals(data)).toBe(true);
    }
  });

  it('resumes from the stored partial tiles and bundle and goes on exactly as before', () => {
    const last = checkpoints.at(-1)!;
    const partial = new Map<string, Uint8Array>();
    for (const tile of partialTiles(last.size)) partial.set(tilePath(tile), store.objects.get(tilePath(tile))!);
    // A size on a tile boundary has no partial bundle.
    const bundle = last.size % 256 ? bundlePath({ index: Math.floor(last.size / 256), width: last.size % 256 }) : null;
    if (bundle) partial.set(bundle, store.objects.get(bundle)!);
    const resumed = TileAppender.resume(last.size, partial);
    expect(resumed.root()).toEqual(last.root);
    const more = Array.from({ length: 1000 }, (_, i) => Buffer.from(`more ${i}`));
    tree.append(more);
    expect(resumed.append(more).root).toEqual(tree.root());

    const first = partialTiles(last.size)[0];
    if (first) {
      const tampered = new Map(partial);
      tampered.set(tilePath(first), Buffer.alloc(first.width * 32 - 1));
      expect(() => TileAppender.resume(last.size, tampered)).toThrow(/wrong length/);
    }
    if (bundle) {
      const wrongBundle = new Map(partial);
      wrongBundle.set(bundle, encodeBundle(Array.from({ length: last.size % 256 }, () => Buffer.from('x'))));
      expect(() => TileAppender.resume(last.size, wrongBundle)).toThrow(/does not match/);
    }
  });
});

describe('reading tiles', () => {
  it('refuses a tile of the wrong length from the source', async () => {
    const appender = TileAppender.empty();
    const store = new TileStore();
    for (const w of appender.append(Array.from({ length: 600 }, (_, i) => Buffer.from(`e${i}`))).writes) store.put(w.path, w.data);
    store.put('tile/0/002.p/88', store.objects.get('tile/0/002.p/88')!.subarray(0, 87 * 32));
    await expect(computeFromTiles(store, 600, (r) => inclusionProof(r, 599, 600))).rejects.toMatchObject({ code: 'MALFORMED' });
    await expect(computeFromTiles(store, 512, (r) => inclusionProof(r, 5, 512))).resolves.toHaveLength(9);
  });
});

describe('reading tiles of an older tree size', () => {
  it('falls back to the full tile when the partial one was deleted, and refuses a short full tile', async () => {
    const appender = TileAppender.empty();
    const store = new TileStore();
    const entries = Array.from({ length: 600 }, (_, i) => Buffer.from(`e${i}`));
    const first = appender.append(entries.slice(0, 300));
    for (const w of [...first.writes, ...appender.append(entries.slice(300)).writes]) store.put(w.path, w.data);
    const proofAt300 = await computeFromTiles(store, 300, (r) => inclusionProof(r, 299, 300));
    store.objects.delete('tile/0/001.p/44');
    expect(await computeFromTiles(store, 300, (r) => inclusionProof(r, 299, 300))).toEqual(proofAt300);
    verifyInclusion(leafHash(entries[299]!), 299, 300, proofAt300, first.root);
    store.put('tile/0/001', store.objects.get('tile/0/001')!.subarray(0, 100 * 32));
    await expect(computeFromTiles(store, 300, (r) => inclusionProof(r, 299, 300))).rejects.toMatchObject({ code: 'MALFORMED' });
    store.objects.delete('tile/0/001');
    await expect(computeFromTiles(store, 300, (r) => inclusionProof(r, 299, 300))).rejects.toThrow(/missing tile\/0\/001.p\/44/);
  });
});

describe('entry bundles', () => {
  it('prefix each entry with its big-endian uint16 length', () => {
    const bundle = encodeBundle([Buffer.from('ab'), Buffer.alloc(0), Buffer.alloc(300, 7)]);
    expect(bundle.subarray(0, 4)).toEqual(Buffer.from([0, 2, 0x61, 0x62]));
    expect(bundle.subarray(4, 8)).toEqual(Buffer.from([0, 0, 0x01, 0x2c]));
    expect(decodeBundle(bundle, 3)).toEqual([Buffer.from('ab'), Buffer.alloc(0), Buffer.alloc(300, 7)]);
    expect(decodeBundle(encodeBundle([Buffer.alloc(0xffff)]))[0]).toHaveLength(0xffff);
  });

  it('refuse truncation, trailing bytes, a wrong count and entries over 65,535 bytes', () => {
    const bundle = encodeBundle([Buffer.from('ab'), Buffer.from('cd')]);
    expect(() => decodeBundle(bundle.subarray(0, bundle.length - 1))).toThrow(/inside an entry/);
    expect(() => decodeBundle(Buffer.concat([bundle, Buffer.from([0])]))).toThrow(/length prefix/);
    expect(() => decodeBundle(bundle, 3)).toThrow(/expected 3/);
    expect(() => encodeBundle([Buffer.alloc(0x10000)])).toThrow(TlogError);
    expect(() => TileAppender.empty().append([Buffer.alloc(0x10000)])).toThrow(TlogError);
  });
});
