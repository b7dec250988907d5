/**
 * The badge's grant in the service's transparency log, checked in the browser
 * with WebCrypto alone: a C2SP tlog-proof whose checkpoint the log's Ed25519
 * key signed (signed-note), whose RFC 6962 inclusion proof leads from the
 * logged entry to the checkpoint's root, and whose entry (the `extra` line)
 * is the grant of exactly this credential and badge; and, when the storefront
 * names witnesses, whose checkpoint enough of them cosigned.
 */

import { ProofError, base64Bytes, encoder, fail, importNoteKey, sha256, signatureKeyId, splitNote, type NoteKey } from './note-keys.js';
import { NO_WITNESSES, checkCosignatures, type WitnessPolicy } from './witness-cosignatures.js';

/** The log's verifier key (`<name>+<hex key ID>+base64(0x01 ‖ public key)`), ready to verify. */
export type LogKey = NoteKey;

export type LogCheck = { valid: true; index: number; size: number } | { valid: false; reason: string };

const PROOF_HEADER = 'c2sp.org/tlog-proof@v1';
const ED25519_NOTE_KEY = 0x01;

const invalid = (reason: string): LogCheck => ({ valid: false, reason });

const equalBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((byte, i) => byte === b[i]);
const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

/** Reads the log's verifier key; its key ID must be the one its name and key give. */
export const importLogKey = (vkey: string): Promise<LogKey> => importNoteKey(vkey, ED25519_NOTE_KEY, 'The log key');

/**
 * The checkpoint text if the log's key signed it: every signature line by that
 * key (name and key ID) must verify and there must be one; and, when the
 * storefront names witnesses, enough of them cosigned it. Other lines are ignored.
 */
async function openCheckpoint(note: string, log: LogKey, witnesses: WitnessPolicy): Promise<{ size: number; root: Uint8Array }> {
  const { text, signatures } = splitNote(note);
  let signed = false;
  for (const { name, base64 } of signatures) {
    if (name !== log.name) continue;
    const bytes = base64Bytes(base64, 'A checkpoint signature');
    if (bytes.length !== 68 || signatureKeyId(bytes) !== log.keyId) continue;
    if (!(await crypto.subtle.verify({ name: 'Ed25519' }, log.key, bytes.subarray(4), encoder.encode(text)))) {
      fail('The checkpoint’s signature by the log’s key does not verify.');
    }
    signed = true;
  }
  if (!signed) fail('The checkpoint is not signed by the log’s key.');
  await checkCosignatures(text, signatures, witnesses);
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
  /** The witnesses the storefront requires cosignatures from; none when absent. */
  witnesses?(): Promise<WitnessPolicy>;
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
    const [key, witnesses] = await Promise.all([sources.logKey(), sources.witnesses?.() ?? NO_WITNESSES]);
    const result = await checkGrantProof(await sources.grantProof(badgeId), credential, rowId, key, witnesses);
    return result.valid ? result : await checkGrantProof(await sources.grantProof(badgeId, true), credential, rowId, key, witnesses);
  } catch (error) {
    return invalid(`log proof: ${(error as Error).message}`);
  }
}

/**
 * Checks a tlog-proof of the grant of `credential` (the compact JWS on show)
 * for badge `badgeId` (the id the log names, the credential's row id), under
 * the log's key and the witnesses the storefront requires.
 */
export async function checkGrantProof(
  proof: string,
  credential: string,
  badgeId: string,
  log: LogKey,
  witnesses: WitnessPolicy = NO_WITNESSES,
): Promise<LogCheck> {
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
    const checkpoint = await openCheckpoint(lines.slice(at + 1).join('\n'), log, witnesses);
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
