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

  // Altered proofs: each side must reach the same verdict on every one.
  const alter = (proof: Buffer[]): Buffer[] => {
    const at = random.int(proof.length);
    switch (proof.length === 0 ? 2 : random.int(4)) {
      case 0:
        return proof.map((h, i) => (i === at ? Buffer.from(h.map((b, j) => (j === random.int(32) ? b ^ 0x80 : b))) : h));
      case 1:
        return proof.filter((_, i) => i !== at);
      case 2:
        return [...proof, random.bytes(32)];
      default:
        return proof.map((h, i) => (i === at ? proof[(at + 1) % proof.length]! : i === (at + 1) % proof.length ? proof[at]! : h));
    }
  };
  const badInclusion = Array.from({ length: 300 }, () => {
    const size = 2 + random.int(N - 1);
    const index = random.int(size);
    const proof = inclusionProof(tree, index, size);
    const shift = random.int(3);
    if (shift === 1) return { index: (index + 1) % size, size, proof };
    if (shift === 2) return { index, size: Math.min(N, size + 1 + random.int(5)), proof };
    return { index, size, proof: alter(proof) };
  });
  const badConsistency = Array.from({ length: 300 }, () => {
    const a = 1 + random.int(N);
    const b = 1 + random.int(N);
    const [m, n] = [Math.min(a, b), Math.max(a, b)];
    const proof = consistencyProof(tree, m, n);
    return random.int(3) === 0 ? { old: m, new: Math.min(N, n + 1), proof } : { old: m, new: n, proof: alter(proof) };
  });

  let answer: { sumdbRoots: string[]; merkleRoots: string[]; inclusion: ProofAnswer[]; consistency: ProofAnswer[] };
  beforeAll(() => {
    answer = runCrosscheck({
      entries,
      roots: sizes,
      inclusion: [...inclusion.map((q) => ({ ...q, proof: inclusionProof(tree, q.index, q.size) })), ...badInclusion],
      consistency: [
        ...consistency.map((q) => ({ ...q, proof: consistencyProof(tree, q.old, q.new) })),
        { old: 0, new: 5, proof: [] },
        ...badConsistency,
      ],
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

  const verdict = (check: () => void): string => {
    try {
      check();
      return 'accepted';
    } catch {
      return 'refused';
    }
  };
  const goVerdict = (a: ProofAnswer): string[] => [
    a.sumdbCheck === '' ? 'accepted' : 'refused',
    a.merkleCheck === '' ? 'accepted' : 'refused',
  ];

  it('reaches the same verdict as sumdb and merkle on 300 altered inclusion proofs', () => {
    const verdicts = badInclusion.map((q, i) => {
      const ours = verdict(() => verifyInclusion(leafHash(entries[q.index]!), q.index, q.size, q.proof, tree.root(q.size)));
      expect(goVerdict(answer.inclusion[inclusion.length + i]!), `${q.index}/${q.size}`).toEqual([ours, ours]);
      return ours;
    });
    expect(verdicts.filter((v) => v === 'refused').length).toBeGreaterThan(250);
  });

  it('reaches the same verdict as sumdb and merkle on 300 altered consistency proofs', () => {
    const verdicts = badConsistency.map((q, i) => {
      const ours = verdict(() => verifyConsistency(q.old, q.new, q.proof, tree.root(q.old), tree.root(q.new)));
      expect(goVerdict(answer.consistency[consistency.length + 1 + i]!), `${q.old}→${q.new}`).toEqual([ours, ours]);
      return ours;
    });
    expect(verdicts.filter((v) => v === 'refused').length).toBeGreaterThan(250);
  });

  it('refuses a consistency proof from size 0 as sumdb does (merkle v0.0.2 accepts it)', () => {
    const go = answer.consistency[consistency.length]!;
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
        ...texts.map((text) => ({ note: Buffer.from(signNote(text, [noteSigner(log.skey)])), keys: [{ vkey: log.vkey, kind: 'note' }] })),
        { note: Buffer.from(cosigned), keys: [{ vkey: witness.vkey, kind: 'cosignature' }] },
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

describe(`opening altered notes: the same verdict as sumdb/note (seed ${seed})`, () => {
  const a = generateNoteKey('a.example/log');
  const w = generateNoteKey('w.example/witness', 0x04);
  const unknownLine = `— c.example/unknown ${Buffer.concat([Buffer.from([1, 2, 3, 4]), Buffer.alloc(64, 9)]).toString('base64')}\n`;
  const base = Buffer.from(
    addSignatures(signNote('a.example/log\n42\nAAAA\n\nnext\n', [noteSigner(a.skey)]), [cosigner(w.skey, () => 1_700_000_000)]) +
      unknownLine,
  );
  const interesting = [0x0a, 0x20, 0x2b, 0x3d, 0x2f, 0x41, 0x61, 0xe2, 0x80, 0x94, 0x00, 0xff, 0x09, 0x0d, 0xc2, 0xa0];
  const pick = (): number => interesting[random.int(interesting.length)]!;
  const mutate = (note: Buffer): Buffer => {
    const at = random.int(note.length);
    const lines = note.toString('latin1').split('\n');
    const line = random.int(lines.length);
    switch (random.int(5)) {
      case 0:
        return Buffer.concat([note.subarray(0, at), Buffer.from([pick()]), note.subarray(at + 1)]);
      case 1:
        return Buffer.concat([note.subarray(0, at), note.subarray(at + 1)]);
      case 2:
        return Buffer.concat([note.subarray(0, at), Buffer.from([pick()]), note.subarray(at)]);
      case 3:
        return Buffer.from(lines.flatMap((l, i) => (i === line ? [l, l] : [l])).join('\n'), 'latin1');
      default:
        return Buffer.from(lines.filter((_, i) => i !== line).join('\n'), 'latin1');
    }
  };
  const notes = [base, ...Array.from({ length: 400 }, () => mutate(random.int(3) === 0 ? mutate(base) : base))];
  const verifiers = [noteVerifier(a.vkey), cosignatureVerifier(w.vkey)];
  const hex8 = (id: number): string => id.toString(16).padStart(8, '0');

  it('accepts and refuses exactly the notes Go does, with the same text and signatures', () => {
    const answer = runCrosscheck<{
      opened: Array<{ error: string; text: string; verified: string[] | null; unverified: string[] | null }>;
    }>({
      open: notes.map((note) => ({
        note,
        keys: [
          { vkey: a.vkey, kind: 'note' },
          { vkey: w.vkey, kind: 'cosignature' },
        ],
      })),
    });
    let accepted = 0;
    notes.forEach((note, i) => {
      const go = answer.opened[i]!;
      let ours: ReturnType<typeof openNote> | null = null;
      let refusal = '';
      try {
        ours = openNote(note, verifiers);
      } catch (err) {
        refusal = (err as Error).message;
      }
      if (go.error === '' && ours === null) {
        // The one intended difference: Go's base64 decoder accepts non-zero trailing bits, we take only the canonical spelling.
        expect(refusal, note.toString('latin1')).toBe('malformed note signature line');
        const sigs = note.toString('utf8').split('\n\n').at(-1)!.split('\n').slice(0, -1);
        expect(sigs.some((l) => Buffer.from(l.split(' ')[2] ?? '', 'base64').toString('base64') !== l.split(' ')[2])).toBe(true);
        return;
      }
      expect(ours !== null, `Go: ${go.error || 'accepted'}; ours: ${refusal || 'accepted'}\n${note.toString('latin1')}`).toBe(
        go.error === '',
      );
      if (!ours) return;
      accepted++;
      expect(ours.text).toBe(go.text);
      expect(ours.verified.map((s) => `${s.name}+${hex8(s.keyId)}`)).toEqual(go.verified ?? []);
      expect(ours.unverified.map((s) => `${s.name}+${hex8(s.keyId)}`)).toEqual(go.unverified ?? []);
    });
    expect(accepted).toBeGreaterThan(1);
  });
});
