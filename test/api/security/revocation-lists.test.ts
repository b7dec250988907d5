import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { createLocalJWKSet, decodeJwt, jwtVerify, type JSONWebKeySet } from 'jose';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REVIEW_LETTER, SUBMIT_LETTER } from '../../support/letter-operations.js';
import { pdfFile, rowId, startStack, type Stack } from '../../support/stack.js';
import {
  REQUEST_OFFICIAL_BADGE,
  REVOKE_BADGE,
  actor,
  createStore,
  publishedBadge,
  verifiedBrand,
  type Actor,
} from '../../support/store-operations.js';
import { projectRoot } from '../../support/test-env.js';

// Status lists are shards of STATUS_LIST_SIZE bits. Lists of 16 bits (allowed
// only outside production) make the boundary between two lists quick to reach.
// Only this file opens lists of 16, so the other files, which fill list 0
// (131072 bits), never move the boundaries it counts on.
const LIST_SIZE = 16;

let stack: Stack;
let owner: Actor; // member of the brand and owner of every store here
let reviewer: Actor;
let brand: { id: string };

beforeAll(async () => {
  stack = await startStack({ worker: true, config: { STATUS_LIST_SIZE: String(LIST_SIZE) } });
  owner = await actor(stack, 'owner', ['BRAND', 'MERCHANT']);
  reviewer = await actor(stack, 'reviewer', ['REVIEWER']);
  brand = await verifiedBrand(stack, owner, reviewer);
});

afterAll(async () => {
  await stack?.close();
});

interface IssuedBadge {
  id: string;
  credential: string;
}

interface Slot {
  listId: number;
  index: number;
}

const requestBadge = (on: Stack, storeId: string) =>
  on.gql(REQUEST_OFFICIAL_BADGE, { input: { storeId, brandId: brand.id } }, { token: owner.token });

async function requestOne(on: Stack): Promise<string> {
  const store = await createStore(on, owner);
  const res = await requestBadge(on, store.id);
  const badge = res.body.data?.requestOfficialBadge.badge as IssuedBadge | null;
  if (!badge) throw new Error(`requestOfficialBadge failed: ${JSON.stringify(res.body)}`);
  return badge.id;
}

/** A badge with the credential handed out once the transparency log's checkpoint covers its grant. */
const published = async (id: string, on: Stack = stack): Promise<IssuedBadge> => publishedBadge(on, id);

const issueOne = async (on: Stack = stack) => published(await requestOne(on), on);

/** Issued one after another, so their places follow in order. */
async function issue(count: number): Promise<IssuedBadge[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push(await requestOne(stack));
  return Promise.all(ids.map((id) => published(id)));
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const slotsIn = (listId: number, count: number): Slot[] => range(count).map((index) => ({ listId, index }));
const bySlot = (a: Slot, b: Slot) => a.listId - b.listId || a.index - b.index;

/** A credential's place, as a storefront reads it: both entries name the same list and index. */
function slotOf(credential: string, base = stack.baseUrl): Slot {
  const entries = decodeJwt(credential).credentialStatus as Array<{
    statusPurpose: string;
    statusListIndex: string;
    statusListCredential: string;
  }>;
  const [revocation, suspension] = entries;
  const listId = Number(/\/status\/badges\/revocation\/(\d+)$/.exec(revocation!.statusListCredential)![1]);
  expect(revocation).toMatchObject({ statusPurpose: 'revocation', statusListCredential: `${base}/status/badges/revocation/${listId}` });
  expect(suspension).toEqual({
    ...revocation,
    statusPurpose: 'suspension',
    statusListCredential: `${base}/status/badges/suspension/${listId}`,
  });
  return { listId, index: Number(revocation!.statusListIndex) };
}

async function storedSlot(badgeId: string): Promise<Slot> {
  const row = await stack.db.badge.findUniqueOrThrow({ where: { id: rowId(badgeId) } });
  return { listId: row.statusListId, index: row.statusListIndex };
}

const listsOfTestSize = () =>
  stack.db.statusList.findMany({ where: { size: LIST_SIZE }, orderBy: { id: 'asc' }, select: { id: true, size: true, nextIndex: true } });
const highestListId = async () => (await stack.db.statusList.aggregate({ _max: { id: true } }))._max.id!;

/**
 * Fills whatever room earlier runs left in lists of 16, so the next badge
 * opens a new list at index 0. Returns the highest list id then.
 */
async function fillOpenLists(): Promise<number> {
  const room = (await listsOfTestSize()).reduce((sum, list) => sum + list.size - list.nextIndex, 0);
  await issue(room);
  return highestListId();
}

async function jwks(): Promise<JSONWebKeySet> {
  const res = await stack.http('/.well-known/jwks.json');
  expect(res.status).toBe(200);
  return res.json();
}

/** Fetches one list, checks its signature, expiry and headers, and returns the indexes whose bit is set. */
async function setBits(url: string, bytes = LIST_SIZE / 8): Promise<number[]> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  const maxAge = stack.config.STATUS_LIST_MAX_AGE_SECONDS;
  expect(res.headers.get('content-type')).toBe('application/vc+jwt');
  expect(res.headers.get('cache-control')).toBe(`public, max-age=${maxAge}`);
  const { payload, protectedHeader } = await jwtVerify(await res.text(), createLocalJWKSet(await jwks()), {
    issuer: new URL(stack.config.PUBLIC_BASE_URL).origin,
    typ: 'vc+jwt',
    algorithms: ['EdDSA'],
  });
  expect(protectedHeader.alg).toBe('EdDSA');
  expect(payload.exp! - payload.iat!).toBe(maxAge);
  expect(payload.id).toBe(url);
  const subject = payload.credentialSubject as { encodedList: string };
  const bits = gunzipSync(Buffer.from(subject.encodedList.slice(1), 'base64url'));
  expect(bits).toHaveLength(bytes);
  return range(bits.length * 8).filter((i) => (bits[i >> 3]! & (0x80 >> (i & 7))) !== 0);
}

const listUrl = (purpose: 'revocation' | 'suspension', listId: number) => `${stack.baseUrl}/status/badges/${purpose}/${listId}`;

/** The README's storefront check: every entry's own list, verified with the JWKS alone. */
async function offlineStatus(credential: string): Promise<string[]> {
  const flagged: string[] = [];
  for (const entry of decodeJwt(credential).credentialStatus as Array<Record<string, string>>) {
    if ((await setBits(entry.statusListCredential!)).includes(Number(entry.statusListIndex))) flagged.push(entry.statusPurpose!);
  }
  return flagged;
}

async function revoke(badge: IssuedBadge) {
  const res = await stack.gql(REVOKE_BADGE, { input: { id: badge.id, reason: 'Sells grey-market goods' } }, { token: reviewer.token });
  expect(res.body.data.revokeBadge).toMatchObject({ badge: { status: 'REVOKED' }, userErrors: [] });
}

describe('sharded status lists', () => {
  it('fill a list of 16, open the next one at index 0 for the 17th badge, and show each revocation only in its own list', async () => {
    const before = await fillOpenLists();
    const first = before + 1;
    const badges = await issue(20);

    const slots = badges.map((badge) => slotOf(badge.credential));
    expect(slots).toEqual([...slotsIn(first, 16), ...slotsIn(first + 1, 4)]);
    expect(slots[16]).toEqual({ listId: first + 1, index: 0 });
    expect(await Promise.all(badges.map((badge) => storedSlot(badge.id)))).toEqual(slots);
    expect(await stack.db.statusList.findMany({ where: { id: { gte: first } }, orderBy: { id: 'asc' } })).toMatchObject([
      { id: first, size: 16, nextIndex: 16 },
      { id: first + 1, size: 16, nextIndex: 4 },
    ]);

    await revoke(badges[2]!); // list `first`, index 2
    await revoke(badges[17]!); // list `first + 1`, index 1
    expect(await setBits(listUrl('revocation', first))).toEqual([2]);
    expect(await setBits(listUrl('revocation', first + 1))).toEqual([1]);
    expect(await setBits(listUrl('suspension', first))).toEqual([]);
    expect(await setBits(listUrl('suspension', first + 1))).toEqual([]);

    // A storefront following each credential's own URLs sees exactly the two revocations.
    expect(await offlineStatus(badges[2]!.credential)).toEqual(['revocation']);
    expect(await offlineStatus(badges[17]!.credential)).toEqual(['revocation']);
    expect(await offlineStatus(badges[1]!.credential)).toEqual([]);
    expect(await offlineStatus(badges[16]!.credential)).toEqual([]);
  });

  it('hand out distinct places to 20 concurrent issuances across a list boundary, under a unique (list, index)', async () => {
    const before = await fillOpenLists();
    const stores = [];
    for (let i = 0; i < 20; i++) stores.push(await createStore(stack, owner));

    const answers = await Promise.all(stores.map((store) => requestBadge(stack, store.id)));
    for (const answer of answers) expect(answer.body.data.requestOfficialBadge.userErrors).toEqual([]);
    const badges = await Promise.all(answers.map((answer) => published(answer.body.data.requestOfficialBadge.badge.id)));
    const slots = badges.map((badge) => slotOf(badge.credential));
    expect(slots.sort(bySlot)).toEqual([...slotsIn(before + 1, 16), ...slotsIn(before + 2, 4)]);

    const [uniqueIndex] = await stack.db.$queryRaw<Array<{ indexdef: string }>>`
      SELECT indexdef FROM pg_indexes WHERE tablename = 'Badge' AND indexname = 'Badge_statusListId_statusListIndex_key'`;
    expect(uniqueIndex?.indexdef).toContain('CREATE UNIQUE INDEX');
    expect(uniqueIndex?.indexdef).toContain('("statusListId", "statusListIndex")');
  });

  it('burn no index when the issuing transaction fails after taking one', async () => {
    await fillOpenLists();
    await issue(3); // a list partly used: the place that must not be lost is index 3
    const listsBefore = await listsOfTestSize();
    const open = listsBefore.find((list) => list.nextIndex < list.size)!;
    expect(open.nextIndex).toBe(3);

    // A fault in the badge insert for one store only, so other files' issuances go on.
    const victim = await createStore(stack, owner);
    const fault = `fail_badge_insert_${randomUUID().replaceAll('-', '')}`;
    await stack.db.$executeRawUnsafe(
      `CREATE FUNCTION "${fault}"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected fault'; END $$`,
    );
    await stack.db.$executeRawUnsafe(
      `CREATE TRIGGER "${fault}" BEFORE INSERT ON "Badge" FOR EACH ROW WHEN (NEW."storeId" = '${rowId(victim.id)}') EXECUTE FUNCTION "${fault}"()`,
    );
    try {
      const failed = await requestBadge(stack, victim.id);
      expect(failed.body.errors).toMatchObject([{ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }]);
    } finally {
      await stack.db.$executeRawUnsafe(`DROP TRIGGER "${fault}" ON "Badge"`);
      await stack.db.$executeRawUnsafe(`DROP FUNCTION "${fault}"()`);
    }
    expect(await stack.db.badge.count({ where: { storeId: rowId(victim.id) } })).toBe(0);
    expect(await listsOfTestSize()).toEqual(listsBefore);

    // The next badge takes the very place the failed one had taken.
    const retried = await requestBadge(stack, victim.id);
    expect(slotOf((await published(retried.body.data.requestOfficialBadge.badge.id)).credential)).toEqual({ listId: open.id, index: 3 });

    // Racing requests for one store: the losers' inserts fail on the one-live-badge index and give their places back.
    const store = await createStore(stack, owner);
    const raced = await Promise.all(range(5).map(() => requestBadge(stack, store.id)));
    const ids = new Set(raced.map((answer) => answer.body.data.requestOfficialBadge.badge.id as string));
    expect(ids.size).toBe(1);
    expect(slotOf((await published(raced[0]!.body.data.requestOfficialBadge.badge.id)).credential)).toEqual({ listId: open.id, index: 4 });
    expect((await listsOfTestSize()).find((list) => list.id === open.id)?.nextIndex).toBe(5);
  });
});

describe('when every status list is full', () => {
  it('refuses to issue an official badge or approve a letter as LIMIT_EXCEEDED, and writes nothing', async () => {
    await fillOpenLists();
    const lists = await stack.db.statusList.count();
    const listsBefore = await stack.db.statusList.findMany({ orderBy: { id: 'asc' } });
    const full = await startStack({ config: { STATUS_LIST_SIZE: String(LIST_SIZE), STATUS_LIST_MAX_LISTS: String(lists) } });
    try {
      const store = await createStore(full, owner);
      const refused = await requestBadge(full, store.id);
      expect(refused.body).toEqual({
        data: {
          requestOfficialBadge: {
            badge: null,
            userErrors: [
              {
                code: 'LIMIT_EXCEEDED',
                field: null,
                message: `Badges cannot be issued now: all ${lists} status lists are full (at most ${lists} lists of 16 badges). An operator must raise STATUS_LIST_MAX_LISTS.`,
              },
            ],
          },
        },
      });
      expect(await stack.db.badge.count({ where: { storeId: rowId(store.id) } })).toBe(0);

      // A reseller's letter: approving it would issue a badge, so the approval is refused with it.
      const reseller = await actor(full, 'reseller', ['MERCHANT']);
      const resellerStore = await createStore(full, reseller);
      const submitted = await full.gql(
        SUBMIT_LETTER,
        {
          input: {
            storeId: resellerStore.id,
            brandId: brand.id,
            scope: 'All products',
            validFrom: new Date(Date.now() - 86_400_000).toISOString(),
            validUntil: new Date(Date.now() + 180 * 86_400_000).toISOString(),
            letter: null,
          },
        },
        { token: reseller.token, files: { 'input.letter': pdfFile('letter.pdf', 'Acme authorizes this reseller') } },
      );
      const letter = submitted.body.data.submitAuthorizationLetter.letter as { id: string };
      const review = await full.gql(REVIEW_LETTER, { input: { id: letter.id, approve: true } }, { token: reviewer.token });
      expect(review.body.data.reviewAuthorizationLetter).toEqual({
        letter: null,
        userErrors: [{ code: 'LIMIT_EXCEEDED', field: ['input', 'id'], message: expect.stringMatching(/^Badges cannot be issued now/) }],
      });
      expect(await stack.db.authorizationLetter.findUniqueOrThrow({ where: { id: rowId(letter.id) } })).toMatchObject({
        status: 'SUBMITTED',
        reviewedAt: null,
      });
      expect(await stack.db.badge.count({ where: { letterId: rowId(letter.id) } })).toBe(0);
      expect(await stack.db.auditEvent.count({ where: { entityId: rowId(letter.id), action: 'letter.approved' } })).toBe(0);

      // No list was opened. (Other test files share the lists and may take places in the open one meanwhile.)
      const shapes = (lists: Array<{ id: number; size: number }>) => lists.map(({ id, size }) => ({ id, size }));
      expect(shapes(await stack.db.statusList.findMany({ orderBy: { id: 'asc' } }))).toEqual(shapes(listsBefore));
    } finally {
      await full.close();
    }

    // One list more of room, and the same request opens it.
    const roomier = await startStack({ config: { STATUS_LIST_SIZE: String(LIST_SIZE), STATUS_LIST_MAX_LISTS: String(lists + 1) } });
    try {
      const badge = await issueOne(roomier);
      expect(slotOf(badge.credential, roomier.baseUrl)).toEqual({ listId: listsBefore.at(-1)!.id + 1, index: 0 });
    } finally {
      await roomier.close();
    }
  });
});

describe('status list URLs', () => {
  it('keep the unsharded URL answering as list 0 for credentials issued before sharding, and refuse unknown lists', async () => {
    const legacy = `${stack.baseUrl}/status/badges/revocation`;
    const zero = await stack.db.statusList.findUniqueOrThrow({ where: { id: 0 } });
    expect(zero.size).toBe(131_072);
    await setBits(legacy, 16_384);
    await setBits(`${stack.baseUrl}/status/badges/suspension`, 16_384);
    await setBits(listUrl('revocation', 0), 16_384);

    const unknown = await stack.http('/status/badges/revocation/999999999');
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toBe('No revocation status list 999999999.');
    const purpose = await stack.http('/status/badges/expiry/1');
    expect(purpose.status).toBe(404);
    expect(await purpose.text()).toBe('No status list "expiry"; there are: revocation, suspension.');
    for (const path of ['/status/badges/revocation/01', '/status/badges/revocation/-1', '/status/badges/revocation/1e3']) {
      expect((await stack.http(path)).status, path).toBe(404);
    }
  });
});

describe('the migration to sharded lists', () => {
  it('maps the old sequence indexes into lists of 131072 and continues each list after its highest index', async () => {
    const migration = (name: string) => readFileSync(path.join(projectRoot, 'prisma', 'migrations', name, 'migration.sql'), 'utf8');
    const schema = `migration_check_${randomUUID().replaceAll('-', '')}`;
    const client = new pg.Client({ connectionString: stack.config.DATABASE_URL });
    await client.connect();
    try {
      await client.query(`CREATE SCHEMA "${schema}"; SET search_path TO "${schema}"`);
      await client.query(migration('20261122000000_foundation'));
      await client.query(migration('20261122010000_stores_badges_letters_codes'));
      const [actorId, brandId, storeId] = [randomUUID(), randomUUID(), randomUUID()];
      await client.query(`INSERT INTO "Actor" ("id", "subject") VALUES ($1, 'someone')`, [actorId]);
      await client.query(`INSERT INTO "Brand" ("id", "slug", "name", "updatedAt") VALUES ($1, 'acme', 'Acme', now())`, [brandId]);
      await client.query(`INSERT INTO "Store" ("id", "name", "ownerId") VALUES ($1, 'Shop', $2)`, [storeId, actorId]);
      const oldIndexes = [1, 2, 131_071, 131_073];
      for (const index of oldIndexes) {
        await client.query(
          `INSERT INTO "Badge" ("id", "storeId", "brandId", "kind", "status", "expiresAt", "statusListIndex", "updatedAt")
           VALUES ($1, $2, $3, 'AUTHORIZED_STORE', 'REVOKED', now(), $4, now())`,
          [randomUUID(), storeId, brandId, index],
        );
      }

      await client.query(migration('20261122130000_sharded_status_lists'));

      const lists = await client.query(`SELECT "id", "size", "nextIndex" FROM "StatusList" ORDER BY "id"`);
      expect(lists.rows).toEqual([
        { id: 0, size: 131_072, nextIndex: 131_072 },
        { id: 1, size: 131_072, nextIndex: 2 },
      ]);
      const badges = await client.query(`SELECT "statusListId", "statusListIndex" FROM "Badge" ORDER BY "statusListId", "statusListIndex"`);
      expect(badges.rows).toEqual([
        { statusListId: 0, statusListIndex: 1 },
        { statusListId: 0, statusListIndex: 2 },
        { statusListId: 0, statusListIndex: 131_071 },
        { statusListId: 1, statusListIndex: 1 },
      ]);
      const sequence = await client.query(
        `SELECT count(*)::int AS n FROM pg_class WHERE relname = 'Badge_statusListIndex_seq' AND relnamespace = $1::regnamespace`,
        [schema],
      );
      expect(sequence.rows).toEqual([{ n: 0 }]);
    } finally {
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    }
  });
});
