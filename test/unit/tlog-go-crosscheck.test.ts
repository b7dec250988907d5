// The library against two independent Go implementations (golang.org/x/mod/sumdb
// and github.com/transparency-dev/{merkle,formats}, versions pinned in
// test/tlog/go.mod): same roots, same proofs, each side accepts the other's
// proofs, same tile bytes and paths, and notes, cosignatures, checkpoints and
// tlog-proofs that each side reads from the other.
import { beforeAll, describe, expect, it } from 'vitest';
import { TileAppender } from '../../src/tlog/appender.js';
import { signCheckpoint, openCheckpoint } from '../../src/tlog/checkpoint.js';
import { cosigner, cosignatureVerifier } from '../../src/tlog/cosignature.js';
import {
  MemoryTree,
  consistencyProof,
  inclusionProof,
  leafHash,
  verifyConsistency,
  verifyInclusion,
  type Hash,
} from '../../src/tlog/hashing.js';
import { addSignatures, generateNoteKey, noteSigner, noteVerifier, openNote, signNote } from '../../src/tlog/note.js';
import { formatTlogProof, parseTlogProof, verifyTlogProof } from '../../src/tlog/proof.js';
import { newTiles, parseTilePath, tileData, tilePath, bundlePath, type Tile } from '../../src/tlog/tiles.js';
import { crosscheckBinary, fromBase64, runCrosscheck } from '../tlog/go-crosscheck.js';
import { seededRandom, testSeed } from '../tlog/random.js';

interface ProofAnswer {
  sumdb: string[] | null;
  merkle: string[] | null;
  sumdbCheck: string;
  merkleCheck: string;
}

const hashes = (list: string[] | null): Buffer[] => (list ?? []).map(fromBase64);
/** sumdb spells tile paths tile/8/<L>/... and tile/8/data/...; tlog-tiles drops the height and says entries. */
const fromGoPath = (p: string): string => p.replace(/^tile\/8\//, 'tile/').replace(/^tile\/data\//, 'tile/entries/');

const seed = testSeed();
const random = seededRandom(seed);

beforeAll(() => {
  crosscheckBinary();
}, 120_000);

describe(`Merkle tree against Go (seed ${seed})`, () => {
  const N = 2000;
  const entries = Array.from({ length: N }, (_, i) => (i === 7 ? Buffer.alloc(0) : random.bytes(random.int(120))));
  const tree = new MemoryTree();
  tree.append(entries);

  const inclusion: Array<{ index: number; size: number }> = [
    { index: 0, size: 1 },
    { index: 1999, size: 2000 },
    { index: 1023, size: 1024 },
    { index: 1024, size: 1025 },
    { index: 0, size: 2000 },
  ];
  for (let i = 0; i < 600; i++) {
    const size = 1 + random.int(N);
    inclusion.push({ index: random.int(size), size });
  }
  const consistency: Array<{ old: number; new: number }> = [
    { old: 1, new: 1 },
    { old: 1, new: 2000 },
    { old: 1024, new: 2000 },
    { old: 1999, new: 2000 },
    { old: 2000, new: 2000 },
    { old: 256, new: 512 },
  ];
  for (let i = 0; i < 600; i++) {
    const a = 1 + random.int(N);
    const b = 1 + random.int(N);
    consistency.push({ old: Math.min(a, b), new: Math.max(a, b) });
  }
  const sizes = Array.from({ length: N + 1 }, (_, i) => i);

  let answer: { sumdbRoots: string[]; merkleRoots: string[]; inclusion: ProofAnswer[]; consistency: ProofAnswer[] };
  beforeAll(() => {
    answer = runCrosscheck({
      entries,
      roots: sizes,
      inclusion: inclusion.map((q) => ({ ...q, proof: inclusionProof(tree, q.index, q.size) })),
      consistency: [...consistency.map((q) => ({ ...q, proof: consistencyProof(tree, q.old, q.new) })), { old: 0, new: 5, proof: [] }],
    });
  });

  it('has the same root as sumdb/tlog and merkle/compact at every size from 0 to 2000', () => {
    const ours = sizes.map((n) => tree.root(n).toString('base64'));
    expect(answer.sumdbRoots).toEqual(ours);
    expect(answer.merkleRoots).toEqual(ours);
  });

  it('produces the same inclusion proofs, and each side accepts the others', () => {
    inclusion.forEach(({ index, size }, i) => {
      const go = answer.inclusion[i]!;
      const ours = inclusionProof(tree, index, size);
      expect(go.sumdbCheck, `sumdb rejects our proof ${index}/${size}`).toBe('');
      expect(go.merkleCheck, `merkle rejects our proof ${index}/${size}`).toBe('');
      expect(hashes(go.sumdb)).toEqual(ours);
      expect(hashes(go.merkle)).toEqual(ours);
      verifyInclusion(leafHash(entries[index]!), index, size, hashes(go.sumdb), tree.root(size));
      verifyInclusion(leafHash(entries[index]!), index, size, hashes(go.merkle), tree.root(size));
    });
  });

  it('produces the same consistency proofs, and each side accepts the others', () => {
    consistency.forEach((q, i) => {
      const go = answer.consistency[i]!;
      const ours = consistencyProof(tree, q.old, q.new);
      expect(go.sumdbCheck, `sumdb rejects our proof ${q.old}→${q.new}`).toBe('');
      expect(go.merkleCheck, `merkle rejects our proof ${q.old}→${q.new}`).toBe('');
      expect(hashes(go.sumdb)).toEqual(ours);
      expect(hashes(go.merkle)).toEqual(ours);
      verifyConsistency(q.old, q.new, hashes(go.sumdb), tree.root(q.old), tree.root(q.new));
    });
  });

  it('refuses a consistency proof from size 0 as sumdb does (merkle v0.0.2 accepts it)', () => {
    const go = answer.consistency.at(-1)!;
    expect(go.sumdbCheck).not.toBe('');
    expect(go.merkleCheck).toBe('');
    expect(() => verifyConsistency(0, 5, [], tree.root(0), tree.root(5))).toThrow(/empty tree/);
  });
});

describe(`tiles against sumdb/tlog (seed ${seed})`, () => {
  // 70,000 entries reach level-2 tiles; they are appended in random batches like a sequencer would.
  const N = 70_000;
  const entries = Array.from({ length: N }, (_, i) => Buffer.from(`entry ${i} ${random.int(1e9)}`));
  const appender = TileAppender.empty();
  const written = new Map<string, Buffer>();
  const growth: Array<{ old: number; new: number; paths: string[] }> = [];
  while (appender.size < N) {
    const batch = entries.slice(appender.size, appender.size + 1 + random.int(random.int(4) === 0 ? 3000 : 300));
    const result = appender.append(batch);
    growth.push({ old: result.oldSize, new: result.size, paths: result.writes.map((w) => w.path) });
    for (const w of result.writes) written.set(w.path, w.data);
  }
  const tree = new MemoryTree();
  tree.append(entries);

  const hashTiles = [...written.keys()]
    .filter((p) => !p.startsWith('tile/entries/'))
    .map((p) => parseTilePath(p) as Tile & { kind: 'tile' });
  let answer: { sumdbRoots: string[]; tiles: Array<{ path: string; data: string }>; newTiles: string[][]; tilePaths: string[] };
  const oddPaths: Tile[] = [
    { level: 0, index: 1234067, width: 256 },
    { level: 3, index: 999, width: 17 },
    { level: 63, index: 1000, width: 255 },
  ];
  beforeAll(() => {
    answer = runCrosscheck({
      entries,
      roots: [N],
      tiles: hashTiles.map(({ level, index, width }) => ({ level, index, width })),
      newTiles: growth.map((g) => ({ old: g.old, new: g.new })),
      tilePaths: [...oddPaths.map(tilePath), bundlePath({ index: 1234067, width: 3 })],
    });
  });

  it('publishes tiles byte-identical to tlog.ReadTileData, at the paths sumdb names them', () => {
    expect(hashTiles.length).toBeGreaterThan(273);
    expect(hashTiles.some((t) => t.level === 2)).toBe(true);
    hashTiles.forEach((tile, i) => {
      const go = answer.tiles[i]!;
      expect(fromGoPath(go.path)).toBe(tilePath(tile));
      expect(written.get(tilePath(tile))!.equals(fromBase64(go.data)), tilePath(tile)).toBe(true);
      expect(tileData(tile, tree).equals(fromBase64(go.data))).toBe(true);
    });
    expect(appender.root().toString('base64')).toBe(answer.sumdbRoots[0]);
  });

  it('writes exactly the tiles tlog.NewTiles lists for each growth, plus their bundles', () => {
    growth.forEach((g, i) => {
      const expected = answer.newTiles[i]!.map(fromGoPath);
      expect(g.paths.filter((p) => !p.startsWith('tile/entries/')).sort()).toEqual([...expected].sort());
      expect(newTiles(g.old, g.new).map(tilePath).sort()).toEqual([...expected].sort());
      const bundles = expected.filter((p) => p.startsWith('tile/0/')).map((p) => p.replace('tile/0/', 'tile/entries/'));
      expect(g.paths.filter((p) => p.startsWith('tile/entries/')).sort()).toEqual(bundles.sort());
    });
  });

  it('spells large and partial tile indexes as sumdb parses them', () => {
    expect(tilePath(oddPaths[0]!)).toBe('tile/0/x001/x234/067');
    expect(answer.tilePaths).toEqual(['0/1234067/256', '3/999/17', '63/1000/255', '-1/1234067/3']);
  });
});

describe('signed notes, cosignatures, checkpoints and tlog-proofs against Go', () => {
  const origin = 'transparency.example.com/badges';
  const log = generateNoteKey(origin);
  const witness = generateNoteKey('witness.example.org/w1', 0x04);
  const texts = [
    'hello\n',
    'If you think cryptography is the answer to your problem,\nthen it is not.\n',
    'ünïcödé ✓ 🐢\n\nwith a blank line\n',
  ];
  const tree = new MemoryTree();
  tree.append(Array.from({ length: 37 }, (_, i) => Buffer.from(`event ${i}`)));
  const checkpoint = { origin, size: 37, root: tree.root(), extensions: ['ext line'] };
  const signed = signCheckpoint(checkpoint, [noteSigner(log.skey)]);
  const cosigned = addSignatures(signed, [cosigner(witness.skey, () => 1_765_000_000)]);
  const proof = formatTlogProof({ index: 12, hashes: inclusionProof(tree, 12, 37), checkpoint: cosigned, extra: Buffer.from('ctx') });

  let answer: {
    signed: string[];
    opened: Array<{ error: string; text: string; verified: string[] | null; unverified: string[] | null }>;
    cosigned: string[];
    checkpoints: Array<{ error: string; origin: string; size: number; hash: string; rest: string }>;
    parseProofs: Array<{ index: number; hashes: string[]; checkpoint: string; extra: string }>;
    makeProofs: string[];
  };
  beforeAll(() => {
    answer = runCrosscheck({
      sign: texts.map((text) => ({ skey: log.skey, text })),
      open: [
        ...texts.map((text) => ({ note: signNote(text, [noteSigner(log.skey)]), keys: [{ vkey: log.vkey, kind: 'note' }] })),
        { note: cosigned, keys: [{ vkey: witness.vkey, kind: 'cosignature' }] },
      ],
      cosign: [{ note: signed, logVkey: log.vkey, skey: witness.skey }],
      checkpoints: [{ note: cosigned, origin, logVkey: log.vkey, witnesses: [{ vkey: witness.vkey, kind: 'cosignature' }] }],
      parseProofs: [proof],
      makeProofs: [{ index: 12, hashes: inclusionProof(tree, 12, 37), checkpoint: cosigned, extra: Buffer.from('ctx') }],
    });
  });

  it('signs notes with the very bytes sumdb/note produces (Ed25519 is deterministic), and each side opens the others', () => {
    texts.forEach((text, i) => {
      expect(answer.signed[i]).toBe(signNote(text, [noteSigner(log.skey)]));
      expect(openNote(answer.signed[i]!, [noteVerifier(log.vkey)]).text).toBe(text);
      expect(answer.opened[i]).toMatchObject({
        error: '',
        text,
        verified: [expect.stringMatching(/^transparency\.example\.com\/badges\+[0-9a-f]{8}$/)],
      });
    });
  });

  it('cosigns checkpoints that formats/note verifies, and verifies cosignatures it makes', () => {
    const ours = answer.opened.at(-1)!;
    expect(ours.error).toBe('');
    expect(ours.verified).toEqual([expect.stringMatching(/^witness\.example\.org\/w1\+/)]);
    expect(ours.unverified).toEqual([expect.stringMatching(/^transparency\.example\.com\/badges\+/)]);
    const policy = { origin, log: noteVerifier(log.vkey), witnesses: [cosignatureVerifier(witness.vkey)], quorum: 1 };
    const fromGo = openCheckpoint(answer.cosigned[0]!, policy);
    expect(fromGo.cosignatures).toEqual([{ name: 'witness.example.org/w1', keyId: expect.any(Number), timestamp: expect.any(Number) }]);
    expect(Math.abs(fromGo.cosignatures[0]!.timestamp - Date.now() / 1000)).toBeLessThan(600);
  });

  it('writes checkpoints formats/log parses to the same origin, size, root and extension lines', () => {
    expect(answer.checkpoints[0]).toEqual({ error: '', origin, size: 37, hash: tree.root().toString('base64'), rest: 'ext line\n' });
  });

  it('writes and reads tlog-proofs as formats/proof does', () => {
    expect(answer.parseProofs[0]).toEqual({
      index: 12,
      hashes: inclusionProof(tree, 12, 37).map((h: Hash) => h.toString('base64')),
      checkpoint: cosigned,
      extra: Buffer.from('ctx').toString('base64'),
    });
    expect(answer.makeProofs[0]).toBe(proof);
    const parsed = parseTlogProof(answer.makeProofs[0]!);
    expect(parsed.index).toBe(12);
    const policy = { origin, log: noteVerifier(log.vkey), witnesses: [cosignatureVerifier(witness.vkey)], quorum: 1 };
    expect(verifyTlogProof(answer.makeProofs[0]!, Buffer.from('event 12'), policy).index).toBe(12);
  });
});
