import { base64Bytes, encoder, fail, importNoteKey, signatureKeyId, type NoteKey, type SignatureLine } from './note-keys.js';

/**
 * Witness cosignatures on the log's checkpoint (C2SP tlog-cosignature,
 * Ed25519 cosignature/v1), as the service's own verifier (src/tlog) reads
 * them: a witness signs "cosignature/v1\ntime <t>\n" + the checkpoint text,
 * and its signature is key ID ‖ t (8 bytes, big-endian) ‖ Ed25519 signature.
 * A storefront that names witnesses shows a badge only under a checkpoint
 * enough of them saw, so a log that shows it a view of its own (a fork) is
 * caught by witnesses that did not.
 */

const COSIGNATURE_V1 = 0x04;

/** The witnesses a storefront requires, and how many of them must have cosigned. */
export interface WitnessPolicy {
  keys: NoteKey[];
  quorum: number;
}

/** A storefront that names no witnesses: the log's signature is enough. */
export const NO_WITNESSES: WitnessPolicy = { keys: [], quorum: 0 };

/**
 * Reads the space-separated cosignature/v1 vkeys a storefront names and its
 * quorum, all of them unless it says fewer. A quorum that could not be met or
 * is not a number is refused: the storefront asked for witnesses.
 */
export async function importWitnesses(vkeys: string, quorum?: string): Promise<WitnessPolicy> {
  const keys: NoteKey[] = [];
  for (const vkey of vkeys.split(/\s+/).filter(Boolean)) {
    const key = await importNoteKey(vkey, COSIGNATURE_V1, 'A witness key');
    if (!keys.some((k) => k.name === key.name && k.keyId === key.keyId)) keys.push(key);
  }
  const required = quorum === undefined ? keys.length : /^[1-9][0-9]*$/.test(quorum.trim()) ? Number(quorum) : 0;
  if (required < 1 || required > keys.length) throw new Error(`The witness quorum must be between 1 and the ${keys.length} witness keys.`);
  return { keys, quorum: required };
}

/**
 * Checks that at least the quorum of the witnesses cosigned the checkpoint
 * `text`; each witness counts once. A cosignature by a named witness that does
 * not verify (altered, or of another checkpoint) refuses the checkpoint.
 */
export async function checkCosignatures(text: string, signatures: SignatureLine[], witnesses: WitnessPolicy): Promise<void> {
  const cosigned = new Set<NoteKey>();
  for (const { name, base64 } of signatures) {
    if (!witnesses.keys.some((k) => k.name === name)) continue;
    const bytes = base64Bytes(base64, 'A cosignature');
    const witness = bytes.length >= 4 ? witnesses.keys.find((k) => k.name === name && k.keyId === signatureKeyId(bytes)) : undefined;
    if (!witness) continue;
    const view = new DataView(bytes.buffer);
    // The time is a u64; above 2^53 it is no time a verifier can print back into the signed message.
    if (bytes.length !== 4 + 8 + 64 || view.getUint32(4) >= 2 ** 21) fail(`The cosignature by ${name} is malformed.`);
    const time = view.getUint32(4) * 2 ** 32 + view.getUint32(8);
    const message = encoder.encode(`cosignature/v1\ntime ${time}\n${text}`);
    if (!(await crypto.subtle.verify({ name: 'Ed25519' }, witness.key, bytes.subarray(12), message))) {
      fail(`The cosignature by ${name} does not verify.`);
    }
    cosigned.add(witness);
  }
  if (cosigned.size < witnesses.quorum) {
    fail(`The checkpoint has ${cosigned.size} of the ${witnesses.quorum} witness cosignatures required.`);
  }
}
