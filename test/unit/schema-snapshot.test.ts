import { describe, expect, it } from 'vitest';
import { schema } from '../../src/schema/index.js';
import {
  allowListTemplate,
  canonicalBaseline,
  printServedSchema,
  readAllowList,
  readBaseline,
  unlistedBreakingChanges,
} from '../../src/schema/schema-baseline.js';

// Pure: builds the schema in-process and reads two committed files; no servers.
describe('served GraphQL schema against the committed SDL (src/schema/schema.graphql)', () => {
  it('has no breaking change that src/schema/allowed-breaking-changes.json does not list', () => {
    const breaking = unlistedBreakingChanges(readBaseline(), schema, readAllowList());
    expect(
      breaking.map((change) => `${change.type}: ${change.description}`),
      `Breaking change(s) to the API. Revert them or, if intended, add them to "allowed" in src/schema/allowed-breaking-changes.json with a reason:\n${allowListTemplate(breaking)}\n`,
    ).toEqual([]);
  });

  it('prints exactly as committed', () => {
    expect(
      printServedSchema(schema),
      'The served schema differs from src/schema/schema.graphql: run npm run schema, review the diff and commit it',
    ).toBe(canonicalBaseline(readBaseline()));
  });
});
