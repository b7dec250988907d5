import { encodeGlobalID } from '@pothos/plugin-relay';
import { beforeAll, describe, expect, it } from 'vitest';
import { badgeRowId, checkBadgeLogged, checkGrantProof, importLogKey, type LogKey } from '../../src/console/widget/log-proof.js';
import { importWitnesses } from '../../src/console/widget/witness-cosignatures.js';
import { addSignatures, cosigner, formatTlogProof, generateNoteKey, parseTlogProof, type NoteSigner } from '../../src/tlog/index.js';
import { policyFrom, verifyCredentialProof } from '../../src/transparency/auditor.js';
import { badgeGrantLog } from '../support/badge-grant-log.js';

// The badge's log check with witnesses named by the storefront, in Node's
// WebCrypto (as the browser's), against checkpoints cosigned by the service's
// own tlog code; every verdict is also the service's verifier's (src/tlog).

const log = badgeGrantLog('badges.example/transparency-log');
const witness = (name: string) => ({ ...generateNoteKey(`${name}.example/witness`, 0x04), name: `${name}.example/witness` });
const [w1, w2, w3] = [witness('w1'), witness('w2'), witness('w3')];
const badgeIds = Array.from({ length: 8 }, (_, i) => encodeGlobalID('Badge', `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`));
const credentialOf = (i: number) => `eyJhbGciOiJFZERTQSJ9.eyJqdGkiOiJiYWRnZS0${i}In0.c2lnbmF0dXJl${i}`;
let logKey: LogKey;
/** The checkpoint before the last grants: a cosignature of it is of another checkpoint. */
let earlier: string;

beforeAll(async () => {
  logKey = await importLogKey(log.vkey);
  for (let i = 0; i < 4; i++) log.grant(badgeIds[i]!, credentialOf(i));
  earlier = await log.publish();
  for (let i = 4; i < 8; i++) log.grant(badgeIds[i]!, credentialOf(i));
  await log.publish();
});

/** The badge's proof, its checkpoint cosigned by `signers` (or with `lines` appended as they are). */
async function cosignedProof(i: number, signers: NoteSigner[], lines: string[] = []) {
  const { checkpoint, ...rest } = parseTlogProof(await log.proof(badgeIds[i]!));
  return formatTlogProof({ ...rest, checkpoint: addSignatures(checkpoint, signers) + lines.map((line) => `${line}\n`).join('') });
}

/** The widget's verdict on proof `proof` of badge `i`, asserting the service's verifier agrees on whether it holds. */
async function verdict(i: number, proof: string, witnessKeys: string[], quorum?: number) {
  const policy = await importWitnesses(witnessKeys.join(' '), quorum === undefined ? undefined : String(quorum));
  const result = await checkGrantProof(proof, credentialOf(i), badgeRowId(badgeIds[i]!)!, logKey, policy);
  const server = () =>
    verifyCredentialProof(
      credentialOf(i),
      proof,
      policyFrom({ vkey: log.vkey, witnesses: witnessKeys, quorum: quorum ?? witnessKeys.length }),
    );
  if (result.valid) expect(server().index).toBe(result.index);
  else expect(server).toThrow();
  return result;
}

/** The proof with the signature bytes of `name`'s line edited. */
const withCosignature = (proof: string, name: string, edit: (bytes: Buffer) => Buffer) =>
  proof
    .split('\n')
    .map((line) =>
      line.startsWith(`— ${name} `) ? `— ${name} ${edit(Buffer.from(line.slice(name.length + 3), 'base64')).toString('base64')}` : line,
    )
    .join('\n');

/** The signature line a signer adds to the checkpoint of `note`. */
const lineOf = (note: string, signer: NoteSigner) => addSignatures(note, [signer]).trimEnd().split('\n').at(-1)!;

describe('the badge’s log check with witnesses', () => {
  it('accepts a checkpoint cosigned by the quorum of the named witnesses, by default all of them', async () => {
    const proof = await cosignedProof(5, [cosigner(w1.skey), cosigner(w2.skey)]);
    expect(await verdict(5, proof, [w1.vkey, w2.vkey])).toEqual({ valid: true, index: 5, size: 8 });
    expect(await verdict(5, proof, [w1.vkey, w2.vkey, w3.vkey], 2)).toEqual({ valid: true, index: 5, size: 8 });
    expect(await verdict(5, proof, [w3.vkey, w2.vkey], 1)).toMatchObject({ valid: true });
    // A witness the storefront does not name is not counted, nor in the way.
    expect(await verdict(5, proof, [w2.vkey])).toMatchObject({ valid: true });
  });

  it('refuses a checkpoint fewer of them cosigned than the quorum', async () => {
    const byOne = await cosignedProof(2, [cosigner(w1.skey)]);
    expect(await verdict(2, byOne, [w1.vkey, w2.vkey])).toEqual({
      valid: false,
      reason: 'The checkpoint has 1 of the 2 witness cosignatures required.',
    });
    expect(await verdict(2, byOne, [w1.vkey, w2.vkey, w3.vkey], 2)).toMatchObject({ valid: false });
    expect(await verdict(2, await log.proof(badgeIds[2]!), [w1.vkey])).toEqual({
      valid: false,
      reason: 'The checkpoint has 0 of the 1 witness cosignatures required.',
    });
    // One witness's cosignature twice counts once.
    const twice = await cosignedProof(2, [cosigner(w1.skey)], [lineOf(parseTlogProof(byOne).checkpoint, cosigner(w1.skey))]);
    expect(twice.match(/w1\.example/g)).toHaveLength(2);
    expect(
      await checkGrantProof(twice, credentialOf(2), badgeRowId(badgeIds[2]!)!, logKey, await importWitnesses(`${w1.vkey} ${w2.vkey}`)),
    ).toEqual({ valid: false, reason: 'The checkpoint has 1 of the 2 witness cosignatures required.' });
  });

  it('does not count a cosignature under another key than the one named, even by the same name', async () => {
    const proof = await cosignedProof(3, [cosigner(w1.skey)]);
    const sameName = generateNoteKey(w1.name, 0x04).vkey;
    expect(await verdict(3, proof, [sameName])).toEqual({
      valid: false,
      reason: 'The checkpoint has 0 of the 1 witness cosignatures required.',
    });
    // The log's own signature is not a witness's cosignature, even under a cosignature key made from the log's name.
    expect(await verdict(3, proof, [generateNoteKey(log.origin, 0x04).vkey])).toMatchObject({ valid: false });
  });

  it('refuses an altered cosignature by a named witness: its signature or the time it signed', async () => {
    const proof = await cosignedProof(6, [cosigner(w1.skey), cosigner(w2.skey)]);
    for (const at of [4 + 8 + 10, 4 + 7]) {
      const altered = withCosignature(proof, w1.name, (bytes) => {
        bytes[at]! ^= 0x01;
        return bytes;
      });
      expect(altered).not.toBe(proof);
      // Refused even where the other witness alone would meet the quorum: a named witness's line must hold.
      expect(await verdict(6, altered, [w1.vkey, w2.vkey], 1)).toEqual({
        valid: false,
        reason: `The cosignature by ${w1.name} does not verify.`,
      });
    }
    // Cut to the length of a plain note signature: not a cosignature/v1 at all.
    const short = withCosignature(proof, w1.name, (bytes) => bytes.subarray(0, 68));
    expect(await verdict(6, short, [w1.vkey])).toEqual({ valid: false, reason: `The cosignature by ${w1.name} is malformed.` });
  });

  it('refuses a cosignature the witness made of another checkpoint of the log', async () => {
    const proof = await cosignedProof(7, [], [lineOf(earlier, cosigner(w1.skey))]);
    const sizeOf = (note: string) => note.split('\n')[1];
    expect([sizeOf(earlier), sizeOf(parseTlogProof(proof).checkpoint)]).toEqual(['4', '8']);
    expect(await verdict(7, proof, [w1.vkey])).toEqual({ valid: false, reason: `The cosignature by ${w1.name} does not verify.` });
  });

  it('asks its sources for the witnesses, and shows nothing when the storefront named them wrongly', async () => {
    const proof = await cosignedProof(1, [cosigner(w1.skey)]);
    const sources = (witnesses: () => ReturnType<typeof importWitnesses>) => ({
      logKey: async () => logKey,
      grantProof: async () => proof,
      witnesses,
    });
    expect(
      await checkBadgeLogged(
        credentialOf(1),
        badgeIds[1]!,
        sources(() => importWitnesses(w1.vkey)),
      ),
    ).toEqual({
      valid: true,
      index: 1,
      size: 8,
    });
    expect(
      await checkBadgeLogged(
        credentialOf(1),
        badgeIds[1]!,
        sources(() => importWitnesses(w2.vkey)),
      ),
    ).toMatchObject({ valid: false });
    expect(
      await checkBadgeLogged(
        credentialOf(1),
        badgeIds[1]!,
        sources(() => importWitnesses(w1.vkey, '2')),
      ),
    ).toEqual({
      valid: false,
      reason: 'log proof: The witness quorum must be between 1 and the 1 witness keys.',
    });
  });
});

describe('the witness keys a storefront names', () => {
  it('are cosignature/v1 vkeys, space-separated, each counted once; the quorum defaults to all of them', async () => {
    const policy = await importWitnesses(`  ${w1.vkey}\n${w2.vkey} ${w1.vkey} `);
    expect(policy.keys.map((k) => k.name)).toEqual([w1.name, w2.name]);
    expect(policy.quorum).toBe(2);
    expect((await importWitnesses(`${w1.vkey} ${w2.vkey}`, '1')).quorum).toBe(1);
  });

  it('refuse a quorum that is not a count they can meet, and keys that are not witness keys', async () => {
    for (const quorum of ['0', '3', 'two', '1.5', '-1', '']) {
      await expect(importWitnesses(`${w1.vkey} ${w2.vkey}`, quorum)).rejects.toThrow('The witness quorum must be between 1 and the 2');
    }
    await expect(importWitnesses('')).rejects.toThrow('between 1 and the 0');
    await expect(importWitnesses(log.vkey)).rejects.toThrow('A witness key is not an Ed25519 cosignature/v1 key.');
    const [, name, id, key] = /^([^+]+)\+([0-9a-f]{8})\+(.+)$/.exec(w1.vkey)! as unknown as [string, string, string, string];
    const wrongId = ((parseInt(id, 16) ^ 1) >>> 0).toString(16).padStart(8, '0');
    await expect(importWitnesses(`${name}+${wrongId}+${key}`)).rejects.toThrow('A witness key’s ID does not match its key.');
    await expect(importWitnesses(`${w1.vkey}=`)).rejects.toThrow('A witness key is not canonical base64.');
  });
});
