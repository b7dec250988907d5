import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack.js';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  await stack?.close();
});

describe('HTTP endpoints', () => {
  it('answers /healthz while the process is up', async () => {
    const res = await stack.http('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('answers /readyz when the database, Temporal and S3 are reachable', async () => {
    const res = await stack.http('/readyz');
    expect(await res.json()).toEqual({ status: 'ready', checks: { database: 'ok', temporal: 'ok', storage: 'ok' } });
    expect(res.status).toBe(200);
  });

  it('names the dependency that is not reachable with a 503', async () => {
    const broken = await startStack({ config: { S3_ENDPOINT: 'http://127.0.0.1:9' } });
    try {
      const res = await broken.http('/readyz');
      expect(res.status).toBe(503);
      const body = await res.json();
      expect(body).toMatchObject({ status: 'not ready', message: 'Not reachable: storage.', checks: { database: 'ok', temporal: 'ok' } });
      // The name only: the error's text (host, port, driver details) stays in the log.
      expect(body.checks.storage).toBe('unreachable');
      expect(JSON.stringify(body)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|:9\b/);
    } finally {
      await broken.close();
    }
  });

  it('echoes a request id, or makes one', async () => {
    const given = await stack.http('/healthz', { headers: { 'x-request-id': 'req-12345678' } });
    expect(given.headers.get('x-request-id')).toBe('req-12345678');
    const made = await stack.http('/healthz');
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('masks unexpected errors and reports GraphQL errors plainly', async () => {
    const res = await stack.gql('{ nope }');
    expect(res.body.errors).toMatchObject([{ message: expect.stringMatching(/^Cannot query field "nope" on type "Query"/) }]);
    const bad = await stack.gql('query ($id: ID!) { node(id: $id) { id } }', { id: 'garbage' });
    expect(JSON.stringify(bad.body)).not.toMatch(/prisma|SELECT|at .*\.ts/i);
  });
});
