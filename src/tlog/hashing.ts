import { createHash } from 'node:crypto';
import { TlogError } from './errors.js';

/**
 * RFC 6962 / RFC 9162 Merkle tree hashing with SHA-256.
 *
 * Sizes and indexes are plain numbers (safe up to 2^53 leaves); arithmetic
 * avoids the 32-bit bitwise operators on purpose.
 */
export type Hash = Buffer;
export const HASH_SIZE = 32;

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

/** MTH({}) = SHA-256(""): the root of the empty tree. */
export const EMPTY_ROOT: Hash = createHash('sha256').digest();

export function leafHash(entry: Uint8Array): Hash {
  return createHash('sha256').update(LEAF_PREFIX).update(entry).digest();
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Hash {
  return createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();
}

/**
 * Hashes of complete subtrees: `node(level, index)` is MTH of the 2^level
 * leaves starting at index·2^level. Every root and proof below is computed from
 * these alone, so the same code runs on an in-memory tree, on tiles fetched from
 * storage, or on a recorder that only lists what would be read.
 */
export interface NodeReader {
  node(level: number, index: number): Hash;
}

export interface NodeId {
  level: number;
  index: number;
}

function checkCount(name: string, n: number): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new TlogError('OUT_OF_RANGE', `${name} must be a non-negative safe integer, got ${n}`);
}

/** The largest power of two strictly below n (n > 1): the RFC 6962 split point. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function exactLog2(n: number): number | null {
  let level = 0;
  let p = 1;
  while (p < n) {
    p *= 2;
    level++;
  }
  return p === n ? level : null;
}

/** Root of a perfect subtree given its bottom row (a power-of-two count of hashes). */
export function perfectRoot(row: readonly Hash[]): Hash {
  let level = row;
  while (level.length > 1) level = Array.from({ length: level.length / 2 }, (_, i) => nodeHash(level[2 * i]!, level[2 * i + 1]!));
  if (level.length !== 1) throw new TlogError('OUT_OF_RANGE', 'perfect subtree needs a power-of-two count of hashes');
  return level[0]!;
}

/** MTH(D[begin:end]) for a range the RFC recursion produces (begin aligned to the subtree it starts). */
export function subtreeRoot(reader: NodeReader, begin: number, end: number): Hash {
  const n = end - begin;
  if (n <= 0) throw new TlogError('OUT_OF_RANGE', `empty range [${begin}, ${end})`);
  const level = exactLog2(n);
  if (level !== null && begin % n === 0) return reader.node(level, begin / n);
  const k = splitPoint(n);
  return nodeHash(subtreeRoot(reader, begin, begin + k), subtreeRoot(reader, begin + k, end));
}

export function treeRoot(reader: NodeReader, size: number): Hash {
  checkCount('size', size);
  return size === 0 ? EMPTY_ROOT : subtreeRoot(reader, 0, size);
}

/** RFC 9162 §2.1.3.1 PATH(index, D[0:size]): sibling hashes from the leaf up. */
export function inclusionProof(reader: NodeReader, index: number, size: number): Hash[] {
  checkCount('size', size);
  checkCount('index', index);
  if (index >= size) throw new TlogError('OUT_OF_RANGE', `index ${index} is not below tree size ${size}`);
  const proof: Hash[] = [];
  const walk = (begin: number, end: number): void => {
    if (end - begin === 1) return;
    const mid = begin + splitPoint(end - begin);
    if (index < mid) {
      walk(begin, mid);
      proof.push(subtreeRoot(reader, mid, end));
    } else {
      walk(mid, end);
      proof.push(subtreeRoot(reader, begin, mid));
    }
  };
  walk(0, size);
  return proof;
}

/**
 * RFC 9162 §2.1.4.1 PROOF(oldSize, D[0:newSize]). The RFC defines it for
 * 0 < oldSize <= newSize only; a proof "from the empty tree" proves nothing and is refused.
 */
export function consistencyProof(reader: NodeReader, oldSize: number, newSize: number): Hash[] {
  checkCount('oldSize', oldSize);
  checkCount('newSize', newSize);
  if (oldSize === 0 || oldSize > newSize) throw new TlogError('OUT_OF_RANGE', `no consistency proof from ${oldSize} to ${newSize}`);
  const proof: Hash[] = [];
  // SUBPROOF(m, D[begin:end], whole): m counts leaves from begin; `whole` is true while D[begin:begin+m] is the old tree itself.
  const sub = (m: number, begin: number, end: number, whole: boolean): void => {
    if (begin + m === end) {
      if (!whole) proof.push(subtreeRoot(reader, begin, end));
      return;
    }
    const k = splitPoint(end - begin);
    if (m <= k) {
      sub(m, begin, begin + k, whole);
      proof.push(subtreeRoot(reader, begin + k, end));
    } else {
      sub(m - k, begin + k, end, false);
      proof.push(subtreeRoot(reader, begin, begin + k));
    }
  };
  sub(oldSize, 0, newSize, true);
  return proof;
}

function checkProofHashes(proof: readonly Uint8Array[]): void {
  for (const h of proof) if (h.length !== HASH_SIZE) throw new TlogError('BAD_PROOF', 'proof hash is not 32 bytes');
}

const isOdd = (n: number): boolean => n % 2 === 1;
const half = (n: number): number => Math.floor(n / 2);

/**
 * The walk both RFC 9162 verifications share: fn is the position of the node
 * being rebuilt and sn the last position at its level. Each proof hash is its
 * left sibling (isLeft) or its right one; the proof must end exactly at the root.
 */
function walkProof(
  kind: string,
  fn: number,
  sn: number,
  proof: readonly Uint8Array[],
  combine: (p: Uint8Array, isLeft: boolean) => void,
): void {
  for (const p of proof) {
    if (sn === 0) throw new TlogError('BAD_PROOF', `${kind} proof is too long`);
    if (isOdd(fn) || fn === sn) {
      combine(p, true);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      combine(p, false);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) throw new TlogError('BAD_PROOF', `${kind} proof is too short`);
}

/** The root an inclusion proof leads to (RFC 9162 §2.1.3.2), or an error if the proof has the wrong shape. */
export function rootFromInclusionProof(leaf: Uint8Array, index: number, size: number, proof: readonly Uint8Array[]): Hash {
  checkCount('size', size);
  checkCount('index', index);
  if (index >= size) throw new TlogError('OUT_OF_RANGE', `index ${index} is not below tree size ${size}`);
  checkProofHashes(proof);
  let r: Hash = Buffer.from(leaf);
  walkProof('inclusion', index, size - 1, proof, (p, isLeft) => {
    r = isLeft ? nodeHash(p, r) : nodeHash(r, p);
  });
  return r;
}

export function verifyInclusion(leaf: Uint8Array, index: number, size: number, proof: readonly Uint8Array[], root: Uint8Array): void {
  if (!rootFromInclusionProof(leaf, index, size, proof).equals(root)) {
    throw new TlogError('BAD_PROOF', `leaf ${index} is not in the tree of size ${size} with this root`);
  }
}

/**
 * RFC 9162 §2.1.4.2. Equal sizes need an empty proof and equal roots. A proof
 * from size 0 is refused: the RFC only defines 0 < oldSize, and accepting one
 * would leave the old root unchecked.
 */
export function verifyConsistency(
  oldSize: number,
  newSize: number,
  proof: readonly Uint8Array[],
  oldRoot: Uint8Array,
  newRoot: Uint8Array,
): void {
  checkCount('oldSize', oldSize);
  checkCount('newSize', newSize);
  if (oldSize === 0) throw new TlogError('OUT_OF_RANGE', 'no consistency proof exists from the empty tree');
  if (oldSize > newSize) throw new TlogError('OUT_OF_RANGE', `tree shrank from ${oldSize} to ${newSize}`);
  checkProofHashes(proof);
  if (oldSize === newSize) {
    if (proof.length !== 0) throw new TlogError('BAD_PROOF', 'consistency proof between equal sizes must be empty');
    if (!Buffer.from(oldRoot).equals(newRoot)) throw new TlogError('BAD_PROOF', `two different roots for size ${oldSize}`);
    return;
  }
  if (proof.length === 0) throw new TlogError('BAD_PROOF', 'consistency proof is empty');
  const path = exactLog2(oldSize) !== null ? [oldRoot, ...proof] : [...proof];
  let fn = oldSize - 1;
  let sn = newSize - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr: Hash = Buffer.from(path[0]!);
  let sr = fr;
  walkProof('consistency', fn, sn, path.slice(1), (c, isLeft) => {
    if (isLeft) fr = nodeHash(c, fr);
    sr = isLeft ? nodeHash(c, sr) : nodeHash(sr, c);
  });
  if (!fr.equals(oldRoot)) throw new TlogError('BAD_PROOF', 'consistency proof does not lead to the old root');
  if (!sr.equals(newRoot)) throw new TlogError('BAD_PROOF', 'consistency proof does not lead to the new root');
}

/**
 * Which complete-subtree hashes `compute` reads, without reading any: runs it
 * on a reader that records requests and answers with placeholders. Used to
 * fetch exactly the tiles a root or proof needs before computing it.
 */
export function nodesRead(compute: (reader: NodeReader) => unknown): NodeId[] {
  const seen = new Map<string, NodeId>();
  const placeholder = Buffer.alloc(HASH_SIZE);
  compute({
    node(level, index) {
      seen.set(`${level}/${index}`, { level, index });
      return placeholder;
    },
  });
  return [...seen.values()];
}

/** A whole tree in memory, every complete subtree hash kept: a reference for tests and small logs. */
export class MemoryTree implements NodeReader {
  private readonly levels: Hash[][] = [[]];

  get size(): number {
    return this.levels[0]!.length;
  }

  append(entries: Iterable<Uint8Array>): void {
    for (const entry of entries) this.appendLeafHash(leafHash(entry));
  }

  appendLeafHash(hash: Hash): void {
    let index = this.levels[0]!.length;
    this.levels[0]!.push(hash);
    for (let level = 0; isOdd(index); level++) {
      const row = this.levels[level]!;
      const parent = nodeHash(row[index - 1]!, row[index]!);
      (this.levels[level + 1] ??= []).push(parent);
      index = half(index);
    }
  }

  node(level: number, index: number): Hash {
    const hash = this.levels[level]?.[index];
    if (!hash) throw new TlogError('OUT_OF_RANGE', `no complete subtree at level ${level} index ${index}`);
    return hash;
  }

  root(size = this.size): Hash {
    return treeRoot(this, size);
  }
}
