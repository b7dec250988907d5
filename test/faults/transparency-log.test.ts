import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Config } from '../../src/config.js';
import { createDb, type Db } from '../../src/db/client.js';
import { createLogger } from '../../src/logger.js';
import { createS3Storage, type ObjectStorage } from '../../src/storage/object-storage.js';
import { computeFromTiles, openCheckpoint, treeRoot } from '../../src/tlog/index.js';
import { publishCheckpointIfDue, type CheckpointOutcome } from '../../src/transparency/checkpoints.js';
import { commitment, decodeEntry, recordLogEvent, recordLogEvents, type LogEvent } from '../../src/transparency/entries.js';
import { holdsLog, integratePending } from '../../src/transparency/integration.js';
import { logIdentity, logPolicy } from '../../src/transparency/log-keys.js';
import { CHECKPOINT_PATH, LOG_PREFIX, storageTileSource } from '../../src/transparency/log-storage.js';
import { startFakeWitness, type FakeWitness } from '../support/fake-witness.js';
import { isolatedLogConfig } from '../support/isolated-log.js';
import { testConfig } from '../support/test-env.js';

let config: Config;
let db: Db;
let storage: ObjectStorage;
const logger = createLogger('silent');

beforeAll(async () => {
  // A log of this file's own: other files' workers take the shared log's pending entries in every second.
  config = testConfig({ ...(await isolatedLogConfig('tlog_faults')), TLOG_CHECKPOINT_INTERVAL_SECONDS: '1' });
  db = createDb({ databaseUrl: config.DATABASE_URL, maxConnections: 4 });
  storage = createS3Storage(config);
});

afterAll(async () => {
  storage?.destroy();
  await db?.$disconnect();
});

/** Writes `count` entries as the services do, each in its own transaction; returns their event ids. */
async function pendingEntries(count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, () => `test:${randomUUID()}`);
  for (const eventId of ids) {
    await db.$transaction((tx) =>
      recordLogEvent(tx, { type: 'badge.expired', at: new Date(), eventId, ids: { badge: randomUUID() }, reason: 'VALIDITY_ENDED' }),
    );
  }
  return ids;
}

const indexesOf = async (eventIds: string[]) =>
  (await db.transparencyLogEntry.findMany({ where: { eventId: { in: eventIds } }, orderBy: { eventId: 'asc' } })).map((r) => [
    r.eventId,
    r.logIndex,
  ]);

describe('entries written in bulk', () => {
  it('logs an event written twice (in one batch or again later) once, keeping the salt its entry commits to', async () => {
    const revoked = (eventId: string, reason: string): LogEvent => ({
      type: 'badge.revoked',
      at: new Date(),
      eventId,
      ids: { badge: randomUUID() },
      reason: 'REVOKED_BY_REVIEWER',
      secrets: { reason },
    });
    const [first, second] = [`test:${randomUUID()}`, `test:${randomUUID()}`];
    await db.$transaction((tx) => recordLogEvents(tx, [revoked(first, 'one'), revoked(second, 'two'), revoked(first, 'again')]));
    await db.$transaction((tx) => recordLogEvents(tx, [revoked(second, 'later')]));

    const rows = await db.transparencyLogEntry.findMany({ where: { eventId: { in: [first, second] } } });
    expect(rows.map((r) => r.eventId).sort()).toEqual([first, second].sort());
    for (const [eventId, text] of [
      [first, 'one'],
      [second, 'two'],
    ] as const) {
      const salts = await db.transparencyLogSalt.findMany({ where: { eventId } });
      expect(salts).toHaveLength(1);
      const entry = decodeEntry(rows.find((r) => r.eventId === eventId)!.entry);
      expect(entry.commitments!.reason).toBe(commitment(salts[0]!.salt, text));
    }
  });
});

describe('integration cut short after its storage writes', () => {
  it('gives the same indexes and identical bytes on retry, and the stored tiles give the recorded root', async () => {
    const eventIds = await pendingEntries(300);
    const written = new Map<string, Buffer>();
    // The worker dies as its writes land: each write reaches storage, then the step fails before the database commits.
    const dying: ObjectStorage = {
      ...storage,
      async putIfAbsent(key, body, type) {
        await storage.putIfAbsent(key, body, type);
        written.set(key, body);
        throw new Error(`worker died after writing ${key}`);
      },
    };
    await expect(integratePending(db, dying, 4096)).rejects.toThrow(/worker died/);
    const assigned = await indexesOf(eventIds);
    expect(assigned.every(([, index]) => index !== null)).toBe(true);
    expect(written.size).toBeGreaterThan(0);

    await integratePending(db, storage, 4096);
    expect(await indexesOf(eventIds)).toEqual(assigned);
    for (const [key, bytes] of written) expect((await storage.get(key))?.equals(bytes), key).toBe(true);

    const state = await db.transparencyLogState.findUniqueOrThrow({ where: { id: 1 } });
    const size = Number(state.integratedSize);
    expect(size).toBeGreaterThan(Math.max(...assigned.map(([, i]) => Number(i))));
    const root = await computeFromTiles(storageTileSource(storage), size, (r) => treeRoot(r, size));
    expect(root.equals(Buffer.from(state.integratedRoot!))).toBe(true);
  });
});

describe('a worker writing to another bucket', () => {
  it('leaves the log alone: its tiles stay in the one bucket that holds them', async () => {
    const own = `${config.S3_ENDPOINT}/${config.S3_BUCKET}`;
    expect(await holdsLog(db, own)).toBe(true);
    expect(await holdsLog(db, 'http://127.0.0.1:9/another-bucket')).toBe(false);
    expect(await holdsLog(db, own)).toBe(true);
  });
});

describe('witnesses', () => {
  const witnesses: FakeWitness[] = [];
  afterAll(() => Promise.all(witnesses.map((w) => w.close())));

  const identity = () => logIdentity(config)!;
  const withWitnesses = (list: FakeWitness[], quorum: number) => ({
    ...config,
    TLOG_WITNESSES: list.map((w) => ({ url: w.url, vkey: w.vkey })),
    TLOG_WITNESS_QUORUM: quorum,
  });

  /** Grows the log and publishes; other integrators may sign in between, so it retries until this call signs. */
  type Signed = Exclude<CheckpointOutcome, { reason: 'not-due' | 'log-off' }>;
  async function publish(cfg: Config): Promise<Signed> {
    return vi.waitFor(
      async () => {
        await pendingEntries(1);
        await integratePending(db, storage, 4096);
        const outcome = await publishCheckpointIfDue({ db, storage, config: cfg, logger, clock: () => new Date() });
        if (!outcome.published && (outcome.reason === 'not-due' || outcome.reason === 'log-off')) throw new Error('not due yet');
        return outcome as Signed;
      },
      { timeout: 30_000, interval: 300 },
    );
  }

  it('publishes once k of n witnesses cosign, resending to a witness that holds another size and leaving out one that rejects the proof', async () => {
    const policy = logPolicy(identity(), { TLOG_WITNESSES: [], TLOG_WITNESS_QUORUM: 0 });
    const fresh = await startFakeWitness(`witness-${randomUUID().slice(0, 8)}.test/fresh`, policy);
    const ahead = await startFakeWitness(`witness-${randomUUID().slice(0, 8)}.test/ahead`, policy);
    const forked = await startFakeWitness(`witness-${randomUUID().slice(0, 8)}.test/forked`, policy);
    witnesses.push(fresh, ahead, forked);

    // A checkpoint of the log the second witness already holds, unknown to the log's records: it answers 409.
    const before = await publish(config);
    expect(before.published).toBe(true);
    const current = openCheckpoint((await storage.get(LOG_PREFIX + CHECKPOINT_PATH))!, policy).checkpoint;
    ahead.holds(current);
    // The third holds a different tree at that size (a fork shown to it): the log's proof cannot convince it, 422.
    forked.holds({ ...current, root: Buffer.alloc(32, 7) });
    await db.transparencyLogWitness.create({ data: { name: forked.name, size: current.size } });

    const outcome = await publish(withWitnesses([fresh, ahead, forked], 2));
    expect(outcome.published).toBe(true);
    expect(ahead.answers).toEqual([409, 200]);
    expect(forked.answers).toEqual([422]);
    expect(fresh.answers).toEqual([200]);
    expect(outcome.witnesses.map((w) => [w.name, w.lines.length > 0])).toEqual([
      [fresh.name, true],
      [ahead.name, true],
      [forked.name, false],
    ]);

    const published = (await storage.get(LOG_PREFIX + CHECKPOINT_PATH))!.toString();
    const strict = logPolicy(identity(), withWitnesses([fresh, ahead, forked], 2));
    const verified = openCheckpoint(published, strict);
    expect(verified.checkpoint.size).toBe(outcome.size);
    expect(verified.cosignatures.map((c) => c.name).sort()).toEqual([fresh.name, ahead.name].sort());
    expect(() => openCheckpoint(published, { ...strict, quorum: 3 })).toThrow(/3 required/);
    // The log now knows what each cosigning witness holds.
    const known = await db.transparencyLogWitness.findMany({ where: { name: { in: [fresh.name, ahead.name] } } });
    expect(known.map((w) => Number(w.size))).toEqual([outcome.size, outcome.size]);
  });

  it('does not publish a checkpoint the quorum has not cosigned', async () => {
    const policy = logPolicy(identity(), { TLOG_WITNESSES: [], TLOG_WITNESS_QUORUM: 0 });
    const good = await startFakeWitness(`witness-${randomUUID().slice(0, 8)}.test/good`, policy);
    const forked = await startFakeWitness(`witness-${randomUUID().slice(0, 8)}.test/forked`, policy);
    witnesses.push(good, forked);
    await publish(config);
    const current = openCheckpoint((await storage.get(LOG_PREFIX + CHECKPOINT_PATH))!, policy).checkpoint;
    forked.holds({ ...current, root: Buffer.alloc(32, 9) });
    await db.transparencyLogWitness.create({ data: { name: forked.name, size: current.size } });

    const outcome = await publish(withWitnesses([good, forked], 2));
    expect(outcome).toMatchObject({ published: false, reason: 'quorum-not-met' });
    expect(forked.answers).toEqual([422]);
    const served = openCheckpoint((await storage.get(LOG_PREFIX + CHECKPOINT_PATH))!, policy).checkpoint;
    expect(served.size).toBeLessThan(outcome.size);
  });
});
