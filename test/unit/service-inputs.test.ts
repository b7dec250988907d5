import { describe, expect, it } from 'vitest';
import { parseInput } from '../../src/services/input-validation.js';
import { letterInputSchema } from '../../src/services/authorization-letters.js';
import { brandInputSchema } from '../../src/services/brands.js';
import { registerCodesSchema, revokeCodesSchema } from '../../src/services/product-codes.js';
import { reviewDecisionSchema } from '../../src/services/review-flow.js';
import { roleChangeSchema } from '../../src/services/role-grants.js';
import { trademarkInputSchema } from '../../src/services/trademarks.js';

// Each service's input schema reports every problem of an input at once, each
// naming its field; cross-field rules run even when other fields are wrong.

const now = new Date('2026-06-01T00:00:00Z');
const day = 86_400_000;
const at = (offsetDays: number) => new Date(now.getTime() + offsetDays * day);
const codesOf = (result: { ok: boolean; errors?: { code: string; field?: string[] }[] }) =>
  result.ok ? [] : result.errors!.map((e) => [e.code, e.field!.join('.')]);

describe('trademark submissions', () => {
  const valid = {
    registrationNumber: ' REG-1 ',
    office: ' euipo ',
    niceClasses: [25, 3],
    holderName: ' Holder Ltd ',
    validFrom: at(-1),
    validUntil: at(365),
  };

  it('normalizes the office, the classes and the texts', () => {
    expect(parseInput(trademarkInputSchema(now), valid)).toEqual({
      ok: true,
      value: { ...valid, registrationNumber: 'REG-1', office: 'EUIPO', niceClasses: [3, 25], holderName: 'Holder Ltd' },
    });
  });

  it('reports every problem at once, the validity among them', () => {
    const parsed = parseInput(trademarkInputSchema(now), {
      registrationNumber: '',
      office: 'U.S. PTO',
      niceClasses: [25, 25, 46],
      holderName: 'x'.repeat(201),
      validFrom: at(2),
      validUntil: at(1),
    });
    expect(codesOf(parsed)).toEqual([
      ['INVALID', 'input.registrationNumber'],
      ['INVALID', 'input.office'],
      ['INVALID', 'input.niceClasses'],
      ['LIMIT_EXCEEDED', 'input.holderName'],
      ['INVALID', 'input.validUntil'],
    ]);
  });

  it('calls a registration that has ended EXPIRED', () => {
    expect(parseInput(trademarkInputSchema(now), { ...valid, validFrom: at(-30), validUntil: now })).toEqual({
      ok: false,
      errors: [{ code: 'EXPIRED', field: ['input', 'validUntil'], message: 'This registration has already expired.' }],
    });
  });
});

describe('letter submissions', () => {
  it('reports an empty scope and an expired letter together', () => {
    expect(parseInput(letterInputSchema(now), { scope: '  ', validFrom: at(-30), validUntil: at(-1) })).toEqual({
      ok: false,
      errors: [
        { code: 'INVALID', field: ['input', 'scope'], message: 'The scope has 1 to 500 characters, e.g. "All products, EU marketplaces".' },
        { code: 'EXPIRED', field: ['input', 'validUntil'], message: 'This letter has already expired.' },
      ],
    });
  });
});

describe('review decisions', () => {
  it('need a note for a rejection, naming whom it tells', () => {
    expect(parseInput(reviewDecisionSchema('store'), { approve: false, note: '   ' })).toEqual({
      ok: false,
      errors: [{ code: 'INVALID', field: ['input', 'note'], message: 'A rejection needs a note telling the store why.' }],
    });
    expect(parseInput(reviewDecisionSchema('brand'), { approve: true, note: '  ' })).toEqual({
      ok: true,
      value: { approve: true, note: null },
    });
  });
});

describe('brands and role grants', () => {
  it('report a bad name and a bad slug together', () => {
    expect(codesOf(parseInput(brandInputSchema, { name: 'x'.repeat(121), slug: 'Bad Slug' }))).toEqual([
      ['LIMIT_EXCEEDED', 'input.name'],
      ['INVALID', 'input.slug'],
    ]);
  });

  it('grant only server-held roles, with a reason', () => {
    expect(parseInput(roleChangeSchema, { role: 'MERCHANT', reason: ' ' })).toEqual({
      ok: false,
      errors: [
        {
          code: 'INVALID',
          field: ['input', 'role'],
          message: "Only REVIEWER and ADMIN are granted on the server; other roles come from the identity provider's groups.",
        },
        { code: 'INVALID', field: ['input', 'reason'], message: 'A reason has 1 to 500 characters.' },
      ],
    });
  });
});

describe('product code batches', () => {
  it('trim codes and keep each once', () => {
    expect(parseInput(registerCodesSchema, { sku: ' SKU ', codes: ['ABCD-1', ' ABCD-1 ', 'ABCD-2'] })).toEqual({
      ok: true,
      value: { sku: 'SKU', batch: null, codes: ['ABCD-1', 'ABCD-2'] },
    });
  });

  it('report labels and codes together, naming the first bad codes and counting the rest', () => {
    const codes = Array.from({ length: 25 }, (_, i) => `bad ${i}`);
    const parsed = parseInput(registerCodesSchema, { sku: '', batch: 'b'.repeat(65), codes });
    expect(codesOf(parsed)).toEqual([
      ['INVALID', 'input.sku'],
      ['INVALID', 'input.batch'],
      ...Array.from({ length: 20 }, (_, i) => ['INVALID', `input.codes.${i}`]),
      ['INVALID', 'input.codes'],
    ]);
    expect(parsed.ok || parsed.errors.at(-1)!.message).toBe('5 more codes are invalid.');
  });

  it('refuse an empty batch and one over the cap', () => {
    expect(parseInput(revokeCodesSchema, { codes: [] })).toEqual({
      ok: false,
      errors: [{ code: 'INVALID', field: ['input', 'codes'], message: 'Send at least one code.' }],
    });
    expect(codesOf(parseInput(revokeCodesSchema, { codes: Array.from({ length: 10_001 }, (_, i) => `CODE-${i}`) }))).toEqual([
      ['LIMIT_EXCEEDED', 'input.codes'],
    ]);
  });
});
