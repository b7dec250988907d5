import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { addProblem, parseInput, requiredText, text } from '../../src/services/input-validation.js';
import { TEXT_RULES } from '../../src/services/text-limits.js';

const schema = z
  .object({
    name: requiredText(TEXT_RULES.storeName),
    caption: text(TEXT_RULES.caption),
    classes: z.array(z.number().int().min(1, 'Classes start at 1.')),
    validFrom: z.date(),
    validUntil: z.date(),
  })
  .superRefine((input, ctx) => {
    if (input.validUntil <= input.validFrom) addProblem(ctx, 'INVALID', 'validUntil must come after validFrom.', ['validUntil']);
  });

describe('input validation', () => {
  it('trims texts and turns an empty optional text into null', () => {
    const parsed = parseInput(schema, {
      name: '  Acme Store ',
      caption: '   ',
      classes: [3],
      validFrom: new Date(0),
      validUntil: new Date(1),
    });
    expect(parsed).toEqual({
      ok: true,
      value: { name: 'Acme Store', caption: null, classes: [3], validFrom: new Date(0), validUntil: new Date(1) },
    });
  });

  it('reports every problem at once, each with its code and the field it names', () => {
    const parsed = parseInput(schema, {
      name: 'x'.repeat(121),
      caption: null,
      classes: [0],
      validFrom: new Date(5),
      validUntil: new Date(1),
    });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors).toEqual([
      {
        code: 'LIMIT_EXCEEDED',
        field: ['input', 'name'],
        message: 'A store name has at most 120 characters; this one has 121 characters.',
      },
      { code: 'INVALID', field: ['input', 'classes', '0'], message: 'Classes start at 1.' },
    ]);
  });

  it('runs cross-field rules once the fields themselves are valid', () => {
    const parsed = parseInput(schema, { name: 'A', classes: [], validFrom: new Date(5), validUntil: new Date(1) }, ['request']);
    expect(parsed).toEqual({
      ok: false,
      errors: [{ code: 'INVALID', field: ['request', 'validUntil'], message: 'validUntil must come after validFrom.' }],
    });
  });
});
