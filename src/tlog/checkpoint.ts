import { EMPTY_ROOT, HASH_SIZE, type Hash } from './hashing.js';
import { TlogError, malformed } from './errors.js';
import { cosignatureTimestamp } from './cosignature.js';
import { decodeBase64Strict, openNote, signNote, type NoteSigner, type NoteVerifier, type OpenedNote } from './note.js';

/**
 * C2SP tlog-checkpoint: the note text `<origin>\n<size>\n<base64 root>\n`
 * followed by optional non-empty extension lines.
 */
export interface Checkpoint {
  origin: string;
  size: number;
  root: Hash;
  extensions: string[];
}

export function formatCheckpoint(checkpoint: Checkpoint): string {
  const { origin, size, root, extensions } = checkpoint;
  if (origin.length === 0 || origin.includes('\n')) throw malformed('checkpoint origin must be one non-empty line');
  if (!Number.isSafeInteger(size) || size < 0) throw malformed(`checkpoint size ${size} is out of range`);
  if (root.length !== HASH_SIZE) throw malformed('checkpoint root must be 32 bytes');
  for (const line of extensions)
    if (line.length === 0 || line.includes('\n')) throw malformed('checkpoint extension lines must be non-empty lines');
  return [origin, String(size), root.toString('base64'), ...extensions].map((line) => `${line}\n`).join('');
}

/**
 * Parses checkpoint text strictly: three or more newline-terminated non-empty
 * lines, a decimal size without leading zeroes, a canonical base64 32-byte root.
 * A size-0 checkpoint must carry the empty tree's root: any other is a false claim.
 */
export function parseCheckpoint(text: string): Checkpoint {
  if (!text.endsWith('\n')) throw malformed('checkpoint text must end with a newline');
  const lines = text.slice(0, -1).split('\n');
  const [origin, sizeText, rootText, ...extensions] = lines;
  if (lines.length < 3 || lines.some((l) => l.length === 0)) throw malformed('checkpoint needs origin, size and root on non-empty lines');
  if (!/^(?:0|[1-9][0-9]*)$/.test(sizeText!) || !Number.isSafeInteger(Number(sizeText)))
    throw malformed('checkpoint size is not a canonical decimal');
  const root = decodeBase64Strict(rootText!);
  if (!root || root.length !== HASH_SIZE) throw malformed('checkpoint root is not a base64 SHA-256 hash');
  const size = Number(sizeText);
  if (size === 0 && !root.equals(EMPTY_ROOT)) throw malformed('a checkpoint of size 0 must carry the empty tree root');
  return { origin: origin!, size, root, extensions };
}

export function signCheckpoint(checkpoint: Checkpoint, signers: readonly NoteSigner[]): string {
  return signNote(formatCheckpoint(checkpoint), signers);
}

/** Whom a verifier trusts for one log: its origin and key, and which witnesses, how many of them required. */
export interface LogPolicy {
  origin: string;
  log: NoteVerifier;
  witnesses?: readonly NoteVerifier[];
  /** Cosignatures required from distinct `witnesses` (default 0). */
  quorum?: number;
}

export interface VerifiedCheckpoint {
  checkpoint: Checkpoint;
  note: OpenedNote;
  /** Witnesses whose cosignatures verified, with the time each claims. */
  cosignatures: Array<{ name: string; keyId: number; timestamp: number }>;
}

/**
 * Opens a signed checkpoint under a policy: the log's own signature must be
 * present and valid (a witness's alone is not enough), the origin must match,
 * every known signature must verify, and the witness quorum must be met.
 */
export function openCheckpoint(note: string | Uint8Array, policy: LogPolicy): VerifiedCheckpoint {
  const witnesses = policy.witnesses ?? [];
  const opened = openNote(note, [policy.log, ...witnesses]);
  if (!opened.verified.some((s) => s.name === policy.log.name && s.keyId === policy.log.keyId)) {
    throw new TlogError('UNVERIFIED', `checkpoint is not signed by the log key ${policy.log.name}`);
  }
  const checkpoint = parseCheckpoint(opened.text);
  if (checkpoint.origin !== policy.origin)
    throw new TlogError('UNVERIFIED', `checkpoint origin ${checkpoint.origin} is not ${policy.origin}`);
  const cosignatures = opened.verified
    .filter((s) => witnesses.some((w) => w.name === s.name && w.keyId === s.keyId))
    .map((s) => ({ name: s.name, keyId: s.keyId, timestamp: cosignatureTimestamp(s) }));
  const quorum = policy.quorum ?? 0;
  if (cosignatures.length < quorum)
    throw new TlogError('UNVERIFIED', `checkpoint has ${cosignatures.length} witness cosignatures, ${quorum} required`);
  return { checkpoint, note: opened, cosignatures };
}
