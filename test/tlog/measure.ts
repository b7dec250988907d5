// Measures the transparency log core: append throughput in memory and the size
// of proofs at 1k, 100k and 1M entries. Run: `tsx test/tlog/measure.ts`.
import { performance } from 'node:perf_hooks';
import { TileAppender } from '../../src/tlog/appender.js';
import { consistencyProof, inclusionProof, nodesRead } from '../../src/tlog/hashing.js';
import { formatTlogProof } from '../../src/tlog/proof.js';
import { computeFromTiles, tileForNode, tilePath, type Tile } from '../../src/tlog/tiles.js';

const N = Number(process.argv[2] ?? 100_000);
const entries = Array.from({ length: N }, (_, i) => Buffer.from(JSON.stringify({ seq: i, kind: 'badge.granted', store: `store-${i}` })));

for (const batch of [1, 100, 1000, N]) {
  const appender = TileAppender.empty();
  const bucket = new Map<string, Buffer>();
  let writes = 0;
  let checkpoints = 0;
  const start = performance.now();
  for (let at = 0; at < N; at += batch) {
    const result = appender.append(entries.slice(at, at + batch));
    for (const w of result.writes) bucket.set(w.path, w.data);
    writes += result.writes.length;
    checkpoints++;
  }
  const seconds = (performance.now() - start) / 1000;
  // One leaf hash per entry and one node hash per completed pair: about 2 SHA-256 per entry, plus the root per checkpoint.
  console.log(
    `append ${N} in batches of ${batch}: ${(N / seconds).toFixed(0)} entries/s, ~${((2 * N) / seconds).toFixed(0)} hashes/s, ` +
      `${(writes / seconds).toFixed(0)} tile+bundle writes/s (${writes} writes, ${checkpoints} roots), ${seconds.toFixed(2)} s`,
  );
  if (batch === N) {
    const source = { readTile: (t: Tile) => Promise.resolve(bucket.get(tilePath(t))!) };
    const t0 = performance.now();
    const count = 2000;
    for (let i = 0; i < count; i++) await computeFromTiles(source, N, (r) => inclusionProof(r, (i * 7919) % N, N));
    console.log(`inclusion proofs from in-memory tiles at ${N}: ${(count / ((performance.now() - t0) / 1000)).toFixed(0)} proofs/s`);
  }
}

const checkpointBytes = 220; // origin, size, root, one log signature and one witness cosignature
for (const size of [1_000, 100_000, 1_000_000]) {
  let maxHashes = 0;
  let sumHashes = 0;
  let maxTiles = 0;
  const samples = 2000;
  for (let i = 0; i < samples; i++) {
    const index = Math.floor((i / samples) * size);
    let hashes = 0;
    const nodes = nodesRead((r) => (hashes = inclusionProof(r, index, size).length));
    maxHashes = Math.max(maxHashes, hashes);
    sumHashes += hashes;
    maxTiles = Math.max(maxTiles, new Set(nodes.map((n) => tilePath(tileForNode(n, size).tile))).size);
  }
  let consistencyHashes = 0;
  nodesRead((r) => (consistencyHashes = consistencyProof(r, Math.floor(size / 3), size).length));
  const proofText = formatTlogProof({
    index: size - 1,
    hashes: Array.from({ length: maxHashes }, () => Buffer.alloc(32)),
    checkpoint: 'x'.repeat(checkpointBytes),
  });
  console.log(
    `size ${size}: inclusion proof ${maxHashes} hashes max (${(sumHashes / samples).toFixed(1)} avg) = ${maxHashes * 32} bytes, ` +
      `tlog-proof ~${proofText.length} bytes; consistency ${Math.floor(size / 3)}→${size}: ${consistencyHashes} hashes; ` +
      `tiles read per inclusion proof: ${maxTiles} max`,
  );
}
