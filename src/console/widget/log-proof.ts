/**
 * The badge's grant in the service's transparency log, checked in the browser
 * with WebCrypto alone: a C2SP tlog-proof whose checkpoint the log's Ed25519
 * key signed (signed-note), whose RFC 6962 inclusion proof leads from the
 * logged entry to the checkpoint's root, and whose entry (the `extra` line)
 * is the grant of exactly this credential and badge.
 */

/** The log's verifier key (`<name>+<hex key ID>+base64(0x01 ‖ public key)`), ready to verify. */
export interface LogKey {
  name: string;
  keyId: number;
  key: CryptoKey;
}

export type LogCheck = { valid: true; index: number; size: number } | { valid: false; reason: string };

const PROOF_HEADER = 'c2sp.org/tlog-proof@v1';
const SIGNATURE_PREFIX = '\u2014 ';
const ED25519_NOTE_KEY = 0x01;
const encoder = new TextEncoder();

const invalid = (reason: string): LogCheck => ({ valid: false, reason });

class ProofError extends Error {}
const fail = (reason: string): never => {
  throw new ProofError(reason);
};

/** Standard base64 in its one canonical spelling; anything else is refused, so no two texts carry one value. */
function base64Bytes(text: string, what: string): Uint8Array<ArrayBuffer> {
  const binary = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text) ? atob(text) : '';
  if (btoa(binary) !== text) fail(`${what} is not canonical base64.`);
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

async function sha256(...parts: Array<Uint8Array | number[]>): Promise<Uint8Array> {
  const joined = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    joined.set(part, at);
    at += part.length;
  }
  return new Uint8Array(await crypto.subtle.digest('SHA-256', joined));
}

const equalBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((byte, i) => byte === b[i]);
const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const keyIdOf = async (name: string, type: number, key: Uint8Array) =>
  new DataView((await sha256(encoder.encode(name), [0x0a, type], key)).buffer).getUint32(0);

/** Reads a verifier key; its key ID must be the one its name and key give. */
export async function importLogKey(vkey: string): Promise<LogKey> {
  const [name = '', id = '', ...rest] = vkey.trim().split('+');
  const material = base64Bytes(rest.join('+'), 'The log key');
  if (!name || !/^[0-9a-f]{8}$/.test(id) || material.length !== 33 || material[0] !== ED25519_NOTE_KEY) {
    throw new Error('The log key is not an Ed25519 note verifier key.');
  }
  const raw = material.subarray(1);
  const keyId = parseInt(id, 16);
  if ((await keyIdOf(name, ED25519_NOTE_KEY, raw)) !== keyId) throw new Error('The log key’s ID does not match its key.');
  return { name, keyId, key: await crypto.subtle.importKey('raw', raw, { name: 'Ed25519' }, false, ['verify']) };
}

/**
 * The checkpoint text if the log's key signed it: every signature line by that
 * key (name and key ID) must verify and there must be one; others (witnesses) are ignored.
 */
async function openCheckpoint(note: string, log: LogKey): Promise<{ size: number; root: Uint8Array }> {
  const split = note.lastIndexOf('\n\n');
  if (split < 0 || !note.endsWith('\n')) fail('The checkpoint is not a signed note.');
  const text = note.slice(0, split + 1);
  let signed = false;
  for (const line of note.slice(split + 2, -1).split('\n')) {
    if (!line.startsWith(SIGNATURE_PREFIX)) fail('The checkpoint has a malformed signature line.');
    const [name, b64 = '', extra] = line.slice(SIGNATURE_PREFIX.length).split(' ');
    if (name !== log.name || extra !== undefined) continue;
    const bytes = base64Bytes(b64, 'A checkpoint signature');
    if (bytes.length !== 68 || new DataView(bytes.buffer).getUint32(0) !== log.keyId) continue;
    if (!(await crypto.subtle.verify({ name: 'Ed25519' }, log.key, bytes.subarray(4), encoder.encode(text)))) {
      fail('The checkpoint’s signature by the log’s key does not verify.');
    }
    signed = true;
  }
  if (!signed) fail('The checkpoint is not signed by the log’s key.');
  const [origin, sizeText = '', rootText = ''] = text.slice(0, -1).split('\n');
  if (origin !== log.name) fail('The checkpoint is of another log.');
  if (!/^(?:0|[1-9][0-9]*)$/.test(sizeText) || !Number.isSafeInteger(Number(sizeText))) fail('The checkpoint size is malformed.');
  const root = base64Bytes(rootText, 'The checkpoint root');
  if (root.length !== 32) fail('The checkpoint root is not a SHA-256 hash.');
  return { size: Number(sizeText), root };
}

/** RFC 9162 §2.1.3.2: the root an inclusion proof leads to from leaf `index` of a tree of `size`. */
async function rootFromInclusion(leaf: Uint8Array, index: number, size: number, proof: Uint8Array[]): Promise<Uint8Array> {
  if (index >= size) fail(`Entry ${index} is not below the checkpoint size ${size}.`);
  let [fn, sn, r] = [index, size - 1, leaf];
  for (const p of proof) {
    if (sn === 0) fail('The inclusion proof is too long.');
    if (fn % 2 === 1 || fn === sn) {
      r = await sha256([0x01], p, r);
      while (fn % 2 === 0 && fn !== 0) [fn, sn] = [fn / 2, Math.floor(sn / 2)];
    } else {
      r = await sha256([0x01], r, p);
    }
    [fn, sn] = [Math.floor(fn / 2), Math.floor(sn / 2)];
  }
  if (sn !== 0) fail('The inclusion proof is too short.');
  return r;
}

interface GrantEntry {
  type?: unknown;
  credentialSha256?: unknown;
  ids?: { badge?: unknown };
}

/** Where the log check gets the log's key and a badge's proof. */
export interface LogSources {
  /** The key pinned by the storefront, else the one the service publishes. */
  logKey(): Promise<LogKey>;
  /**
   * The tlog-proof of the badge's grant (by the badge's global ID); fails while
   * no checkpoint covers it. With `reload`, from the service even if a copy is
   * kept: the badge may have been signed a new credential since.
   */
  grantProof(badgeId: string, reload?: boolean): Promise<string>;
}

/** The row id in a badge's global ID (base64 of `Badge:<id>`), as log entries name badges; null for anything else. */
export function badgeRowId(globalId: string): string | null {
  try {
    return /^Badge:([^:]+)$/.exec(atob(globalId))?.[1] ?? null;
  } catch {
    return null;
  }
}

/** Checks that the credential's grant is in the log, from the badge's proof and the log's key. */
export async function checkBadgeLogged(credential: string, badgeId: string, sources: LogSources): Promise<LogCheck> {
  const rowId = badgeRowId(badgeId);
  if (!rowId) return invalid('The credential names no badge.');
  try {
    const key = await sources.logKey();
    const result = await checkGrantProof(await sources.grantProof(badgeId), credential, rowId, key);
    return result.valid ? result : await checkGrantProof(await sources.grantProof(badgeId, true), credential, rowId, key);
  } catch (error) {
    return invalid(`log proof: ${(error as Error).message}`);
  }
}

/**
 * Checks a tlog-proof of the grant of `credential` (the compact JWS on show)
 * for badge `badgeId` (the id the log names, the credential's row id).
 */
export async function checkGrantProof(proof: string, credential: string, badgeId: string, log: LogKey): Promise<LogCheck> {
  try {
    const lines = proof.split('\n');
    if (lines[0] !== PROOF_HEADER) fail('This is not a tlog-proof.');
    const extra = /^extra (.*)$/.exec(lines[1] ?? '')?.[1];
    if (extra === undefined) fail('The proof carries no log entry.');
    const index = /^index (0|[1-9][0-9]*)$/.exec(lines[2] ?? '')?.[1];
    if (index === undefined || !Number.isSafeInteger(Number(index))) fail('The proof has no entry index.');
    let at = 3;
    const hashes: Uint8Array[] = [];
    for (; at < lines.length && lines[at] !== ''; at++) {
      const hash = base64Bytes(lines[at]!, 'A proof hash');
      if (hash.length !== 32) fail('A proof hash is not a SHA-256 hash.');
      hashes.push(hash);
    }
    const checkpoint = await openCheckpoint(lines.slice(at + 1).join('\n'), log);
    const entryBytes = base64Bytes(extra!, 'The log entry');
    const root = await rootFromInclusion(await sha256([0x00], entryBytes), Number(index), checkpoint.size, hashes);
    if (!equalBytes(root, checkpoint.root)) fail('The entry is not in the log the checkpoint commits to.');
    const entry = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(entryBytes)) as GrantEntry;
    if (entry.type !== 'badge.granted') fail('The logged entry is not a badge grant.');
    if (entry.ids?.badge !== badgeId) fail('The logged grant is of another badge.');
    if (entry.credentialSha256 !== hex(await sha256(encoder.encode(credential)))) fail('The logged grant is of another credential.');
    return { valid: true, index: Number(index), size: checkpoint.size };
  } catch (error) {
    return invalid(error instanceof ProofError ? error.message : `log proof: ${(error as Error).message}`);
  }
}
