import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REGISTER_BRAND, SUBMIT_TRADEMARK, registerBrand, trademarkInput } from '../../support/brand-operations.js';
import { multipartBody } from '../../support/http-client.js';
import { registeredProductCode, VERIFY_PRODUCT_CODE } from '../../support/product-code-operations.js';
import { startIdentityProvider, type IdentityProvider } from '../../support/identity-provider.js';
import { pdfFile, rowId, startStack, unique, type Stack } from '../../support/stack.js';

// What a web page of another site can make a visitor's browser do to the API,
// and the defaults that stop it; and what the API hands out in production.

let stack: Stack;
let production: Stack;
let idp: IdentityProvider;
// Production runs only trusted documents; this client may send its own, so what it can learn of the schema is checked.
let opsToken: string;

beforeAll(async () => {
  idp = await startIdentityProvider();
  opsToken = await idp.token('ops-person');
  [stack, production] = await Promise.all([
    startStack({ config: { CORS_ORIGINS: 'https://shop.example, https://brand.example' } }),
    startStack({ config: idp.config({ NODE_ENV: 'production', TRUSTED_DOCUMENTS_ALLOW_CLIENTS: 'ops-person' }) }),
  ]);
});

afterAll(async () => {
  await Promise.all([stack?.close(), production?.close(), idp?.close()]);
});

const getQuery = (s: Stack, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
  s.http(`/graphql?${new URLSearchParams({ query, variables: JSON.stringify(variables) })}`, { headers });

describe('cross-site request forgery', () => {
  it('refuses a multipart upload without the CSRF header before reading it, and stores nothing', async () => {
    const sub = unique('alice');
    const token = await stack.token(sub, ['BRAND']);
    const brand = await registerBrand(stack, token, unique('csrf'));
    const input = trademarkInput(brand.id);
    const form = () => multipartBody(SUBMIT_TRADEMARK, { input }, { 'input.certificate': pdfFile() });
    const written = async () => ({
      trademarks: await stack.db.trademark.count({ where: { brandId: rowId(brand.id) } }),
      documents: await stack.db.document.count({ where: { uploadedBy: { subject: sub } } }),
    });

    // What a page elsewhere can send without a preflight: a form post with the visitor's credentials, if any.
    const forged = await stack.http('/graphql', { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form() });
    expect(forged.status).toBe(403);
    expect(await forged.json()).toMatchObject({
      errors: [
        { message: expect.stringMatching(/must carry the header "x-graphql-yoga-csrf: 1"/), extensions: { code: 'CSRF_HEADER_REQUIRED' } },
      ],
    });
    expect(await written()).toEqual({ trademarks: 0, documents: 0 });

    // The same upload with the header, as the README's curl sends it, goes through.
    const sent = await stack.http('/graphql', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'x-graphql-yoga-csrf': '1' },
      body: form(),
    });
    expect(sent.status).toBe(200);
    expect((await sent.json()).data.submitTrademark.trademark.status).toBe('SUBMITTED');
    expect(await written()).toEqual({ trademarks: 1, documents: 1 });
  });

  it('refuses url-encoded and text/plain form posts, which any page can send', async () => {
    const product = await registeredProductCode(stack);
    const slug = unique('form');
    const urlEncoded = await stack.http('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ query: VERIFY_PRODUCT_CODE, variables: JSON.stringify(product.variables) }),
    });
    const textPlain = await stack.http('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ query: REGISTER_BRAND, variables: { input: { name: 'Forged', slug } } }),
    });
    for (const refused of [urlEncoded, textPlain]) {
      expect(refused.status).toBe(403);
      expect(await refused.json()).toMatchObject({ errors: [{ extensions: { code: 'CSRF_HEADER_REQUIRED' } }] });
    }
    expect(await product.verifications()).toBe(0);
    expect(await stack.db.brand.count({ where: { slug } })).toBe(0);
  });

  it('refuses a GET without the header, and answers a plain read with it', async () => {
    const query = `{ storeBadges(storeIds: []) { storeId } }`;
    const bare = await getQuery(stack, query);
    expect(bare.status).toBe(403);
    expect(await bare.json()).toMatchObject({ errors: [{ extensions: { code: 'CSRF_HEADER_REQUIRED' } }] });
    const withHeader = await getQuery(stack, query, {}, { 'x-graphql-yoga-csrf': '1' });
    expect(withHeader.status).toBe(200);
    expect(await withHeader.json()).toEqual({ data: { storeBadges: [] } });
  });
});

describe('verifyProductCode', () => {
  it('is refused over GET, even with the CSRF header, because it counts: POST only', async () => {
    const product = await registeredProductCode(stack);
    for (let attempt = 0; attempt < 2; attempt++) {
      // Twice: the second time the parsed document comes from yoga's cache.
      const res = await getQuery(stack, VERIFY_PRODUCT_CODE, product.variables, { 'x-graphql-yoga-csrf': '1' });
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('POST');
      expect(await res.json()).toMatchObject({
        errors: [
          {
            message: 'verifyProductCode changes state, so it is refused over GET: send it with POST.',
            extensions: { code: 'METHOD_NOT_ALLOWED' },
          },
        ],
      });
    }
    const hidden = `query ($brandSlug: String!, $code: String!) { ... on Query { v: verifyProductCode(brandSlug: $brandSlug, code: $code) { result } } }`;
    expect((await getQuery(stack, hidden, product.variables, { 'x-graphql-yoga-csrf': '1' })).status).toBe(405);
    expect(await product.verifications()).toBe(0);

    const posted = await stack.gql(VERIFY_PRODUCT_CODE, product.variables);
    expect(posted.body).toEqual({ data: { verifyProductCode: { result: 'GENUINE', verificationCount: 1 } } });
    expect(await product.verifications()).toBe(1);
  });
});

describe('CORS', () => {
  const preflight = (s: Stack, origin: string) =>
    s.http('/graphql', {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
    });
  const fromOrigin = (s: Stack, origin: string) =>
    s.http('/graphql', {
      method: 'POST',
      headers: { origin, 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ storeBadges(storeIds: []) { storeId } }' }),
    });

  it('lets the configured origins read answers, never with credentials', async () => {
    const asked = await preflight(stack, 'https://shop.example');
    expect(asked.status).toBe(204);
    expect(asked.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    expect(asked.headers.get('access-control-allow-headers')).toMatch(/authorization.*content-type.*x-graphql-yoga-csrf/);
    expect(asked.headers.get('access-control-allow-credentials')).toBeNull();

    const answered = await fromOrigin(stack, 'https://brand.example');
    expect(answered.status).toBe(200);
    expect(answered.headers.get('access-control-allow-origin')).toBe('https://brand.example');
    expect(answered.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('gives any other origin no CORS header at all, so its pages cannot read the answers', async () => {
    for (const s of [stack, production]) {
      const asked = await preflight(s, 'https://evil.example');
      expect(asked.headers.get('access-control-allow-origin')).toBeNull();
      expect(asked.headers.get('access-control-allow-credentials')).toBeNull();
      const answered = await fromOrigin(s, 'https://evil.example');
      expect(answered.headers.get('access-control-allow-origin')).toBeNull();
      expect(answered.headers.get('access-control-allow-credentials')).toBeNull();
    }
  });
});

describe('in production', () => {
  const INTROSPECTION = `{ __schema { queryType { name } } }`;
  const TYPO = `{ storeBadge(storeIds: []) { storeId } }`;

  it('refuses introspection', async () => {
    for (const query of [INTROSPECTION, `{ __type(name: "Brand") { fields { name } } }`]) {
      const res = await production.gql(query, {}, { token: opsToken });
      // A validation error: nothing is executed (the HTTP status is yoga's for the Accept header sent, 200 for JSON).
      expect(res.body).toEqual({
        errors: [
          expect.objectContaining({
            message: expect.stringMatching(/^GraphQL introspection has been disabled/),
            extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
          }),
        ],
      });
    }
    // Outside production it answers, for tools.
    expect((await stack.gql(INTROSPECTION)).body).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
  });

  it('suggests no field names', async () => {
    const res = await production.gql(TYPO, {}, { token: opsToken });
    expect(res.body.errors).toMatchObject([{ message: 'Cannot query field "storeBadge" on type "Query".' }]);
    expect(JSON.stringify(res.body)).not.toMatch(/Did you mean|storeBadges/);
    expect((await stack.gql(TYPO)).body.errors).toMatchObject([{ message: expect.stringMatching(/Did you mean "storeBadges"\?/) }]);
  });

  it('serves no GraphiQL', async () => {
    const page = await production.http('/graphql', { headers: { accept: 'text/html' } });
    expect(page.headers.get('content-type') ?? '').not.toMatch(/text\/html/);
    expect(await page.text()).not.toMatch(/<html|graphiql/i);
    const dev = await stack.http('/graphql', { headers: { accept: 'text/html' } });
    expect(dev.headers.get('content-type')).toMatch(/text\/html/);
  });
});

describe('response headers', () => {
  it('tell browsers not to sniff any answer of the API', async () => {
    const answers = [
      await stack.http('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ storeBadges(storeIds: []) { storeId } }' }),
      }),
      await getQuery(stack, '{ storeBadges(storeIds: []) { storeId } }'),
      await stack.http('/healthz'),
      await stack.http('/readyz'),
      await stack.http('/status/badges/revocation'),
      await stack.http('/.well-known/jwks.json'),
      await stack.http('/no-such-page'),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 403, 200, 200, 200, 200, 404]);
    for (const answer of answers) expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('make a certificate download an attachment of its checked type, which the URL holder cannot change', async () => {
    const token = await stack.token(unique('alice'), ['BRAND']);
    const brand = await registerBrand(stack, token, unique('download'));
    const res = await stack.gql(
      SUBMIT_TRADEMARK,
      { input: trademarkInput(brand.id) },
      { token, files: { 'input.certificate': pdfFile('Registration certificate.pdf') } },
    );
    const url: string = res.body.data.submitTrademark.trademark.document.url;

    const download = await fetch(url);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toBe(`attachment; filename*=UTF-8''Registration%20certificate.pdf`);
    expect(download.headers.get('content-type')).toBe('application/pdf');
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await download.text()).startsWith('%PDF-')).toBe(true);

    // The overrides are signed: asking for an inline HTML rendering instead breaks the signature.
    const tampered = url
      .replace(/response-content-type=[^&]+/, 'response-content-type=text%2Fhtml')
      .replace(/response-content-disposition=[^&]+/, 'response-content-disposition=inline');
    expect(tampered).not.toBe(url);
    expect((await fetch(tampered)).status).toBe(403);
  });
});
