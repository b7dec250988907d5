import { malformed } from './errors.js';
import {
  decodeBase64Strict,
  ed25519PrivateKey,
  ed25519PublicKey,
  ed25519Sign,
  ed25519Verify,
  keyId,
  parseSkey,
  parseVkey,
  rawPublicKey,
  type NoteSignature,
  type NoteSigner,
  type NoteVerifier,
} from './note.js';

/**
 * C2SP tlog-cosignature, Ed25519 `cosignature/v1`: a witness signs
 * "cosignature/v1\ntime <t>\n" + checkpoint text, and its note signature is
 * timestamp (u64 big-endian, POSIX seconds) ‖ Ed25519 signature.
 * Key IDs use signature type 0x04.
 */
export const SIG_TYPE_COSIGNATURE_V1 = 0x04;

export function cosignedMessage(timestamp: number, checkpointText: string | Buffer): Buffer {
  return Buffer.concat([Buffer.from(`cosignature/v1\ntime ${timestamp}\n`), Buffer.from(checkpointText)]);
}

function checkTimestamp(timestamp: number): void {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) throw malformed(`cosignature timestamp ${timestamp} is out of range`);
}

/**
 * A cosigner from an skey whose type byte is 0x04 (or 0x01: the same Ed25519
 * seed, as Go's formats package allows); `now` gives POSIX seconds.
 */
export function cosigner(skey: string, now: () => number = () => Math.floor(Date.now() / 1000)): NoteSigner {
  const { name, type, key: seed } = parseSkey(skey);
  if (type !== SIG_TYPE_COSIGNATURE_V1 && type !== 0x01) throw malformed(`signer key ${name} is not an Ed25519 key`);
  const privateKey = ed25519PrivateKey(seed);
  return {
    name,
    keyId: keyId(name, SIG_TYPE_COSIGNATURE_V1, rawPublicKey(privateKey)),
    sign(text) {
      const timestamp = now();
      checkTimestamp(timestamp);
      const head = Buffer.alloc(8);
      head.writeBigUInt64BE(BigInt(timestamp));
      return Buffer.concat([head, ed25519Sign(privateKey, cosignedMessage(timestamp, text))]);
    },
  };
}

/** Verifies cosignature/v1 signatures of a witness given by its type-0x04 vkey. */
export function cosignatureVerifier(vkey: string): NoteVerifier {
  const { name, keyId: id, type, key } = parseVkey(vkey);
  if (type !== SIG_TYPE_COSIGNATURE_V1 || key.length !== 32) throw malformed(`verifier key ${name} is not an Ed25519 cosignature/v1 key`);
  const publicKey = ed25519PublicKey(key);
  return {
    name,
    keyId: id,
    verify(text, signature) {
      if (signature.length !== 8 + 64) return false;
      const timestamp = signature.readBigUInt64BE(0);
      if (timestamp > BigInt(Number.MAX_SAFE_INTEGER)) return false;
      return ed25519Verify(publicKey, cosignedMessage(Number(timestamp), text), signature.subarray(8));
    },
  };
}

/** The time a (verified) cosignature claims, in POSIX seconds. */
export function cosignatureTimestamp(signature: NoteSignature): number {
  const bytes = decodeBase64Strict(signature.base64);
  if (!bytes || bytes.length !== 4 + 8 + 64) throw malformed(`signature by ${signature.name} is not a cosignature/v1`);
  return Number(bytes.readBigUInt64BE(4));
}
