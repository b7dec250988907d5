import type { UserError } from '../errors.js';

// Every free-text input has a cap, so no caller can make the service store,
// index, send through Temporal and render megabytes of text per field. The caps
// are generous for what a person writes there; they are product rules, not
// settings. A text over its cap is LIMIT_EXCEEDED, a missing or too short one
// INVALID; either names the field.

export interface TextRule {
  /** How the message names the field, e.g. "A store name". */
  label: string;
  min: number;
  max: number;
  /** What to say when the text is missing or too short, where the default reads badly. */
  short?: string;
}

export const TEXT_RULES = {
  brandName: { label: 'A brand name', min: 1, max: 120 },
  storeName: { label: 'A store name', min: 1, max: 120 },
  registrationNumber: { label: 'A registration number', min: 1, max: 64 },
  holderName: { label: 'The holder name', min: 1, max: 200 },
  letterScope: { label: 'The scope', min: 1, max: 500, short: 'The scope has 1 to 500 characters, e.g. "All products, EU marketplaces".' },
  productLabel: { label: 'A SKU or batch', min: 1, max: 64 },
  orderReference: { label: 'The order reference', min: 1, max: 100 },
  description: { label: 'The description', min: 10, max: 5000, short: 'Describe the problem in 10 to 5000 characters.' },
  caption: { label: 'A caption', min: 0, max: 500 },
  statement: { label: 'The statement', min: 1, max: 5000, short: 'The statement is empty.' },
  decisionNote: { label: 'A decision note', min: 1, max: 5000, short: 'A decision needs a note for both sides.' },
  appealReason: { label: 'An appeal reason', min: 1, max: 2000, short: 'An appeal needs a reason.' },
  reviewNote: { label: 'A review note', min: 0, max: 2000 },
  revocationReason: { label: 'A revocation reason', min: 1, max: 1000, short: 'A revocation needs a reason.' },
} as const satisfies Record<string, TextRule>;

const characters = (n: number) => `${n} character${n === 1 ? '' : 's'}`;

/**
 * The text, trimmed (null when empty and allowed to be), or the problem with it.
 * Length is counted in UTF-16 code units, as the database and GraphQL count it.
 */
export function checkText(
  value: string | null | undefined,
  rule: TextRule,
  field: string[],
): { ok: true; value: string | null } | { ok: false; error: UserError } {
  const text = (value ?? '').trim();
  if (text.length > rule.max) {
    return {
      ok: false,
      error: {
        code: 'LIMIT_EXCEEDED',
        field,
        message: `${rule.label} has at most ${characters(rule.max)}; this one has ${characters(text.length)}.`,
      },
    };
  }
  if (text.length < rule.min) {
    return {
      ok: false,
      error: { code: 'INVALID', field, message: rule.short ?? `${rule.label} has ${rule.min} to ${rule.max} characters.` },
    };
  }
  return { ok: true, value: text.length === 0 ? null : text };
}

/** Checks several texts at once; every problem is reported, not only the first. */
export function checkTexts<K extends string>(
  entries: Record<K, [string | null | undefined, TextRule, string[]]>,
): { ok: true; values: Record<K, string | null> } | { ok: false; errors: UserError[] } {
  const values = {} as Record<K, string | null>;
  const errors: UserError[] = [];
  for (const key of Object.keys(entries) as K[]) {
    const [value, rule, field] = entries[key];
    const checked = checkText(value, rule, field);
    if (checked.ok) values[key] = checked.value;
    else errors.push(checked.error);
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, values };
}
