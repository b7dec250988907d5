// Measures the service's transparency log against the local PostgreSQL and
// MinIO of the test environment: entries written as the services write them
// (one transaction each, 8 at a time), integrated into tiles, checkpointed,
// and the size of a badge's tlog-proof. Run: `tsx test/tlog/measure-service.ts [entries]`.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createDb } from '../../src/db/client.js';
import { createLogger } from '../../src/logger.js';
import { createS3Storage } from '../../src/storage/object-storage.js';
import { computeFromTiles, formatTlogProof, inclusionProof } from '../../src/tlog/index.js';
import { publishCheckpointIfDue } from '../../src/transparency/checkpoints.js';
import { recordLogEvent } from '../../src/transparency/entries.js';
import { integratePending } from '../../src/transparency/integration.js';
import { CHECKPOINT_PATH, LOG_PREFIX, storageTileSource } from '../../src/transparency/log-storage.js';
import { testConfig } from '../support/test-env.js';

const N = Number(process.argv[2] ?? 5_000);
const config = testConfig({ TLOG_CHECKPOINT_INTERVAL_SECONDS: '1' });
const db = createDb({ databaseUrl: config.DATABASE_URL, maxConnections: 10 });
const storage = createS3Storage(config);

const start = performance.now();
let next = 0;
await Promise.all(
  Array.from({ length: 8 }, async () => {
    while (next < N) {
      next++;
      const badge = randomUUID();
      await db.$transaction((tx) =>
        recordLogEvent(tx, {
          type: 'badge.granted',
          at: new Date(),
          eventId: `measure:${badge}`,
          ids: { badge, store: randomUUID(), brand: randomUUID() },
          reason: 'ISSUED',
          credential: `eyJ${'x'.repeat(600)}`,
          status: { list: 0, index: next, revoked: 0, suspended: 0 },
        }),
      );
    }
  }),
);
const written = performance.now();
const size = await integratePending(db, storage, config.TLOG_BATCH_SIZE);
const integrated = performance.now();
let outcome = await publishCheckpointIfDue({ db, storage, config, logger: createLogger('silent'), clock: () => new Date() });
while (!outcome.published) {
  await new Promise((resolve) => setTimeout(resolve, 250));
  outcome = await publishCheckpointIfDue({ db, storage, config, logger: createLogger('silent'), clock: () => new Date() });
}
const signed = performance.now();
const s = (a: number, b: number) => (b - a) / 1000;
console.log(`${N} entries written (one transaction each, 8 concurrent): ${(N / s(start, written)).toFixed(0)} entries/s`);
console.log(`integrated to size ${size} in batches of ${config.TLOG_BATCH_SIZE}: ${(N / s(written, integrated)).toFixed(0)} entries/s`);
console.log(`checkpoint signed and published in ${(signed - integrated).toFixed(0)} ms`);
console.log(`whole path: ${(N / s(start, signed)).toFixed(0)} entries/s`);

const note = (await storage.get(LOG_PREFIX + CHECKPOINT_PATH))!.toString();
const logSize = Number(note.split('\n')[1]);
const hashes = await computeFromTiles(storageTileSource(storage), logSize, (r) => inclusionProof(r, 0, logSize));
const proof = formatTlogProof({ index: 0, hashes, checkpoint: note });
console.log(`tlog-proof at size ${logSize}: ${hashes.length} hashes, ${proof.length} bytes without the entry`);
storage.destroy();
await db.$disconnect();
