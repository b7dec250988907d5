import { encodeGlobalID } from '@pothos/plugin-relay';
import { beforeAll, describe, expect, it } from 'vitest';
import { badgeRowId, checkBadgeLogged, checkGrantProof, importLogKey, type LogKey } from '../../src/console/widget/log-proof.js';
import {
  MemoryTree,
  addSignatures,
  cosigner,
  formatTlogProof,
  generateNoteKey,
  inclusionProof,
  noteSigner,
  parseTlogProof,
  signCheckpoint,
  signNote,
} from '../../src/tlog/index.js';
import { policyFrom, verifyCredentialProof } from '../../src/transparency/auditor.js';
import { encodeEntry, type LogEntry } from '../../src/transparency/entries.js';
import { badgeGrantLog } from '../support/badge-grant-log.js';

// The badge's log check, run in Node's WebCrypto (as the browser's) against
// tlog-proofs the service's own code answers, and against every way a proof,
// its checkpoint or its entry can be altered.

const log = badgeGrantLog('badges.example/transparency-log');
const badgeIds = Array.from({ length: 300 }, (_, i) => encodeGlobalID('Badge', `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`));
/** A compact JWS stands for each badge's credential: only its SHA-256 is logged. */
const credentialOf = (i: number) => `eyJhbGciOiJFZERTQSJ9.eyJqdGkiOiJiYWRnZS0${i}In0.c2lnbmF0dXJl${i}`;
let logKey: LogKey;
let note: string;

beforeAll(async () => {
  logKey = await importLogKey(log.vkey);
  // Grants published over several checkpoints, so proofs cross tiles and an earlier checkpoint's tree.
  for (const [from, to] of [
    [0, 1],
    [1, 257],
    [257, 300],
  ] as const) {
    for (let i = from; i < to; i++) log.grant(badgeIds[i]!, credentialOf(i));
    note = await log.publish();
  }
});

const rowOf = (i: number) => badgeRowId(badgeIds[i]!)!;
/** A proof with one of its lines replaced. */
const withLine = (proof: string, at: number, line: string) =>
  proof
    .split('\n')
    .map((l, i) => (i === at ? line : l))
    .join('\n');

describe('the badge’s log check', () => {
  it('accepts the service’s proof of a badge’s grant, wherever the entry sits, as the service’s own verifier does', async () => {
    for (const i of [0, 1, 2, 255, 256, 257, 299]) {
      const proof = await log.proof(badgeIds[i]!);
      expect(await checkGrantProof(proof, credentialOf(i), rowOf(i), logKey)).toEqual({ valid: true, index: i, size: 300 });
      expect(verifyCredentialProof(credentialOf(i), proof, policyFrom({ vkey: log.vkey })).index).toBe(i);
    }
    expect(await checkBadgeLogged(credentialOf(7), badgeIds[7]!, { logKey: async () => logKey, grantProof: log.proof })).toEqual({
      valid: true,
      index: 7,
      size: 300,
    });
  });

  it('ignores a witness’s cosignature beside the log’s signature', async () => {
    const witness = generateNoteKey('witness.example/w1', 0x04);
    const proof = await log.proof(badgeIds[3]!);
    const { checkpoint, ...rest } = parseTlogProof(proof);
    const cosigned = formatTlogProof({ ...rest, checkpoint: addSignatures(checkpoint, [cosigner(witness.skey)]) });
    expect(cosigned).not.toBe(proof);
    expect(await checkGrantProof(cosigned, credentialOf(3), rowOf(3), logKey)).toMatchObject({ valid: true });
  });

  it('refuses a checkpoint signed by another key, even one of the same name', async () => {
    const proof = await log.proof(badgeIds[5]!);
    const impostor = await importLogKey(generateNoteKey(log.origin).vkey);
    expect(await checkGrantProof(proof, credentialOf(5), rowOf(5), impostor)).toEqual({
      valid: false,
      reason: 'The checkpoint is not signed by the log’s key.',
    });
    const elsewhere = await importLogKey(generateNoteKey('other.example/log').vkey);
    expect(await checkGrantProof(proof, credentialOf(5), rowOf(5), elsewhere)).toMatchObject({ valid: false });
  });

  it('refuses a forged checkpoint: altered text under the log’s signature, a forged signature, another log’s origin', async () => {
    const proof = await log.proof(badgeIds[9]!);
    const parsed = parseTlogProof(proof);
    // The same signature over a checkpoint claiming a larger tree.
    const altered = formatTlogProof({ ...parsed, checkpoint: parsed.checkpoint.replace(/^(.+)\n300\n/, '$1\n301\n') });
    expect(altered).not.toBe(proof);
    expect(await checkGrantProof(altered, credentialOf(9), rowOf(9), logKey)).toEqual({
      valid: false,
      reason: 'The checkpoint’s signature by the log’s key does not verify.',
    });
    // A signature line naming the log's key ID, made with another key.
    const forger = generateNoteKey(log.origin);
    const forgedSigner = { ...noteSigner(forger.skey), keyId: logKey.keyId };
    const text = parsed.checkpoint.slice(0, parsed.checkpoint.lastIndexOf('\n\n') + 1);
    const forged = formatTlogProof({ ...parsed, checkpoint: signNote(text, [forgedSigner]) });
    expect(await checkGrantProof(forged, credentialOf(9), rowOf(9), logKey)).toEqual({
      valid: false,
      reason: 'The checkpoint’s signature by the log’s key does not verify.',
    });
    // Signed by the log's key, but for another log's origin.
    const root = text.split('\n')[2]!;
    const otherOrigin = signCheckpoint({ origin: 'other.example/log', size: 300, root: Buffer.from(root, 'base64'), extensions: [] }, [
      { ...noteSigner(log.skey), name: log.origin },
    ]);
    const replayed = formatTlogProof({ ...parsed, checkpoint: otherOrigin });
    expect(await checkGrantProof(replayed, credentialOf(9), rowOf(9), logKey)).toEqual({
      valid: false,
      reason: 'The checkpoint is of another log.',
    });
  });

  it('refuses an altered proof hash, a wrong index, a missing or extra hash', async () => {
    const proof = await log.proof(badgeIds[42]!);
    const lines = proof.split('\n');
    const hashLine = lines.findIndex((l, i) => i > 2 && /^[A-Za-z0-9+/]{43}=$/.test(l));
    const hash = Buffer.from(lines[hashLine]!, 'base64');
    hash[0]! ^= 0x01;
    const expectRefused = async (text: string, reason: string | RegExp) =>
      expect(await checkGrantProof(text, credentialOf(42), rowOf(42), logKey)).toEqual({
        valid: false,
        reason: expect.stringMatching(reason),
      });

    await expectRefused(withLine(proof, hashLine, hash.toString('base64')), /^The entry is not in the log/);
    await expectRefused(withLine(proof, 2, 'index 43'), /^The entry is not in the log/);
    await expectRefused(withLine(proof, 2, 'index 300'), /^Entry 300 is not below the checkpoint size 300/);
    await expectRefused(withLine(proof, 2, 'index 042'), /^The proof has no entry index/);
    await expectRefused(lines.filter((_, i) => i !== hashLine).join('\n'), /^The inclusion proof is too short\.$/);
    await expectRefused(
      lines
        .slice(0, hashLine + 1)
        .concat(lines.slice(hashLine))
        .join('\n'),
      /^The inclusion proof is too long\.$/,
    );
    await expectRefused(withLine(proof, hashLine, lines[hashLine]!.replace(/=$/, '')), /^A proof hash is not canonical base64\.$/);
  });

  it('refuses a proof of another badge’s grant, and a grant of another credential for the same badge', async () => {
    const proofOf10 = await log.proof(badgeIds[10]!);
    expect(await checkGrantProof(proofOf10, credentialOf(11), rowOf(11), logKey)).toEqual({
      valid: false,
      reason: 'The logged grant is of another badge.',
    });
    expect(await checkGrantProof(proofOf10, credentialOf(11), rowOf(10), logKey)).toEqual({
      valid: false,
      reason: 'The logged grant is of another credential.',
    });
    // The entry swapped for another one of the log: the inclusion proof no longer leads to the root.
    const other = Buffer.from(log.entries()[11]!).toString('base64');
    expect(await checkGrantProof(withLine(proofOf10, 1, `extra ${other}`), credentialOf(11), rowOf(11), logKey)).toEqual({
      valid: false,
      reason: 'The entry is not in the log the checkpoint commits to.',
    });
  });

  it('refuses a logged entry that is not a grant, and a proof that carries no entry', async () => {
    const entries = log.entries();
    const revoked: LogEntry = {
      v: 1,
      type: 'badge.revoked',
      time: 1_765_000_100,
      eventId: `badge:${rowOf(12)}:revoked:1`,
      ids: { badge: rowOf(12) },
      reason: 'REVOKED_BY_REVIEWER',
      status: { list: 2, index: 12, revoked: 1, suspended: 0 },
    };
    const tree = new MemoryTree();
    tree.append([...entries, encodeEntry(revoked)]);
    const size = tree.size;
    const checkpoint = signCheckpoint({ origin: log.origin, size, root: tree.root(), extensions: [] }, [noteSigner(log.skey)]);
    const index = size - 1;
    const ofRevocation = formatTlogProof({ extra: encodeEntry(revoked), index, hashes: inclusionProof(tree, index, size), checkpoint });
    expect(await checkGrantProof(ofRevocation, credentialOf(12), rowOf(12), logKey)).toEqual({
      valid: false,
      reason: 'The logged entry is not a badge grant.',
    });

    const bare = formatTlogProof({ index: 12, hashes: inclusionProof(tree, 12, size), checkpoint });
    expect(await checkGrantProof(bare, credentialOf(12), rowOf(12), logKey)).toEqual({
      valid: false,
      reason: 'The proof carries no log entry.',
    });
    expect(await checkGrantProof(`not a proof\n\n${note}`, credentialOf(12), rowOf(12), logKey)).toEqual({
      valid: false,
      reason: 'This is not a tlog-proof.',
    });
  });

  it('proves a badge’s new credential by its own grant, asking the service again when a kept proof is of the old one', async () => {
    const resigned = `${credentialOf(20)}.resigned`;
    const kept = await log.proof(badgeIds[20]!);
    log.grant(badgeIds[20]!, resigned);
    await log.publish();
    const asked: boolean[] = [];
    const sources = {
      logKey: async () => logKey,
      grantProof: async (badgeId: string, reload = false) => (asked.push(reload), reload ? log.proof(badgeId) : kept),
    };
    expect(await checkBadgeLogged(resigned, badgeIds[20]!, sources)).toEqual({ valid: true, index: 300, size: 301 });
    expect(asked).toEqual([false, true]);
    // The old credential's grant stays proven by the proof of its own entry.
    expect(await checkGrantProof(kept, credentialOf(20), rowOf(20), logKey)).toMatchObject({ valid: true, index: 20 });
  });

  it('refuses when there is no proof yet, and a credential that names no badge', async () => {
    const pending = encodeGlobalID('Badge', '00000000-0000-4000-8000-999999999999');
    log.grant(pending, 'a.b.c');
    const sources = { logKey: async () => logKey, grantProof: log.proof };
    expect(await checkBadgeLogged('a.b.c', pending, sources)).toEqual({
      valid: false,
      reason: expect.stringMatching(/^log proof: HTTP 404: .*no published checkpoint covers/),
    });
    expect(await checkBadgeLogged('a.b.c', encodeGlobalID('Store', 's1'), sources)).toEqual({
      valid: false,
      reason: 'The credential names no badge.',
    });
    expect(badgeRowId('not base64!')).toBeNull();
  });
});

describe('the log’s verifier key', () => {
  it('is read from its vkey text, and refused when its key ID, type or encoding is wrong', async () => {
    const { vkey } = generateNoteKey('badges.example/transparency-log');
    const [, name, id, key] = /^([^+]+)\+([0-9a-f]{8})\+(.+)$/.exec(vkey)! as unknown as [string, string, string, string];
    expect(await importLogKey(`${vkey}\n`)).toMatchObject({ name, keyId: parseInt(id, 16) });
    const wrongId = ((parseInt(id, 16) ^ 1) >>> 0).toString(16).padStart(8, '0');
    await expect(importLogKey(`${name}+${wrongId}+${key}`)).rejects.toThrow('does not match its key');
    await expect(importLogKey(generateNoteKey('witness.example/w1', 0x04).vkey)).rejects.toThrow('not an Ed25519 note verifier key');
    await expect(importLogKey(`${name}+${id}+${key}=`)).rejects.toThrow('The log key is not canonical base64.');
    await expect(importLogKey('')).rejects.toThrow();
  });
});
