import { randomUUID } from 'node:crypto';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createUploadActivities } from '../../src/activities/upload-activities.js';
import { createLogger } from '../../src/logger.js';
import { migrateDatabase } from '../../src/setup/migrate.js';
import { registerBrand, submitTrademark } from '../support/brand-operations.js';
import { addPhoto, fileComplaint, photo } from '../support/complaint-operations.js';
import { startPrivateMinio, type PrivateMinio } from '../support/private-servers.js';
import { LOG_PREFIX } from '../../src/transparency/log-storage.js';
import { pdfFile, rowId, startStack, unique, type Stack } from '../support/stack.js';
import { actor, createStore, type Actor } from '../support/store-operations.js';
import { testEnv } from '../support/test-env.js';

// The object store goes down and comes back while documents and photos are
// uploaded. Whatever fails and whenever, no object outlives its row and no row
// outlives its object once the orphan sweep has run.
//
// The sweep runs with no grace period here, which would remove the objects of
// uploads in flight in other test files; so this file has a database of its own
// besides its own MinIO, and everything in both belongs to it.

let minio: PrivateMinio;
let database: { url: string; drop(): Promise<void> };
let stack: Stack;
let s3: S3Client;
let brandOwner: Actor;
let consumer: Actor;
let merchant: Actor;
const measured: string[] = [];

/** A migrated database nobody else uses, dropped afterwards. */
async function privateDatabase() {
  const shared = new URL(testEnv().DATABASE_URL!);
  const name = `brand_auth_faults_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: shared.toString() });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE "${name}"`);
  const url = new URL(shared);
  url.pathname = `/${name}`;
  await migrateDatabase(url.toString());
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

beforeAll(async () => {
  [minio, database] = await Promise.all([startPrivateMinio(), privateDatabase()]);
  stack = await startStack({ worker: true, config: { ...minio.s3, DATABASE_URL: database.url } });
  s3 = new S3Client({
    endpoint: minio.s3.S3_ENDPOINT,
    region: minio.s3.S3_REGION,
    forcePathStyle: true,
    credentials: { accessKeyId: minio.s3.S3_ACCESS_KEY_ID, secretAccessKey: minio.s3.S3_SECRET_ACCESS_KEY },
  });
  brandOwner = await actor(stack, 'brand-owner', ['BRAND']);
  consumer = await actor(stack, 'consumer', ['CONSUMER']);
  merchant = await actor(stack, 'merchant', ['MERCHANT']);
});

// A test that fails midway must not leave the next one without its object store.
afterEach(async () => {
  await minio.start();
});

afterAll(async () => {
  if (measured.length > 0) console.info(`object store faults: ${measured.join('; ')}`);
  s3?.destroy();
  await stack?.close();
  await minio?.dispose();
  // Closed connections leave the server a moment after their clients let go; until then the database is in use.
  if (database) await vi.waitFor(() => database.drop(), { timeout: 30_000, interval: 200 });
});

/** The sweep as the maintenance workflow runs it, against this file's database and bucket. */
const sweep = (options: { graceSeconds?: number; limit?: number } = {}) =>
  createUploadActivities({
    db: stack.db,
    storage: stack.runtime.services.storage,
    logger: createLogger('silent'),
    clock: () => new Date(),
    config: stack.config,
  }).sweepOrphanUploads(options);

/** Runs `step` and returns how long it took, in milliseconds. */
async function timed<T>(step: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await step();
  return [result, Math.round(performance.now() - started)];
}

/** Every object in this file's bucket is referred to by a row, every row's object exists, and no intent is pending. */
async function expectConsistent() {
  // The transparency log's tiles and checkpoint are the log's, not uploads.
  const objects = new Set((await stack.objectKeys()).filter((key) => !key.startsWith(LOG_PREFIX)));
  const [documents, evidence, intents] = await Promise.all([
    stack.db.document.findMany({ select: { storageKey: true } }),
    stack.db.evidence.findMany({ select: { storageKey: true, thumbnailKey: true } }),
    stack.db.uploadIntent.findMany(),
  ]);
  const rowKeys = new Set([...documents.map((d) => d.storageKey), ...evidence.flatMap((e) => [e.storageKey, e.thumbnailKey])]);
  expect(
    [...rowKeys].filter((key) => !objects.has(key)),
    'rows without their object',
  ).toEqual([]);
  expect(
    [...objects].filter((key) => !rowKeys.has(key)),
    'objects without a row',
  ).toEqual([]);
  expect(intents, 'intents left behind').toEqual([]);
}

/** A GraphQL answer saying the file store is down: code SERVICE_UNAVAILABLE on HTTP 503, and a message a person can act on. */
function expectStorageUnavailable(res: Awaited<ReturnType<Stack['gql']>>) {
  expect(res.status).toBe(503);
  expect(res.body.errors).toEqual([
    expect.objectContaining({
      message: expect.stringMatching(/file storage is unavailable.*try again/i),
      extensions: expect.objectContaining({ code: 'SERVICE_UNAVAILABLE' }),
    }),
  ]);
  expect(JSON.stringify(res.body)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|at .*\.ts/);
}

/** An object written straight into the bucket, with an intent as old as `ageSeconds`, as a crash before the commit leaves them. */
async function strandedUpload(ageSeconds: number) {
  const storageKey = `trademark-certificates/${randomUUID()}`;
  await stack.db.uploadIntent.create({ data: { storageKey, createdAt: new Date(Date.now() - ageSeconds * 1000) } });
  await s3.send(
    new PutObjectCommand({ Bucket: minio.s3.S3_BUCKET, Key: storageKey, Body: 'a certificate', ContentType: 'application/pdf' }),
  );
  return storageKey;
}

describe('an upload while the object store is down', () => {
  it('a trademark certificate is answered SERVICE_UNAVAILABLE within seconds; once the store is back, the sweep leaves nothing behind and the retry succeeds', async () => {
    const brand = await registerBrand(stack, brandOwner.token, unique('outage'));
    await minio.stop();
    const [refused, answeredIn] = await timed(() => submitTrademark(stack, brandOwner.token, brand.id));
    expectStorageUnavailable(refused);
    expect(answeredIn).toBeLessThan(10_000);
    expect(await stack.db.trademark.count({ where: { brandId: rowId(brand.id) } })).toBe(0);
    // The store could not even be asked to remove what it may hold, so the intent names the key for the sweep.
    expect(await stack.db.uploadIntent.count()).toBe(1);

    const [, restartedIn] = await timed(() => minio.start());
    const [[counts, retried], caughtUpIn] = await timed(async () => {
      const swept = await sweep({ graceSeconds: 0 });
      return [swept, await submitTrademark(stack, brandOwner.token, brand.id, {}, pdfFile('retry.pdf'))] as const;
    });
    expect(counts).toEqual({ removed: 1, failed: 0, kept: 0 });
    expect(retried.body.errors).toBeUndefined();
    expect(retried.body.data.submitTrademark.userErrors).toEqual([]);
    expect(retried.body.data.submitTrademark.trademark.status).toBe('SUBMITTED');
    await expectConsistent();
    measured.push(
      `certificate refused in ${answeredIn} ms while down`,
      `MinIO back in ${restartedIn} ms, sweep and retried certificate done ${caughtUpIn} ms later`,
    );
  });

  it('an evidence photo is answered SERVICE_UNAVAILABLE; no evidence row is written, and after the sweep a retry succeeds', async () => {
    const store = await createStore(stack, merchant);
    const complaint = await fileComplaint(stack, consumer, store.id);
    expect(complaint.status).toBe('AWAITING_EVIDENCE');
    await minio.stop();
    const [refused, answeredIn] = await timed(() => addPhoto(stack, consumer, complaint.id));
    expectStorageUnavailable(refused);
    expect(answeredIn).toBeLessThan(10_000);
    expect(await stack.db.evidence.count({ where: { complaintId: rowId(complaint.id) } })).toBe(0);

    await minio.start();
    const [[counts, retried], caughtUpIn] = await timed(async () => {
      const swept = await sweep({ graceSeconds: 0 });
      return [swept, await addPhoto(stack, consumer, complaint.id, await photo(7))] as const;
    });
    expect(counts.failed).toBe(0);
    expect(retried.body.errors).toBeUndefined();
    expect(retried.body.data.addEvidence.userErrors).toEqual([]);
    expect(await stack.db.evidence.count({ where: { complaintId: rowId(complaint.id) } })).toBe(1);
    await expectConsistent();
    measured.push(`photo refused in ${answeredIn} ms while down`, `sweep and retried photo done ${caughtUpIn} ms after restart`);
  });
});

describe('an upload whose row is never committed', () => {
  it('a transaction that fails after the certificate was stored leaves neither the object nor its intent', async () => {
    // The database refuses the trademark row, as it would a constraint the service did not foresee: the object is already in the bucket.
    await stack.db.$executeRawUnsafe(`
      CREATE FUNCTION refuse_trademark() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'registration refused by the database'; END $$`);
    await stack.db.$executeRawUnsafe(`
      CREATE TRIGGER refuse_trademark BEFORE INSERT ON "Trademark"
      FOR EACH ROW WHEN (NEW."holderName" = 'Refused Holder') EXECUTE FUNCTION refuse_trademark()`);
    try {
      const brand = await registerBrand(stack, brandOwner.token, unique('refused'));
      const res = await submitTrademark(stack, brandOwner.token, brand.id, { holderName: 'Refused Holder' });
      expect(res.body.errors).toEqual([
        expect.objectContaining({ extensions: expect.objectContaining({ code: 'INTERNAL_SERVER_ERROR' }) }),
      ]);
      expect(JSON.stringify(res.body)).not.toMatch(/refused by the database|holderName|INSERT/);
      expect(await stack.db.trademark.count({ where: { brandId: rowId(brand.id) } })).toBe(0);
      await expectConsistent();
    } finally {
      await stack.db.$executeRawUnsafe('DROP TRIGGER refuse_trademark ON "Trademark"');
      await stack.db.$executeRawUnsafe('DROP FUNCTION refuse_trademark()');
    }
  });

  it('the sweep removes an object whose intent is past the grace period, leaves a younger one alone, and only forgets the intent of a committed row', async () => {
    const orphan = await strandedUpload(2 * 3600);
    const inFlight = await strandedUpload(60);
    // A row refers to this key although its intent was never settled: the object stays.
    const committed = await strandedUpload(2 * 3600);
    const uploader = await stack.db.actor.create({ data: { subject: unique('uploader') } });
    await stack.db.document.create({
      data: {
        storageKey: committed,
        filename: 'c.pdf',
        contentType: 'application/pdf',
        byteSize: 13,
        sha256: '0'.repeat(64),
        uploadedById: uploader.id,
      },
    });

    // The configured grace period: an hour.
    expect(await sweep()).toEqual({ removed: 1, failed: 0, kept: 1 });
    const objects = await stack.objectKeys('trademark-certificates/');
    expect(objects).not.toContain(orphan);
    expect(objects).toEqual(expect.arrayContaining([inFlight, committed]));
    expect((await stack.db.uploadIntent.findMany()).map((i) => i.storageKey)).toEqual([inFlight]);

    // Once it is past the grace period too, it goes. The committed document stays with its object.
    expect(await sweep({ graceSeconds: 0 })).toEqual({ removed: 1, failed: 0, kept: 0 });
    await expectConsistent();
  });

  it('a removal that fails while the store is down is recorded and retried by the next sweep after the store is back', async () => {
    const orphan = await strandedUpload(2 * 3600);
    await minio.stop();
    expect(await sweep()).toEqual({ removed: 0, failed: 1, kept: 0 });
    expect(await sweep()).toEqual({ removed: 0, failed: 1, kept: 0 });
    const intent = await stack.db.uploadIntent.findUniqueOrThrow({ where: { storageKey: orphan } });
    expect(intent).toMatchObject({ attempts: 2, lastError: expect.stringMatching(/\S/), lastTryAt: expect.any(Date) });

    const [, restartedIn] = await timed(() => minio.start());
    const [counts, sweptIn] = await timed(() => sweep());
    expect(counts).toEqual({ removed: 1, failed: 0, kept: 0 });
    expect(await stack.objectKeys('trademark-certificates/')).not.toContain(orphan);
    await expectConsistent();
    measured.push(`failed removal: MinIO back in ${restartedIn} ms, the next sweep removed the orphan in ${sweptIn} ms`);
  });
});
