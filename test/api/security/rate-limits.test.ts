import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { testEnv } from '../../support/test-env.js';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { signDevToken } from '../../../src/auth/tokens.js';
import { createRateLimiters } from '../../../src/http/rate-limit-store.js';
import { registeredProductCode, VERIFY_PRODUCT_CODE } from '../../support/product-code-operations.js';
import { startStack, unique, type Stack } from '../../support/stack.js';

// Each `it` that changes limits starts its own stack, so counters never leak between tests.
// The set-up makes sure one answers (TEST_REDIS_URL, or the machine's on 6379).
const REDIS_URL = testEnv().TEST_REDIS_URL!;
const ANONYMOUS_REFUSAL = /^Too many requests without a token from this address; retry in \d+ s or sign in\.$/;
const ACCOUNT_REFUSAL = /^Too many requests for this account; retry in \d+ s\.$/;
const CHEAP_QUERY = `{ storeBadges(storeIds: []) { storeId } }`;

const stacks: Stack[] = [];
async function stackWith(config: Record<string, string>) {
  const stack = await startStack({ config });
  stacks.push(stack);
  return stack;
}

afterAll(async () => {
  await Promise.all(stacks.map((s) => s.close()));
});

function expectRateLimited(res: { status: number; headers: Headers; body: { errors?: unknown } }, message: RegExp) {
  expect(res.status).toBe(429);
  expect(res.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
  expect(res.body.errors).toMatchObject([{ message: expect.stringMatching(message), extensions: { code: 'RATE_LIMITED' } }]);
}

/** A verification of a registered code: refused or not, the database shows whether it ran. */
async function verifier(stack: Stack) {
  const product = await registeredProductCode(stack);
  return {
    product,
    verify: (options: { headers?: Record<string, string>; token?: string } = {}) =>
      stack.gql(VERIFY_PRODUCT_CODE, product.variables, options),
  };
}

describe('the client address', () => {
  it('is the rightmost X-Forwarded-For entry the trusted proxy wrote: a spoofed entry to its left does not buy a new budget', async () => {
    const stack = await stackWith({ PUBLIC_RATE_LIMIT_PER_MINUTE: '3', TRUST_PROXY: '1' });
    const { product, verify } = await verifier(stack);
    // The client sends "X-Forwarded-For: <anything>"; the one proxy appends the address it saw.
    const via = (spoofed: string, real: string) => ({ headers: { 'x-forwarded-for': `${spoofed}, ${real}` } });

    for (let i = 0; i < 3; i++) expect((await verify(via(`198.51.100.${i}`, '203.0.113.7'))).status).toBe(200);
    const refused = await verify(via('198.51.100.99', '203.0.113.7'));
    expectRateLimited(refused, ANONYMOUS_REFUSAL);
    expect(await product.verifications()).toBe(3);

    // Another real client keeps its own budget.
    expect((await verify(via('203.0.113.7', '203.0.113.8'))).status).toBe(200);
    expect(await product.verifications()).toBe(4);
  });

  it('ignores X-Forwarded-For altogether unless TRUST_PROXY is set', async () => {
    const stack = await stackWith({ PUBLIC_RATE_LIMIT_PER_MINUTE: '3' });
    const { product, verify } = await verifier(stack);
    for (let i = 0; i < 3; i++) expect((await verify({ headers: { 'x-forwarded-for': `203.0.113.${i}` } })).status).toBe(200);
    expectRateLimited(await verify({ headers: { 'x-forwarded-for': '203.0.113.200' } }), ANONYMOUS_REFUSAL);
    expect(await product.verifications()).toBe(3);
  });

  it('is an IPv6 /64: rotating addresses within it does not buy a new budget', async () => {
    const stack = await stackWith({ PUBLIC_RATE_LIMIT_PER_MINUTE: '2', TRUST_PROXY: 'loopback' });
    const from = (address: string) => stack.gql(CHEAP_QUERY, {}, { headers: { 'x-forwarded-for': address } });
    expect((await from('2001:db8:1:2::1')).status).toBe(200);
    expect((await from('2001:db8:1:2:ffff::9')).status).toBe(200);
    expectRateLimited(await from('2001:db8:1:2:abcd:1:2:3'), ANONYMOUS_REFUSAL);
    expect((await from('2001:db8:1:3::1')).status).toBe(200);
  });
});

describe('what a request costs', () => {
  it('counts each root field: four aliased verifications spend four points, and an operation beyond the budget runs none of them', async () => {
    const stack = await stackWith({ PUBLIC_RATE_LIMIT_PER_MINUTE: '5' });
    const { product } = await verifier(stack);
    // Four, not five: each check costs 2,000 of the query's 10,000, and their selections a little more.
    const fourTimes = `query ($brandSlug: String!, $code: String!) {
      ${[1, 2, 3, 4].map((i) => `v${i}: verifyProductCode(brandSlug: $brandSlug, code: $code) { verificationCount }`).join('\n')}
    }`;

    const first = await stack.gql(fourTimes, product.variables);
    expect(first.status).toBe(200);
    expect(Object.keys(first.body.data)).toHaveLength(4);
    expect(await product.verifications()).toBe(4);

    // One point is left: the request itself takes it, its three further root fields are refused before any runs.
    const second = await stack.gql(fourTimes, product.variables);
    expectRateLimited(second, ANONYMOUS_REFUSAL);
    expect(second.body).not.toHaveProperty('data.v1');
    expect(await product.verifications()).toBe(4);
  });

  it('counts root fields reached through fragments too', async () => {
    const stack = await stackWith({ PUBLIC_RATE_LIMIT_PER_MINUTE: '3' });
    const { product } = await verifier(stack);
    const viaFragments = `query ($brandSlug: String!, $code: String!) { ...F ... on Query { c: verifyProductCode(brandSlug: $brandSlug, code: $code) { result } } }
      fragment F on Query { a: verifyProductCode(brandSlug: $brandSlug, code: $code) { result } b: verifyProductCode(brandSlug: $brandSlug, code: $code) { result } }`;
    expect((await stack.gql(viaFragments, product.variables)).status).toBe(200);
    expectRateLimited(await stack.gql(viaFragments, product.variables), ANONYMOUS_REFUSAL);
    expect(await product.verifications()).toBe(3);
  });

  it('limits every route, not only GraphQL: /readyz, the status lists and the JWKS', async () => {
    const stack = await stackWith({ PUBLIC_RATE_LIMIT_PER_MINUTE: '3' });
    expect((await stack.http('/readyz')).status).toBe(200);
    expect((await stack.http('/status/badges/revocation')).status).toBe(200);
    expect((await stack.http('/.well-known/jwks.json')).status).toBe(200);
    for (const path of ['/readyz', '/status/badges/revocation', '/status/badges/suspension', '/.well-known/jwks.json', '/healthz']) {
      const res = await stack.http(path);
      expectRateLimited({ status: res.status, headers: res.headers, body: await res.json() }, ANONYMOUS_REFUSAL);
    }
  });
});

describe('event streams', () => {
  const BADGE_CHANGED = `subscription ($id: ID!) { badgeChanged(storeId: $id) { id } }`;
  const storeId = Buffer.from('Store:00000000-0000-4000-8000-000000000000').toString('base64');

  it('spend the budget like any request: six anonymous streams against a limit of three get three', async () => {
    const stack = await stackWith({ PUBLIC_RATE_LIMIT_PER_MINUTE: '3' });
    const streams = await Promise.all([1, 2, 3, 4, 5, 6].map(() => stack.subscribe(BADGE_CHANGED, { id: storeId })));
    try {
      const statuses = streams.map((s) => s.response.status).sort();
      expect(statuses).toEqual([200, 200, 200, 429, 429, 429]);
    } finally {
      await Promise.all(streams.map((s) => s.close()));
    }
  });

  it('are capped per client while open, and a closed one frees its slot', async () => {
    const stack = await stackWith({ SSE_STREAMS_PER_CLIENT: '2' });
    const opened = [await stack.subscribe(BADGE_CHANGED, { id: storeId }), await stack.subscribe(BADGE_CHANGED, { id: storeId })];
    expect(opened.map((s) => s.response.status)).toEqual([200, 200]);

    const third = await fetch(stack.endpoint, {
      method: 'POST',
      headers: { accept: 'text/event-stream', 'content-type': 'application/json' },
      body: JSON.stringify({ query: BADGE_CHANGED, variables: { id: storeId } }),
    });
    expect(third.status).toBe(429);
    expect(await third.json()).toMatchObject({
      errors: [
        {
          message: 'Too many open event streams from this address (at most 2); close one first.',
          extensions: { code: 'RATE_LIMITED' },
        },
      ],
    });

    // A signed-in caller is another client, with slots of their own.
    const alice = await stack.token(unique('alice'), ['CONSUMER']);
    const hers = await stack.subscribe(BADGE_CHANGED, { id: storeId }, { token: alice });
    expect(hers.response.status).toBe(200);

    await opened[0]!.close();
    const reopened = await vi.waitFor(
      async () => {
        const attempt = await stack.subscribe(BADGE_CHANGED, { id: storeId });
        if (attempt.response.status !== 200) throw new Error(`still refused: ${attempt.response.status}`);
        return attempt;
      },
      { timeout: 5000 },
    );
    await Promise.all([opened[1]!.close(), reopened.close(), hers.close()]);
  });
});

describe('signed-in callers', () => {
  it('are limited per actor with their own, larger budget, whatever address they come from', async () => {
    const stack = await stackWith({ PUBLIC_RATE_LIMIT_PER_MINUTE: '2', SIGNED_IN_RATE_LIMIT_PER_MINUTE: '4', TRUST_PROXY: '1' });
    const { product, verify } = await verifier(stack);
    const carol = await stack.token(unique('carol'), ['CONSUMER']);
    const from = (address: string, token?: string) => verify({ token, headers: { 'x-forwarded-for': address } });

    expect((await from('203.0.113.1', carol)).status).toBe(200);
    expect((await from('203.0.113.1', carol)).status).toBe(200);
    expect((await from('198.51.100.1', carol)).status).toBe(200);
    expect((await from('198.51.100.1', carol)).status).toBe(200);
    expectRateLimited(await from('198.51.100.2', carol), ACCOUNT_REFUSAL);
    expect(await product.verifications()).toBe(4);

    // Her spent budget is hers: the addresses' anonymous budgets and another actor's are untouched.
    expect((await from('198.51.100.1')).status).toBe(200);
    expect((await from('198.51.100.1', await stack.token(unique('dave'), ['CONSUMER']))).status).toBe(200);
    expect(await product.verifications()).toBe(6);
  });

  it('do not get the signed-in budget with a token that does not verify', async () => {
    const stack = await stackWith({ PUBLIC_RATE_LIMIT_PER_MINUTE: '2', SIGNED_IN_RATE_LIMIT_PER_MINUTE: '100' });
    const forged = await signDevToken('a secret that is not the service secret', { sub: unique('mallory'), roles: ['CONSUMER'] });
    for (let i = 0; i < 2; i++) {
      const res = await stack.gql(CHEAP_QUERY, {}, { token: forged });
      expect(res.body.errors).toMatchObject([{ extensions: { code: 'UNAUTHENTICATED' } }]);
    }
    expectRateLimited(await stack.gql(CHEAP_QUERY, {}, { token: forged }), ANONYMOUS_REFUSAL);
    expectRateLimited(await stack.gql(CHEAP_QUERY), ANONYMOUS_REFUSAL);
  });
});

describe('the shared store', () => {
  it('counts in Redis for every API process: a budget spent on one replica is refused on the other', async () => {
    const prefix = `brand-auth-test:${randomUUID()}`;
    const config = { REDIS_URL, RATE_LIMIT_KEY_PREFIX: prefix, PUBLIC_RATE_LIMIT_PER_MINUTE: '3' };
    const [one, two] = [await stackWith(config), await stackWith(config)];
    const { product } = await verifier(one);
    const verifyOn = (stack: Stack) => stack.gql(VERIFY_PRODUCT_CODE, product.variables);

    expect((await verifyOn(one)).status).toBe(200);
    expect((await verifyOn(two)).status).toBe(200);
    expect((await verifyOn(one)).status).toBe(200);
    expectRateLimited(await verifyOn(two), ANONYMOUS_REFUSAL);
    expectRateLimited(await verifyOn(one), ANONYMOUS_REFUSAL);
    expect(await product.verifications()).toBe(3);

    const redis = new Redis(REDIS_URL);
    try {
      const keys = await redis.keys(`${prefix}:*`);
      expect(keys).toEqual(expect.arrayContaining([`${prefix}:anonymous:address:127.0.0.1`]));
      await redis.del(...keys);
    } finally {
      redis.disconnect();
    }
  });

  it('falls back to counting in memory, with a warning, when REDIS_URL does not answer: the service runs and limits still hold', async () => {
    const stack = await stackWith({ REDIS_URL: 'redis://127.0.0.1:1', PUBLIC_RATE_LIMIT_PER_MINUTE: '2' });
    expect((await stack.http('/readyz')).status).toBe(200);
    expect((await stack.gql(CHEAP_QUERY)).status).toBe(200);
    expectRateLimited(await stack.gql(CHEAP_QUERY), ANONYMOUS_REFUSAL);
  });

  it('logs the fallback once and names where the counters live', async () => {
    const lines: Array<{ level: number; msg: string }> = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()) as { level: number; msg: string });
        done();
      },
    });
    const limiters = await createRateLimiters(
      {
        REDIS_URL: 'redis://127.0.0.1:1',
        RATE_LIMIT_KEY_PREFIX: 'unused',
        PUBLIC_RATE_LIMIT_PER_MINUTE: 1,
        SIGNED_IN_RATE_LIMIT_PER_MINUTE: 1,
      },
      pino({ level: 'info' }, sink),
    );
    try {
      expect(limiters.store()).toBe('memory-fallback');
      await limiters.anonymous.consume('address:192.0.2.1');
      await expect(limiters.anonymous.consume('address:192.0.2.1')).rejects.toMatchObject({ remainingPoints: 0 });
      const warnings = lines.filter((line) => line.level === 40);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]!.msg).toMatch(/^Rate-limit store unreachable/);
    } finally {
      await limiters.close();
    }
  });
});

describe('the default limits', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await stackWith({});
  });

  it('let a storefront page burst through: 50 concurrent anonymous storeBadges requests with 100 ids each all answer', async () => {
    const ids = Array.from({ length: 100 }, (_, i) =>
      Buffer.from(`Store:00000000-0000-4000-8000-${String(i).padStart(12, '0')}`).toString('base64'),
    );
    const query = `query ($ids: [ID!]!) { storeBadges(storeIds: $ids) { storeId badges { kind status } } }`;
    const answers = await Promise.all(Array.from({ length: 50 }, () => stack.gql(query, { ids })));
    expect(answers.map((a) => a.status)).toEqual(Array(50).fill(200));
    for (const answer of answers) {
      expect(answer.body.errors).toBeUndefined();
      expect(answer.body.data.storeBadges).toHaveLength(100);
    }
  });
});
