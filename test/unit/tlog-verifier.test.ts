// A verifier facing a log, a storage bucket or a mirror that lies: every
// alteration of an entry, tile, bundle, checkpoint, signature or order is refused.
import { describe, expect, it } from 'vitest';
import { TileAppender } from '../../src/tlog/appender.js';
import { verifyBundle } from '../../src/tlog/bundle-check.js';
import { openCheckpoint, parseCheckpoint, signCheckpoint, type Checkpoint, type LogPolicy } from '../../src/tlog/checkpoint.js';
import { cosignatureVerifier, cosigner } from '../../src/tlog/cosignature.js';
import { consistencyProof, inclusionProof, type Hash } from '../../src/tlog/hashing.js';
import { addSignatures, generateNoteKey, noteSigner, noteVerifier } from '../../src/tlog/note.js';
import { CheckpointFollower, formatTlogProof, parseTlogProof, verifyCheckpointConsistency, verifyTlogProof } from '../../src/tlog/proof.js';
import { bundlePath, computeFromTiles, encodeBundle, tilePath, type Bundle, type Tile, type TileSource } from '../../src/tlog/tiles.js';

const origin = 'transparency.example.com/badges';
const logKey = generateNoteKey(origin);
const witnessKey = generateNoteKey('witness.example.org/w1', 0x04);
const policy: LogPolicy = { origin, log: noteVerifier(logKey.vkey), witnesses: [cosignatureVerifier(witnessKey.vkey)], quorum: 1 };

const event = (i: number, kind = 'badge.granted'): Buffer => Buffer.from(JSON.stringify({ seq: i, kind, store: `store-${i % 17}` }));

/** A log operator: appends, writes tiles to a bucket, signs checkpoints that a witness cosigns. */
class Log implements TileSource {
  readonly bucket = new Map<string, Buffer>();
  readonly appender = TileAppender.empty();

  append(entries: Buffer[]): { checkpoint: Checkpoint; note: string } {
    const result = this.appender.append(entries);
    for (const w of result.writes) this.bucket.set(w.path, w.data);
    const checkpoint = { origin, size: result.size, root: result.root, extensions: [] };
    return { checkpoint, note: addSignatures(signCheckpoint(checkpoint, [noteSigner(logKey.skey)]), [cosigner(witnessKey.skey)]) };
  }

  readTile(tile: Tile): Promise<Uint8Array> {
    return Promise.resolve(this.bucket.get(tilePath(tile))!);
  }

  async proof(index: number, size: number, note: string): Promise<string> {
    const hashes = await computeFromTiles(this, size, (r) => inclusionProof(r, index, size));
    return formatTlogProof({ index, hashes, checkpoint: note });
  }

  consistency(oldSize: number, newSize: number): Promise<Hash[]> {
    return computeFromTiles(this, newSize, (r) => consistencyProof(r, oldSize, newSize));
  }
}

function flipByte(data: Buffer, at: number): Buffer {
  const copy = Buffer.from(data);
  copy.writeUInt8(copy.readUInt8(at) ^ 0x40, at);
  return copy;
}

const entries = Array.from({ length: 1000 }, (_, i) => event(i));
const log = new Log();
const first = log.append(entries.slice(0, 700));
const second = log.append(entries.slice(700));

describe('verifying an entry with a tlog-proof', () => {
  it('accepts the logged entry with its proof, witnessed', async () => {
    const proof = await log.proof(345, 1000, second.note);
    const verified = verifyTlogProof(proof, entries[345]!, policy);
    expect(verified).toMatchObject({ index: 345, checkpoint: { size: 1000 }, cosignatures: [{ name: 'witness.example.org/w1' }] });
    expect(verifyTlogProof(await log.proof(0, 700, first.note), entries[0]!, policy).index).toBe(0);
  });

  it('refuses an altered entry, a swapped entry, and another index', async () => {
    const proof = await log.proof(345, 1000, second.note);
    expect(() => verifyTlogProof(proof, event(345, 'badge.revoked'), policy)).toThrow(expect.objectContaining({ code: 'BAD_PROOF' }));
    expect(() => verifyTlogProof(proof, entries[346]!, policy)).toThrow(expect.objectContaining({ code: 'BAD_PROOF' }));
    expect(() => verifyTlogProof(proof.replace('index 345', 'index 344'), entries[345]!, policy)).toThrow(
      expect.objectContaining({ code: 'BAD_PROOF' }),
    );
    expect(() => verifyTlogProof(proof.replace('index 345', 'index 1000'), entries[345]!, policy)).toThrow(/not below checkpoint size/);
  });

  it('refuses a proof whose hashes were altered or reordered', async () => {
    const parsed = parseTlogProof(await log.proof(345, 1000, second.note));
    parsed.hashes.forEach((_, i) => {
      const altered = parsed.hashes.map((h, j) => (j === i ? flipByte(h, 5) : h));
      expect(() => verifyTlogProof({ ...parsed, hashes: altered }, entries[345]!, policy)).toThrow(
        expect.objectContaining({ code: 'BAD_PROOF' }),
      );
    });
    const reordered = [parsed.hashes[1]!, parsed.hashes[0]!, ...parsed.hashes.slice(2)];
    expect(() => verifyTlogProof({ ...parsed, hashes: reordered }, entries[345]!, policy)).toThrow(
      expect.objectContaining({ code: 'BAD_PROOF' }),
    );
  });

  it('refuses a checkpoint whose size, root or signature was altered, or that the witness did not cosign', async () => {
    const proof = await log.proof(345, 1000, second.note);
    const root = second.checkpoint.root.toString('base64');
    const otherRoot = flipByte(second.checkpoint.root, 0).toString('base64');
    expect(() => verifyTlogProof(proof.replace('\n1000\n', '\n1001\n'), entries[345]!, policy)).toThrow(
      expect.objectContaining({ code: 'BAD_SIGNATURE' }),
    );
    expect(() => verifyTlogProof(proof.replace(root, otherRoot), entries[345]!, policy)).toThrow(
      expect.objectContaining({ code: 'BAD_SIGNATURE' }),
    );
    const logLine = proof.split('\n').find((l) => l.startsWith(`— ${origin} `))!;
    const sig = Buffer.from(logLine.split(' ')[2]!, 'base64');
    const badSig = proof.replace(logLine, `— ${origin} ${flipByte(sig, 40).toString('base64')}`);
    expect(() => verifyTlogProof(badSig, entries[345]!, policy)).toThrow(expect.objectContaining({ code: 'BAD_SIGNATURE' }));
    const unwitnessed = proof.replace(/— witness\.example\.org\/w1 .*\n/, '');
    expect(() => verifyTlogProof(unwitnessed, entries[345]!, policy)).toThrow(expect.objectContaining({ code: 'UNVERIFIED' }));
    const impostor = generateNoteKey(origin);
    const resigned = formatTlogProof({
      ...parseTlogProof(proof),
      checkpoint: signCheckpoint(second.checkpoint, [noteSigner(impostor.skey)]),
    });
    expect(() => verifyTlogProof(resigned, entries[345]!, policy)).toThrow(expect.objectContaining({ code: 'UNVERIFIED' }));
  });

  it('refuses a proof built from a tampered tile in the bucket', async () => {
    const tile = { level: 0, index: 1, width: 256 };
    const honest = log.bucket.get(tilePath(tile))!;
    // Leaf 345's sibling is leaf 344, hash 88 of tile 1.
    log.bucket.set(tilePath(tile), flipByte(honest, 88 * 32 + 3));
    try {
      await expect(log.proof(345, 1000, second.note).then((p) => verifyTlogProof(p, entries[345]!, policy))).rejects.toMatchObject({
        code: 'BAD_PROOF',
      });
    } finally {
      log.bucket.set(tilePath(tile), honest);
    }
    const upper = { level: 1, index: 0, width: 3 };
    const honestUpper = log.bucket.get(tilePath(upper))!;
    log.bucket.set(tilePath(upper), flipByte(honestUpper, 0));
    try {
      await expect(log.proof(900, 1000, second.note).then((p) => verifyTlogProof(p, entries[900]!, policy))).rejects.toMatchObject({
        code: 'BAD_PROOF',
      });
    } finally {
      log.bucket.set(tilePath(upper), honestUpper);
    }
  });
});

describe('verifying entry bundles', () => {
  const check = (bundle: Bundle, data: Buffer): Promise<Buffer[]> => verifyBundle(log, second.checkpoint, bundle, data);

  it('returns the entries of a full and of a partial bundle when they are what the log signed', async () => {
    expect(await check({ index: 1, width: 256 }, log.bucket.get(bundlePath({ index: 1, width: 256 }))!)).toEqual(entries.slice(256, 512));
    expect(await check({ index: 3, width: 232 }, log.bucket.get(bundlePath({ index: 3, width: 232 }))!)).toEqual(entries.slice(768));
  });

  it('refuses a bundle with an altered, swapped, dropped or added entry', async () => {
    const honest = entries.slice(256, 512);
    const altered = honest.map((e, i) => (i === 200 ? event(456, 'letter.revoked') : e));
    const swapped = honest.map((e, i) => (i === 10 ? honest[11]! : i === 11 ? honest[10]! : e));
    await expect(check({ index: 1, width: 256 }, encodeBundle(altered))).rejects.toMatchObject({ code: 'BAD_PROOF' });
    await expect(check({ index: 1, width: 256 }, encodeBundle(swapped))).rejects.toMatchObject({ code: 'BAD_PROOF' });
    await expect(check({ index: 1, width: 256 }, encodeBundle(honest.slice(1)))).rejects.toMatchObject({ code: 'MALFORMED' });
    const partial = entries.slice(768);
    await expect(check({ index: 3, width: 232 }, encodeBundle([...partial.slice(0, -1), event(999, 'strike')]))).rejects.toMatchObject({
      code: 'BAD_PROOF',
    });
    await expect(check({ index: 3, width: 233 }, encodeBundle([...partial, event(1000)]))).rejects.toMatchObject({ code: 'OUT_OF_RANGE' });
  });

  it('does not trust the stored level-0 tile: a bundle matching a tampered tile is still refused', async () => {
    const path = tilePath({ level: 0, index: 1, width: 256 });
    const honestTile = log.bucket.get(path)!;
    const altered = entries.slice(256, 512).map((e, i) => (i === 0 ? event(256, 'complaint.decided') : e));
    log.bucket.set(path, Buffer.concat([flipByte(honestTile.subarray(0, 32), 0), honestTile.subarray(32)]));
    try {
      await expect(check({ index: 1, width: 256 }, encodeBundle(altered))).rejects.toMatchObject({ code: 'BAD_PROOF' });
    } finally {
      log.bucket.set(path, honestTile);
    }
  });
});

describe('following checkpoints', () => {
  it('accepts a growing log with consistency proofs between consecutive checkpoints', async () => {
    const follower = new CheckpointFollower(policy);
    follower.update(first.note, []);
    follower.update(second.note, await log.consistency(700, 1000));
    expect(follower.current?.size).toBe(1000);
    // A stale checkpoint from a cache is accepted as a prefix and does not move the follower back.
    follower.update(first.note, await log.consistency(700, 1000));
    expect(follower.current?.size).toBe(1000);
  });

  it('refuses a fork: a history rewritten after the checkpoint it saw, re-signed by the log itself', async () => {
    const forked = new Log();
    forked.append(entries.slice(0, 500));
    const rewritten = entries.slice(500).map((e, i) => (i === 150 ? event(650, 'badge.reinstated') : e));
    const fork = forked.append(rewritten);
    expect(fork.checkpoint.size).toBe(1000);
    expect(() => openCheckpoint(fork.note, policy)).not.toThrow();

    const follower = new CheckpointFollower(policy);
    follower.update(first.note, []);
    await expect(forked.consistency(700, 1000).then((proof) => follower.update(fork.note, proof))).rejects.toMatchObject({
      code: 'BAD_PROOF',
    });
    // Even the honest log's proof cannot join the honest 700 to the forked 1000.
    await expect(log.consistency(700, 1000).then((proof) => follower.update(fork.note, proof))).rejects.toMatchObject({
      code: 'BAD_PROOF',
    });
    expect(follower.current?.root).toEqual(first.checkpoint.root);

    const atSameSize = new CheckpointFollower(policy);
    atSameSize.update(second.note, []);
    expect(() => atSameSize.update(fork.note, [])).toThrow(expect.objectContaining({ code: 'FORK' }));
  });

  it('refuses a consistency proof from size 0 unless it is empty, and a shrinking log', () => {
    const empty = parseCheckpoint(`${origin}\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n`);
    expect(() => verifyCheckpointConsistency(empty, second.checkpoint, [])).not.toThrow();
    expect(() => verifyCheckpointConsistency(empty, second.checkpoint, [second.checkpoint.root])).toThrow(
      expect.objectContaining({ code: 'BAD_PROOF' }),
    );
    expect(() => verifyCheckpointConsistency(second.checkpoint, first.checkpoint, [])).toThrow(
      expect.objectContaining({ code: 'OUT_OF_RANGE' }),
    );
    expect(() => verifyCheckpointConsistency(first.checkpoint, { ...second.checkpoint, origin: 'other' }, [])).toThrow(
      expect.objectContaining({ code: 'UNVERIFIED' }),
    );
  });
});

describe('the tlog-proof format', () => {
  const checkpointNote = second.note;
  const hashes = [Buffer.alloc(32, 1), Buffer.alloc(32, 2)];

  it('writes the header, optional extra, index, hashes, a blank line and the checkpoint verbatim', () => {
    const text = formatTlogProof({ index: 7, hashes, checkpoint: checkpointNote, extra: Buffer.from('vrf') });
    expect(text).toBe(
      `c2sp.org/tlog-proof@v1\nextra ${Buffer.from('vrf').toString('base64')}\nindex 7\n${hashes[0]!.toString('base64')}\n${hashes[1]!.toString('base64')}\n\n${checkpointNote}`,
    );
    expect(parseTlogProof(text)).toEqual({ extra: Buffer.from('vrf'), index: 7, hashes, checkpoint: checkpointNote });
    expect(parseTlogProof(formatTlogProof({ index: 0, hashes: [], checkpoint: checkpointNote }))).toEqual({
      index: 0,
      hashes: [],
      checkpoint: checkpointNote,
    });
  });

  const good = formatTlogProof({ index: 7, hashes, checkpoint: checkpointNote });
  it.each([
    ['another header', good.replace('@v1', '@v2')],
    ['a leading zero in the index', good.replace('index 7', 'index 07')],
    ['no index', good.replace('index 7\n', '')],
    ['a short hash', good.replace(hashes[0]!.toString('base64'), Buffer.alloc(31).toString('base64'))],
    ['a hash that is not base64', good.replace(hashes[0]!.toString('base64'), 'not base64!')],
    ['no blank line before the checkpoint', good.replace('\n\n', '\n')],
    ['no checkpoint', good.slice(0, good.indexOf('\n\n') + 2)],
    ['extra data that is not base64', good.replace('index 7', 'extra @@@\nindex 7')],
  ])('refuses a proof with %s', (_, text) => {
    expect(() => parseTlogProof(text)).toThrow(expect.objectContaining({ code: 'MALFORMED' }));
  });
});
