import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  EMPTY_ROOT,
  MemoryTree,
  consistencyProof,
  inclusionProof,
  leafHash,
  nodeHash,
  nodesRead,
  rootFromInclusionProof,
  treeRoot,
  verifyConsistency,
  verifyInclusion,
} from '../../src/tlog/hashing.js';
import { TlogError } from '../../src/tlog/errors.js';

const hex = (s: string): Buffer => Buffer.from(s, 'hex');

// The RFC 6962 reference vectors of the original C++ Certificate Transparency implementation.
const referenceLeaves = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(hex);
const referenceRoots = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

function treeOf(n: number): MemoryTree {
  const tree = new MemoryTree();
  tree.append(Array.from({ length: n }, (_, i) => Buffer.from(`leaf ${i}`)));
  return tree;
}

function flipBit(hash: Buffer, bit: number): Buffer {
  const copy = Buffer.from(hash);
  copy.writeUInt8(copy.readUInt8(bit >> 3) ^ (1 << (bit & 7)), bit >> 3);
  return copy;
}

/** Every proof with one bit flipped, one hash dropped, one added, or two swapped. */
function mutations(proof: Buffer[]): Buffer[][] {
  const out: Buffer[][] = [];
  proof.forEach((_, i) => {
    const flipped = proof.map((h, j) => (j === i ? flipBit(h, i % 256) : h));
    out.push(
      flipped,
      proof.filter((__, j) => j !== i),
    );
    if (i + 1 < proof.length && !proof[i]!.equals(proof[i + 1]!))
      out.push(proof.map((h, j) => (j === i ? proof[i + 1]! : j === i + 1 ? proof[i]! : h)));
  });
  out.push([...proof, Buffer.alloc(32)]);
  return out;
}

describe('RFC 6962 hashing', () => {
  it('hashes the empty tree to SHA-256 of nothing, leaves with 0x00 and nodes with 0x01', () => {
    expect(EMPTY_ROOT.toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(treeRoot(new MemoryTree(), 0)).toEqual(EMPTY_ROOT);
    expect(leafHash(Buffer.from('a'))).toEqual(
      createHash('sha256')
        .update(Buffer.from([0, 0x61]))
        .digest(),
    );
    const l = Buffer.alloc(32, 1);
    const r = Buffer.alloc(32, 2);
    expect(nodeHash(l, r)).toEqual(
      createHash('sha256')
        .update(Buffer.concat([Buffer.from([1]), l, r]))
        .digest(),
    );
  });

  it('matches the reference roots for the first 8 tree sizes', () => {
    const tree = new MemoryTree();
    tree.append(referenceLeaves);
    expect(referenceRoots.map((_, n) => tree.root(n).toString('hex'))).toEqual(referenceRoots);
  });

  it('proves every leaf of every tree up to 48 leaves, and refuses every altered proof', () => {
    const tree = treeOf(49);
    const roots = Array.from({ length: 50 }, (_, n) => tree.root(n));
    for (let size = 1; size <= 48; size++) {
      const root = roots[size]!;
      for (let index = 0; index < size; index++) {
        const leaf = leafHash(Buffer.from(`leaf ${index}`));
        const proof = inclusionProof(tree, index, size);
        expect(proof.length).toBeLessThanOrEqual(Math.ceil(Math.log2(size)));
        verifyInclusion(leaf, index, size, proof, root);
        expect(() => verifyInclusion(leafHash(Buffer.from('forged')), index, size, proof, root)).toThrow(TlogError);
        if (size > 1) expect(() => verifyInclusion(leaf, (index + 1) % size, size, proof, root)).toThrow(TlogError);
        expect(() => verifyInclusion(leaf, index, size + 1, proof, roots[size + 1]!)).toThrow(TlogError);
        for (const bad of mutations(proof)) expect(() => verifyInclusion(leaf, index, size, bad, root)).toThrow(TlogError);
      }
    }
  });

  it('proves consistency between every pair of sizes up to 48, and refuses every altered proof', () => {
    const tree = treeOf(48);
    const other = new MemoryTree();
    other.append(Array.from({ length: 48 }, (_, i) => Buffer.from(i === 3 ? 'rewritten' : `leaf ${i}`)));
    const roots = Array.from({ length: 49 }, (_, n) => tree.root(n));
    const otherRoots = Array.from({ length: 49 }, (_, n) => other.root(n));
    for (let m = 1; m <= 48; m++) {
      for (let n = m; n <= 48; n++) {
        const proof = consistencyProof(tree, m, n);
        verifyConsistency(m, n, proof, roots[m]!, roots[n]!);
        if (m > 3) expect(() => verifyConsistency(m, n, proof, otherRoots[m]!, roots[n]!)).toThrow(TlogError);
        if (n > 3) expect(() => verifyConsistency(m, n, proof, roots[m]!, otherRoots[n]!)).toThrow(TlogError);
        for (const bad of mutations(proof)) expect(() => verifyConsistency(m, n, bad, roots[m]!, roots[n]!)).toThrow(TlogError);
      }
    }
  });

  it('refuses proofs outside the tree, from the empty tree, and of a shrinking tree', () => {
    const tree = treeOf(10);
    expect(() => inclusionProof(tree, 10, 10)).toThrow(/not below/);
    expect(() => inclusionProof(tree, -1, 10)).toThrow(TlogError);
    expect(() => rootFromInclusionProof(leafHash(Buffer.from('leaf 0')), 0, 0, [])).toThrow(TlogError);
    expect(() => consistencyProof(tree, 0, 10)).toThrow(TlogError);
    expect(() => consistencyProof(tree, 6, 5)).toThrow(TlogError);
    expect(() => verifyConsistency(0, 10, [], EMPTY_ROOT, tree.root(10))).toThrow(/empty tree/);
    expect(() => verifyConsistency(0, 0, [], EMPTY_ROOT, EMPTY_ROOT)).toThrow(/empty tree/);
    expect(() => verifyConsistency(6, 5, [], tree.root(6), tree.root(5))).toThrow(/shrank/);
    expect(() => verifyConsistency(5, 5, [], tree.root(5), tree.root(6))).toThrow(/two different roots/);
    expect(() => verifyConsistency(5, 5, [tree.root(5)], tree.root(5), tree.root(5))).toThrow(/must be empty/);
    expect(() => verifyConsistency(4, 8, [], tree.root(4), tree.root(8))).toThrow(/empty/);
    expect(() => verifyInclusion(Buffer.alloc(32), 0, 2, [Buffer.alloc(31)], tree.root(2))).toThrow(/32 bytes/);
  });

  it('handles indexes and sizes beyond 32 bits, reading O(log size) nodes', () => {
    const size = 2 ** 40 + 12345;
    const index = 2 ** 35 + 7;
    const read = nodesRead((r) => inclusionProof(r, index, size));
    expect(read.length).toBeLessThanOrEqual(2 * 41);
    expect(read.every((n) => Number.isSafeInteger(n.index) && n.index * 2 ** n.level < size)).toBe(true);
    const consistencyRead = nodesRead((r) => consistencyProof(r, 2 ** 33 + 1, size));
    expect(consistencyRead.length).toBeLessThanOrEqual(2 * 41);
  });
});
