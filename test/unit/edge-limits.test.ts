import { describe, expect, it } from 'vitest';
import { FIELD_COSTS, SIZE_BY_ITEM_TYPE } from '../../src/http/field-costs.js';
import { graphql } from '../../src/http/graphql-runtime.js';
import { parseMultipartRequest } from '../../src/http/multipart-requests.js';
import { measureCost } from '../../src/http/query-cost.js';
import { oneUploadFieldPerOperation } from '../../src/http/upload-mutations.js';
import { configSchema } from '../../src/config.js';
import { schema } from '../../src/schema/index.js';

// Pure: the cost model, the upload rule and the multipart map against the served schema; no servers.
const { getNamedType, getNullableType, isCompositeType, isListType, isObjectType, parse, validate } = graphql;
const defaults = configSchema.parse({
  DATABASE_URL: 'postgresql://x/y',
  TEMPORAL_ADDRESS: 'x:1',
  S3_ENDPOINT: 'http://x',
  S3_ACCESS_KEY_ID: 'x',
  S3_SECRET_ACCESS_KEY: 'x',
  S3_BUCKET: 'bucket',
  PRODUCT_CODE_HMAC_SECRET: 'x'.repeat(32),
});
const cost = (query: string, variables: Record<string, unknown> = {}) => measureCost(schema, parse(query), { variables });
const ids = (count: number) =>
  Array.from({ length: count }, (_, i) => Buffer.from(`Store:00000000-0000-4000-8000-${String(i).padStart(12, '0')}`).toString('base64'));

describe('query cost', () => {
  it('knows a size for every list of objects the schema serves', () => {
    const unbounded = Object.values(schema.getTypeMap())
      .filter((type) => isObjectType(type) && !type.name.startsWith('__'))
      .flatMap((type) =>
        Object.values((type as import('graphql').GraphQLObjectType).getFields())
          .filter((field) => isListType(getNullableType(field.type)) && isCompositeType(getNamedType(field.type)))
          .filter((field) => !(type.name.endsWith('Connection') && field.name === 'edges'))
          .filter(
            (field) => FIELD_COSTS[`${type.name}.${field.name}`]?.size === undefined && !SIZE_BY_ITEM_TYPE[getNamedType(field.type).name],
          )
          .map((field) => `${type.name}.${field.name}`),
      );
    expect(unbounded, 'add each to FIELD_COSTS (src/http/field-costs.ts) with the bound its resolver applies').toEqual([]);
  });

  it.each([
    [
      'the storefront query for 100 stores',
      `query ($ids: [ID!]!) { storeBadges(storeIds: $ids) { storeId badges { kind status label expiresAt brand { slug name } credential } } }`,
      { ids: ids(100) },
      4100,
    ],
    [
      'the storefront query with every badge field',
      `query ($ids: [ID!]!) { storeBadges(storeIds: $ids) { storeId badges { id kind status label issuedAt expiresAt revokedReason credential store { id name } brand { id slug name } } } }`,
      { ids: ids(100) },
      6100,
    ],
    [
      "the README's claim",
      'mutation ($id: ID!) { claimComplaint(input: {complaintId: $id}) { complaint { status evidence { url similarEvidence { id } } } userErrors { code message } } }',
      { id: 'x' },
      8167,
    ],
    ['one product-code check', '{ verifyProductCode(brandSlug: "a", code: "b") { result } }', {}, 2001],
    ['a page of 100 complaints', '{ complaints(first: 100) { edges { node { id } } pageInfo { hasNextPage } } }', {}, 400],
  ])('allows %s', (_name, query, variables, expected) => {
    expect(cost(query, variables)).toEqual({ cost: expected });
    expect(expected).toBeLessThanOrEqual(defaults.QUERY_MAX_COST);
  });

  it.each([
    [
      'six product-code checks',
      `{ ${Array.from({ length: 6 }, (_, i) => `c${i}: verifyProductCode(brandSlug: "a", code: "${i}") { result }`).join(' ')} }`,
      {},
    ],
    [
      'storeBadges for 10,000 stores',
      'query ($ids: [ID!]!) { storeBadges(storeIds: $ids) { badges { brand { name } } } }',
      { ids: ids(10_000) },
    ],
    ['nested lists', '{ me { stores { badges { store { badges { brand { name } } } } } } }', {}],
    ['a wide introspection', '{ __schema { types { fields { args { type { name } } } } } }', {}],
  ])('refuses %s', (_name, query, variables) => {
    const measured = cost(query, variables);
    expect('cost' in measured && measured.cost).toBeGreaterThan(defaults.QUERY_MAX_COST);
  });

  it('leaves variables that do not fit to execution, and stops measuring fragments spread into fragments', () => {
    expect(cost('query ($ids: [ID!]!) { storeBadges(storeIds: $ids) { storeId } }', { ids: null })).toEqual({ invalidVariables: true });
    const fragments = Array.from({ length: 16 }, (_, i) => `fragment f${i} on Query { ...f${i + 1} ...f${i + 1} }`).join(' ');
    expect(cost(`{ ...f0 } ${fragments} fragment f16 on Query { __typename }`)).toEqual({ tooLarge: true });
  });
});

describe('one upload mutation per operation', () => {
  const errorsOf = (query: string) => validate(schema, parse(query), [oneUploadFieldPerOperation]).map((e) => e.message);

  it('allows one, and refuses two through aliases or fragments', () => {
    expect(errorsOf('mutation ($i: AddEvidenceInput!) { addEvidence(input: $i) { evidence { id } } }')).toEqual([]);
    expect(
      errorsOf(
        'mutation ($i: AddEvidenceInput!, $t: SubmitTrademarkInput!) { addEvidence(input: $i) { evidence { id } } submitTrademark(input: $t) { trademark { id } } }',
      ),
    ).toEqual(['An operation runs at most one upload mutation; this one runs 2 (addEvidence, submitTrademark).']);
    expect(
      errorsOf(
        'mutation ($i: AddEvidenceInput!) { ... on Mutation { a: addEvidence(input: $i) { evidence { id } } } ...F } fragment F on Mutation { b: addEvidence(input: $i) { evidence { id } } }',
      ),
    ).toHaveLength(1);
    expect(
      errorsOf('mutation { a: createStore(input: {name: "a"}) { store { id } } b: createStore(input: {name: "b"}) { store { id } } }'),
    ).toEqual([]);
  });
});

describe('the multipart map', () => {
  const limits = { fileBytes: 1024, fieldBytes: 1024 };
  const request = (map: unknown, variables: Record<string, unknown> = { input: { photo: null } }) => {
    const form = new FormData();
    form.append('operations', JSON.stringify({ query: '{ __typename }', variables }));
    form.append('map', JSON.stringify(map));
    form.append('0', new File(['bytes'], 'a.jpg', { type: 'image/jpeg' }));
    return new Request('http://api/graphql', { method: 'POST', body: form });
  };
  const refusal = (map: unknown) =>
    parseMultipartRequest(request(map), limits).then(
      () => null,
      (error: { extensions: Record<string, unknown> }) => error.extensions,
    );

  it('places the file at its one variable', async () => {
    const params = await parseMultipartRequest(request({ 0: ['variables.input.photo'] }), limits);
    expect((params.variables!.input as { photo: File }).photo.name).toBe('a.jpg');
  });

  it('refuses a file mapped to two variables, paths outside the variables, and parts that are not files', async () => {
    expect(await refusal({ 0: ['variables.input.photo', 'variables.other'] })).toMatchObject({ code: 'LIMIT_EXCEEDED', limit: 'fileUses' });
    expect(await refusal({ 0: ['query'] })).toMatchObject({ code: 'BAD_REQUEST' });
    expect(await refusal({ 0: ['variables.__proto__.polluted'] })).toMatchObject({ code: 'BAD_REQUEST' });
    expect(await refusal({ 0: ['variables.missing.photo'] })).toMatchObject({ code: 'BAD_REQUEST' });
    expect(await refusal({ operations: ['variables.input.photo'] })).toMatchObject({ code: 'BAD_REQUEST' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
