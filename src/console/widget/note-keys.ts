/**
 * What the log's and the witnesses' keys share (C2SP signed-note): vkeys
 * `<name>+<hex key ID>+base64(type ‖ Ed25519 public key)`, key IDs, signature
 * lines, all read strictly in the browser with WebCrypto.
 */

/** A verifier key, ready to verify. */
export interface NoteKey {
  name: string;
  keyId: number;
  key: CryptoKey;
}

/** A signature line of a note: `— <key name> base64(4-byte key ID ‖ signature)`. */
export interface SignatureLine {
  name: string;
  base64: string;
}

export const encoder = new TextEncoder();

/** A proof that does not hold; its message is shown as the reason as it is. */
export class ProofError extends Error {}
export const fail = (reason: string): never => {
  throw new ProofError(reason);
};

/** Standard base64 in its one canonical spelling; anything else is refused, so no two texts carry one value. */
export function base64Bytes(text: string, what: string): Uint8Array<ArrayBuffer> {
  const binary = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text) ? atob(text) : '';
  if (btoa(binary) !== text) fail(`${what} is not canonical base64.`);
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

export async function sha256(...parts: Array<Uint8Array | number[]>): Promise<Uint8Array> {
  const joined = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    joined.set(part, at);
    at += part.length;
  }
  return new Uint8Array(await crypto.subtle.digest('SHA-256', joined));
}

const keyIdOf = async (name: string, type: number, key: Uint8Array) =>
  new DataView((await sha256(encoder.encode(name), [0x0a, type], key)).buffer).getUint32(0);

/** The key ID a signature's bytes start with. */
export const signatureKeyId = (bytes: Uint8Array<ArrayBuffer>) => new DataView(bytes.buffer).getUint32(0);

/**
 * Reads a verifier key of signature type `type` (0x01 a note signer, 0x04 a
 * cosignature/v1 witness); its key ID must be the one its name, type and key give.
 */
export async function importNoteKey(vkey: string, type: number, what: string): Promise<NoteKey> {
  const [name = '', id = '', ...rest] = vkey.trim().split('+');
  const material = base64Bytes(rest.join('+'), what);
  if (!name || !/^[0-9a-f]{8}$/.test(id) || material.length !== 33 || material[0] !== type) {
    throw new Error(`${what} is not an Ed25519 ${type === 0x01 ? 'note verifier' : 'cosignature/v1'} key.`);
  }
  const raw = material.subarray(1);
  const keyId = parseInt(id, 16);
  if ((await keyIdOf(name, type, raw)) !== keyId) throw new Error(`${what}’s ID does not match its key.`);
  return { name, keyId, key: await crypto.subtle.importKey('raw', raw, { name: 'Ed25519' }, false, ['verify']) };
}

/** Splits a signed note into its text and signature lines (a line with anything after the signature is left out). */
export function splitNote(note: string): { text: string; signatures: SignatureLine[] } {
  const split = note.lastIndexOf('\n\n');
  if (split < 0 || !note.endsWith('\n')) fail('The checkpoint is not a signed note.');
  const signatures: SignatureLine[] = [];
  for (const line of note.slice(split + 2, -1).split('\n')) {
    if (!line.startsWith('\u2014 ')) fail('The checkpoint has a malformed signature line.');
    const [name = '', base64 = '', extra] = line.slice(2).split(' ');
    if (extra === undefined) signatures.push({ name, base64 });
  }
  return { text: note.slice(0, split + 1), signatures };
}
