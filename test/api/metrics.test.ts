import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REVIEW_TRADEMARK, BRAND_BY_SLUG, registerBrand, submitTrademark } from '../support/brand-operations.js';
import { startStack, unique, type Stack } from '../support/stack.js';

const METRICS_TOKEN = 'scraper-token-0123456789abcdefghijklmnop';
// Low enough to reach in a few requests; signed-in callers keep their own, larger budget.
const PUBLIC_LIMIT = 4;

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ config: { METRICS_TOKEN, PUBLIC_RATE_LIMIT_PER_MINUTE: String(PUBLIC_LIMIT) } });
});

afterAll(async () => {
  await stack?.close();
});

const scrape = async (target: Stack = stack) => {
  const res = await target.http('/metrics', { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  expect(res.status).toBe(200);
  return res.text();
};

/** The sum of a series' samples whose labels include `labels`, from the Prometheus text format. */
function sample(exposition: string, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const line of exposition.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([key, value]) => found[key] === value)) total += Number(match[3]);
  }
  return total;
}

const pngCertificate = async () => {
  const bytes = await sharp({ create: { width: 120, height: 80, channels: 3, background: '#f4f1e8' } })
    .png()
    .toBuffer();
  return new File([new Uint8Array(bytes)], 'certificate.png', { type: 'image/png' });
};

describe('GET /metrics', () => {
  it('answers only with the configured bearer token', async () => {
    expect((await stack.http('/metrics')).status).toBe(401);
    expect((await stack.http('/metrics', { headers: { authorization: 'Bearer wrong-token-wrong-token-wrong-token' } })).status).toBe(401);
    const res = await stack.http('/metrics', { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await res.text()).toMatch(/^# HELP process_cpu_user_seconds_total/m);
  });

  it('is not served at all without METRICS_TOKEN', async () => {
    const open = await startStack();
    try {
      expect((await open.http('/metrics')).status).toBe(404);
    } finally {
      await open.close();
    }
  });

  it('counts operations and their latency by root field, and errors by code', async () => {
    const brandToken = await stack.token(unique('owner'), ['BRAND']);
    const before = await scrape();
    const query = { operationType: 'query', operation: 'brand' };

    const found = await stack.gql(BRAND_BY_SLUG, { slug: unique('nobody') }, { token: brandToken });
    expect(found.body).toEqual({ data: { brand: null } });
    const invalid = await stack.gql('{ nope }', {}, { token: brandToken });
    expect(invalid.body.errors).toHaveLength(1);

    const brand = await registerBrand(stack, brandToken, unique('metered'));
    const certificate = await pngCertificate();
    const submitted = await submitTrademark(stack, brandToken, brand.id, {}, certificate);
    const trademark = submitted.body.data.submitTrademark.trademark;
    expect(trademark.document.contentType).toBe('image/png');
    const forbidden = await stack.gql(REVIEW_TRADEMARK, { input: { id: trademark.id, approve: true } }, { token: brandToken });
    expect(forbidden.body.errors).toMatchObject([{ extensions: { code: 'FORBIDDEN' } }]);

    const after = await scrape();
    const moved = (name: string, labels: Record<string, string> = {}) => sample(after, name, labels) - sample(before, name, labels);
    expect(moved('graphql_envelop_request', query)).toBe(1);
    expect(moved('graphql_envelop_request_duration_count', query)).toBe(1);
    expect(moved('graphql_envelop_request_duration_sum', query)).toBeGreaterThan(0);
    expect(moved('graphql_yoga_http_duration_count', { ...query, method: 'POST', statusCode: '200' })).toBe(1);
    expect(moved('graphql_envelop_request', { operationType: 'mutation', operation: 'submitTrademark' })).toBe(1);
    expect(moved('graphql_envelop_error_result', { phase: 'validate', operation: 'invalid', code: 'GRAPHQL_VALIDATION_FAILED' })).toBe(1);
    expect(moved('graphql_envelop_error_result', { phase: 'execute', operation: 'reviewTrademark', code: 'FORBIDDEN' })).toBe(1);
    // The uploaded file's size, and the time to re-encode it.
    expect(moved('brand_auth_upload_bytes_count', { operation: 'submitTrademark' })).toBe(1);
    expect(moved('brand_auth_upload_bytes_sum', { operation: 'submitTrademark' })).toBe(certificate.size);
    expect(moved('brand_auth_image_processing_seconds_count', { kind: 'document', outcome: 'accepted' })).toBe(1);
    expect(moved('brand_auth_image_processing_seconds_sum', { kind: 'document' })).toBeGreaterThan(0);
  });

  it('counts SERVICE_UNAVAILABLE when object storage is down', async () => {
    const broken = await startStack({ config: { METRICS_TOKEN, S3_ENDPOINT: 'http://127.0.0.1:9' } });
    try {
      const brandToken = await broken.token(unique('owner'), ['BRAND']);
      const brand = await registerBrand(broken, brandToken, unique('unstored'));
      const before = await scrape(broken);
      const res = await submitTrademark(broken, brandToken, brand.id, {}, await pngCertificate());
      expect(res.body.errors).toMatchObject([{ extensions: { code: 'SERVICE_UNAVAILABLE' } }]);
      const after = await scrape(broken);
      const labels = { phase: 'execute', operation: 'submitTrademark', code: 'SERVICE_UNAVAILABLE' };
      expect(sample(after, 'graphql_envelop_error_result', labels) - sample(before, 'graphql_envelop_error_result', labels)).toBe(1);
    } finally {
      await broken.close();
    }
  });

  it('times status list builds and counts rate-limit refusals, without refusing the scrape', async () => {
    const before = await scrape();
    const list = await stack.http('/status/badges/revocation/0');
    expect([200, 404]).toContain(list.status);

    // Anonymous requests from this address until the budget is spent.
    let refused = 0;
    for (let i = 0; i < PUBLIC_LIMIT + 1 && refused === 0; i++) {
      const res = await stack.gql('{ me { id } }');
      if (res.status === 429) refused++;
    }
    expect(refused).toBe(1);

    const after = await scrape();
    const moved = (name: string, labels: Record<string, string>) => sample(after, name, labels) - sample(before, name, labels);
    expect(moved('brand_auth_status_list_build_seconds_count', { purpose: 'revocation', status: String(list.status) })).toBe(1);
    expect(moved('brand_auth_rate_limit_refusals_total', { route: 'graphql' })).toBe(1);
  });
});
