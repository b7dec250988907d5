import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bindSite, startSite, type TestSite } from '../support/origin-operations.js';
import { rowId, startStack, unique, type Stack } from '../support/stack.js';
import { CREATE_STORE, actor, createStore, type Actor } from '../support/store-operations.js';

// A consumer finds the store to complain about by what they see: its handle,
// or the address of the site they bought on.

let stack: Stack;
let owner: Actor;
const sites: TestSite[] = [];

beforeAll(async () => {
  stack = await startStack({ config: { STORE_ORIGIN_ALLOW_LOOPBACK: 'true' } });
  owner = await actor(stack, 'lookup-owner', ['MERCHANT']);
});

afterAll(async () => {
  await Promise.all(sites.map((site) => site.close()));
  await stack?.close();
});

const code = (res: Awaited<ReturnType<Stack['gql']>>) => res.body.errors?.[0]?.extensions?.code ?? 'OK';
const FIND_STORE = `query ($q: String!) { findStore(handleOrUrl: $q) { id name handle status origins } }`;
const UPDATE_STORE = `mutation ($input: UpdateStoreInput!) { updateStore(input: $input) { store { id name handle } userErrors { code field message } } }`;
const CREATE_WITH_HANDLE = CREATE_STORE.replace('createdAt', 'createdAt handle');

const find = async (q: string, token?: string) => {
  const res = await stack.gql(FIND_STORE, { q }, { token });
  expect(res.body.errors).toBeUndefined();
  return res.body.data.findStore;
};

describe('store handles', () => {
  it('gives a new store a handle made from its name, or the one its owner chose', async () => {
    const made = await stack.gql(CREATE_WITH_HANDLE, { input: { name: 'Café Müller & Söhne' } }, { token: owner.token });
    expect(made.body.data.createStore.store.handle).toMatch(/^cafe-muller-sohne-[a-z2-9]{6}$/);
    const handle = unique('corner-shop');
    const chosen = await stack.gql(
      CREATE_WITH_HANDLE,
      { input: { name: 'Corner', handle: ` ${handle.toUpperCase()} ` } },
      { token: owner.token },
    );
    expect(chosen.body.data.createStore).toMatchObject({ store: { handle }, userErrors: [] });
  });

  it('refuses a taken or malformed handle with a userError', async () => {
    const taken = (await createStore(stack, owner)) as { id: string };
    const { handle } = await stack.db.store.findUniqueOrThrow({ where: { id: rowId(taken.id) } });
    const other = await actor(stack, 'lookup-rival', ['MERCHANT']);
    const dup = await stack.gql(CREATE_WITH_HANDLE, { input: { name: 'Rival', handle } }, { token: other.token });
    expect(dup.body.data.createStore).toEqual({
      store: null,
      userErrors: [{ code: 'CONFLICT', field: ['input', 'handle'], message: `The handle "${handle}" is taken; choose another.` }],
    });
    const bad = await stack.gql(CREATE_WITH_HANDLE, { input: { name: 'Rival', handle: 'no_underscores' } }, { token: other.token });
    expect(bad.body.data.createStore.userErrors).toEqual([
      {
        code: 'INVALID',
        field: ['input', 'handle'],
        message: 'A handle has lowercase letters, digits and single hyphens between them, like "acme-outlet".',
      },
    ]);
    const short = await stack.gql(CREATE_WITH_HANDLE, { input: { name: 'Rival', handle: 'ab' } }, { token: other.token });
    expect(short.body.data.createStore.userErrors[0]).toMatchObject({ code: 'INVALID', message: 'A handle has 3 to 40 characters.' });
  });

  it('lets the owner change the handle; the old one stops finding the store', async () => {
    const store = await createStore(stack, owner);
    const before = (await stack.db.store.findUniqueOrThrow({ where: { id: rowId(store.id) } })).handle;
    const handle = unique('renamed');
    const res = await stack.gql(UPDATE_STORE, { input: { storeId: store.id, handle, name: 'Renamed' } }, { token: owner.token });
    expect(res.body.data.updateStore).toEqual({ store: { id: store.id, name: 'Renamed', handle }, userErrors: [] });
    expect(await find(before)).toBeNull();
    expect((await find(handle)).id).toBe(store.id);

    const other = await createStore(stack, owner);
    const clash = await stack.gql(UPDATE_STORE, { input: { storeId: other.id, handle } }, { token: owner.token });
    expect(clash.body.data.updateStore.userErrors).toEqual([
      { code: 'CONFLICT', field: ['input', 'handle'], message: `The handle "${handle}" is taken; choose another.` },
    ]);
  });

  it('updateStore is for the store owner only', async () => {
    const store = await createStore(stack, owner);
    const input = { storeId: store.id, handle: unique('hijack') };
    const outcomes = [];
    for (const roles of [null, ['MERCHANT'], ['CONSUMER'], ['REVIEWER'], ['ADMIN']] as const) {
      const who = roles ? await actor(stack, 'caller', [...roles]) : null;
      outcomes.push(code(await stack.gql(UPDATE_STORE, { input }, { token: who?.token })));
    }
    expect(outcomes).toEqual(['UNAUTHENTICATED', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN']);
    expect(await find(input.handle)).toBeNull();
  });
});

describe('findStore', () => {
  it('finds a store by handle, @handle or any case, for anyone', async () => {
    const store = await createStore(stack, owner, 'Acme Outlet');
    const { handle } = await stack.db.store.findUniqueOrThrow({ where: { id: rowId(store.id) } });
    const consumer = await actor(stack, 'lookup-consumer', ['CONSUMER']);
    for (const q of [handle, `@${handle}`, ` ${handle.toUpperCase()} `]) {
      expect(await find(q)).toEqual({ id: store.id, name: 'Acme Outlet', handle, status: 'ACTIVE', origins: [] });
      expect((await find(q, consumer.token)).id).toBe(store.id);
    }
  });

  it('finds a store by a URL on one of its verified origins, not on a merely claimed one', async () => {
    const store = await createStore(stack, owner);
    const site = await startSite();
    sites.push(site);
    const claimed = await startSite();
    sites.push(claimed);
    await stack.gql(
      `mutation ($input: StoreOriginInput!) { addStoreOrigin(input: $input) { userErrors { code } } }`,
      { input: { storeId: store.id, origin: claimed.origin } },
      { token: owner.token },
    );
    expect(await find(`${claimed.origin}/product/42`)).toBeNull();

    await bindSite(stack, owner, store.id, site);
    for (const q of [site.origin, `${site.origin}/`, `${site.origin}/product/42?colour=red#reviews`]) {
      expect(await find(q)).toMatchObject({ id: store.id, origins: [site.origin] });
    }
  });

  it('answers null for what matches no store, and exposes no private field', async () => {
    expect(await find('no-such-store-handle')).toBeNull();
    expect(await find('https://unknown-store.example/p/1')).toBeNull();
    expect(await find('mailto:someone@example.com')).toBeNull();
    expect(await find('')).toBeNull();
    const store = await createStore(stack, owner);
    const { handle } = await stack.db.store.findUniqueOrThrow({ where: { id: rowId(store.id) } });
    const privateFields = await stack.gql(`query ($q: String!) { findStore(handleOrUrl: $q) { owner { id } } }`, { q: handle });
    expect(privateFields.body.errors?.[0]?.message).toMatch(/Cannot query field "owner"/);
    const claims = await stack.gql(
      `query ($q: String!) { findStore(handleOrUrl: $q) { originClaims { verificationToken } warnings { id } } }`,
      {
        q: handle,
      },
    );
    expect(claims.body.data.findStore).toEqual({ originClaims: [], warnings: [] });
  });
});
