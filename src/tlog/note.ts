import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { TlogError, malformed } from './errors.js';

/**
 * C2SP signed-note: a text ending in a newline, a blank line, and one or more
 * lines `— <key name> base64(key ID(4) ‖ signature)`.
 * Keys are exchanged as vkeys `<name>+<hex key ID>+base64(type ‖ public key)`
 * and kept as skeys `PRIVATE+KEY+<name>+<hex key ID>+base64(type ‖ seed)`.
 */
export const SIG_TYPE_ED25519 = 0x01;

const SIGNATURE_PREFIX = '\u2014 ';
/** Go's note.Open stops at 100; the spec asks verifiers to take at least 16. */
const MAX_SIGNATURES = 100;

export interface NoteSigner {
  readonly name: string;
  readonly keyId: number;
  /** Signature bytes over the note text (without the key ID). */
  sign(text: Buffer): Buffer;
}

export interface NoteVerifier {
  readonly name: string;
  readonly keyId: number;
  verify(text: Buffer, signature: Buffer): boolean;
}

export interface NoteSignature {
  name: string;
  keyId: number;
  /** The base64 as written in the note (key ID and signature). */
  base64: string;
}

export interface OpenedNote {
  text: string;
  /** Signatures by the given verifiers, all checked. */
  verified: NoteSignature[];
  /** Signatures by keys the caller did not pass; kept, never trusted. */
  unverified: NoteSignature[];
}

/** Standard base64 in its one canonical spelling (padding, zero trailing bits); anything else is refused. */
export function decodeBase64Strict(text: string): Buffer | null {
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text)) return null;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : null;
}

/** Non-empty, no Unicode space (the White_Space property, as Go's unicode.IsSpace), no '+'. */
export function isValidKeyName(name: string): boolean {
  return name.length > 0 && !/[\p{White_Space}+]/u.test(name) && !/\p{Surrogate}/u.test(name);
}

export function keyId(name: string, type: number, publicKey: Uint8Array): number {
  return createHash('sha256')
    .update(name)
    .update(Buffer.from([0x0a, type]))
    .update(publicKey)
    .digest()
    .readUInt32BE(0);
}

const hex8 = (id: number): string => id.toString(16).padStart(8, '0');

const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_ED25519 = Buffer.from('302a300506032b6570032100', 'hex');

export function ed25519PrivateKey(seed: Uint8Array): KeyObject {
  return createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, seed]), format: 'der', type: 'pkcs8' });
}

export function ed25519PublicKey(raw: Uint8Array): KeyObject {
  return createPublicKey({ key: Buffer.concat([SPKI_ED25519, raw]), format: 'der', type: 'spki' });
}

export function rawPublicKey(key: KeyObject): Buffer {
  return createPublicKey(key).export({ format: 'der', type: 'spki' }).subarray(SPKI_ED25519.length);
}

export function ed25519Sign(key: KeyObject, message: Uint8Array): Buffer {
  return sign(null, message, key);
}

export function ed25519Verify(key: KeyObject, message: Uint8Array, signature: Uint8Array): boolean {
  return signature.length === 64 && verify(null, message, key, signature);
}

export interface ParsedKey {
  name: string;
  keyId: number;
  type: number;
  /** Public key for a vkey, private seed for an skey. */
  key: Buffer;
}

/** Splits off `count` '+'-separated fields; the last field (base64) may itself hold '+'. */
function cutFields(text: string, count: number): Array<string | undefined> {
  const fields = text.split('+');
  return [...fields.slice(0, count - 1), fields.length >= count ? fields.slice(count - 1).join('+') : undefined];
}

/** Splits a vkey; checks the name and that the key ID matches the key. */
export function parseVkey(vkey: string): ParsedKey {
  const [name, id, b64] = cutFields(vkey, 3);
  const material = b64 === undefined ? null : decodeBase64Strict(b64);
  if (!name || !isValidKeyName(name) || !/^[0-9a-f]{8}$/.test(id ?? '') || !material || material.length < 2) {
    throw malformed('malformed verifier key');
  }
  const parsed = { name, keyId: parseInt(id!, 16), type: material[0]!, key: material.subarray(1) };
  if (keyId(name, parsed.type, parsed.key) !== parsed.keyId)
    throw malformed(`verifier key ${name} has a key ID that does not match its key`);
  return parsed;
}

export function parseSkey(skey: string): ParsedKey {
  const [p1, p2, name, id, b64] = cutFields(skey, 5);
  const material = b64 === undefined ? null : decodeBase64Strict(b64);
  if (p1 !== 'PRIVATE' || p2 !== 'KEY' || !name || !isValidKeyName(name) || !/^[0-9a-f]{8}$/.test(id ?? '')) {
    throw malformed('malformed signer key');
  }
  if (!material || material.length !== 33) throw malformed('signer key must hold a type byte and a 32-byte seed');
  return { name, keyId: parseInt(id!, 16), type: material[0]!, key: material.subarray(1) };
}

export function formatVkey(name: string, type: number, publicKey: Uint8Array): string {
  return `${name}+${hex8(keyId(name, type, publicKey))}+${Buffer.concat([Buffer.from([type]), publicKey]).toString('base64')}`;
}

/** A fresh Ed25519 key as an skey/vkey pair; `type` 0x01 signs notes, 0x04 cosigns checkpoints. */
export function generateNoteKey(name: string, type = SIG_TYPE_ED25519): { skey: string; vkey: string } {
  if (!isValidKeyName(name)) throw malformed(`invalid key name ${JSON.stringify(name)}`);
  const { privateKey } = generateKeyPairSync('ed25519');
  const seed = privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(PKCS8_ED25519.length);
  const publicKey = rawPublicKey(privateKey);
  const id = hex8(keyId(name, type, publicKey));
  return {
    skey: `PRIVATE+KEY+${name}+${id}+${Buffer.concat([Buffer.from([type]), seed]).toString('base64')}`,
    vkey: formatVkey(name, type, publicKey),
  };
}

/** Loads an skey of type 0x01; refuses one whose key ID does not match its key. */
export function noteSigner(skey: string): NoteSigner {
  const { name, keyId: id, type, key: seed } = parseSkey(skey);
  if (type !== SIG_TYPE_ED25519) throw malformed(`signer key ${name} is not an Ed25519 note key`);
  const privateKey = ed25519PrivateKey(seed);
  if (keyId(name, type, rawPublicKey(privateKey)) !== id) throw malformed(`signer key ${name} has a key ID that does not match its key`);
  return { name, keyId: id, sign: (text) => ed25519Sign(privateKey, text) };
}

export function noteVerifier(vkey: string): NoteVerifier {
  const { name, keyId: id, type, key } = parseVkey(vkey);
  if (type !== SIG_TYPE_ED25519 || key.length !== 32) throw malformed(`verifier key ${name} is not an Ed25519 note key`);
  const publicKey = ed25519PublicKey(key);
  return { name, keyId: id, verify: (text, signature) => ed25519Verify(publicKey, text, signature) };
}

// ignoreBOM keeps a leading U+FEFF in the text, so the signed bytes are exactly the bytes received.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function decodeNote(note: string | Uint8Array): string {
  let text: string;
  if (typeof note === 'string') {
    if (/\p{Surrogate}/u.test(note)) throw malformed('note is not valid UTF-8');
    text = note;
  } else {
    try {
      text = utf8.decode(note);
    } catch {
      throw malformed('note is not valid UTF-8');
    }
  }
  if (/[\u0000-\u0009\u000b-\u001f]/.test(text)) throw malformed('note holds a control character other than newline');
  return text;
}

function signatureLine(name: string, id: number, signature: Buffer): string {
  const head = Buffer.alloc(4);
  head.writeUInt32BE(id);
  return `${SIGNATURE_PREFIX}${name} ${Buffer.concat([head, signature]).toString('base64')}\n`;
}

/** Signs a text (which must end in a newline) with every signer, in order. */
export function signNote(text: string, signers: readonly NoteSigner[]): string {
  decodeNote(text);
  if (!text.endsWith('\n')) throw malformed('note text must end with a newline');
  if (signers.length === 0) throw malformed('a note needs at least one signature');
  const bytes = Buffer.from(text);
  const lines = signers.map((s) => {
    if (!isValidKeyName(s.name)) throw malformed(`invalid key name ${JSON.stringify(s.name)}`);
    return signatureLine(s.name, s.keyId, s.sign(bytes));
  });
  return `${text}\n${lines.join('')}`;
}

/** Adds signatures to a signed note (e.g. a witness cosignature), replacing earlier ones by the same keys. */
export function addSignatures(note: string, signers: readonly NoteSigner[]): string {
  const { text, lines } = splitNote(decodeNote(note));
  const bytes = Buffer.from(text);
  const kept = lines.filter((l) => !signers.some((s) => s.name === l.name && s.keyId === l.keyId)).map((l) => l.line);
  return `${text}\n${[...kept, ...signers.map((s) => signatureLine(s.name, s.keyId, s.sign(bytes)))].join('')}`;
}

interface SignatureLine extends NoteSignature {
  line: string;
  signature: Buffer;
}

function splitNote(note: string): { text: string; lines: SignatureLine[] } {
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw malformed('note has no signature block');
  const text = note.slice(0, split + 1);
  const block = note.slice(split + 2);
  if (block.length === 0 || !block.endsWith('\n')) throw malformed('note signature block is empty or unterminated');
  const raw = block.slice(0, -1).split('\n');
  if (raw.length > MAX_SIGNATURES) throw malformed(`note carries more than ${MAX_SIGNATURES} signatures`);
  const lines = raw.map((line): SignatureLine => {
    if (!line.startsWith(SIGNATURE_PREFIX)) throw malformed('note signature line does not start with an em dash and a space');
    const rest = line.slice(SIGNATURE_PREFIX.length);
    const space = rest.indexOf(' ');
    const name = space < 0 ? rest : rest.slice(0, space);
    const base64 = space < 0 ? '' : rest.slice(space + 1);
    const bytes = decodeBase64Strict(base64);
    if (!isValidKeyName(name) || !bytes || bytes.length < 5) throw malformed('malformed note signature line');
    return { name, keyId: bytes.readUInt32BE(0), base64, line: `${line}\n`, signature: bytes.subarray(4) };
  });
  return { text, lines };
}

/**
 * Opens a signed note: every signature by a known key (same name and key ID)
 * must verify, others are set aside, and at least one known key must have signed.
 */
export function openNote(note: string | Uint8Array, verifiers: readonly NoteVerifier[]): OpenedNote {
  const { text, lines } = splitNote(decodeNote(note));
  const bytes = Buffer.from(text);
  const verified: NoteSignature[] = [];
  const unverified: NoteSignature[] = [];
  const seen = new Set<string>();
  for (const { name, keyId: id, base64, line, signature } of lines) {
    const key = `${name}+${id}`;
    const verifier = verifiers.find((v) => v.name === name && v.keyId === id);
    if (!verifier) {
      if (!seen.has(line)) unverified.push({ name, keyId: id, base64 });
      seen.add(line);
      continue;
    }
    if (seen.has(key)) continue;
    seen.add(key);
    if (!verifier.verify(bytes, signature)) throw new TlogError('BAD_SIGNATURE', `signature by ${name} (${hex8(id)}) does not verify`);
    verified.push({ name, keyId: id, base64 });
  }
  if (verified.length === 0) throw new TlogError('UNVERIFIED', 'note is not signed by any known key');
  return { text, verified, unverified };
}
