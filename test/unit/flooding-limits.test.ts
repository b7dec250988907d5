import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { hundredths, minorUnits, parseAmountCaps } from '../../src/money.js';
import { compensationProblem } from '../../src/services/compensation-policy.js';
import { TEXT_RULES, checkText, checkTexts } from '../../src/services/text-limits.js';
import { minimalEnv } from '../support/config-fixture.js';

const env = minimalEnv;

const problemsOf = (overrides: Record<string, string>) => {
  try {
    loadConfig({ ...env, ...overrides });
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
};

describe('flooding limits in the configuration', () => {
  it('default to 10 photos a side, 5 open complaints, 2 decodes at once, capped compensation in five currencies', () => {
    expect(loadConfig(env)).toMatchObject({
      EVIDENCE_MAX_PER_SIDE: 10,
      OPEN_COMPLAINTS_MAX_PER_CONSUMER: 5,
      IMAGE_DECODE_CONCURRENCY: 2,
      COMPENSATION_CURRENCIES: ['USD', 'EUR', 'GBP', 'CNY', 'JPY'],
      COMPENSATION_MAX_AMOUNT: { USD: '500', EUR: '500', GBP: '500', CNY: '3500', JPY: '75000' },
    });
  });

  it('take one cap for every currency, or one per currency', () => {
    expect(loadConfig({ ...env, COMPENSATION_MAX_AMOUNT: '250.00' }).COMPENSATION_MAX_AMOUNT).toEqual({ '*': '250.00' });
    expect(loadConfig({ ...env, COMPENSATION_CURRENCIES: ' usd, eur ', COMPENSATION_MAX_AMOUNT: 'USD:30,EUR:20' })).toMatchObject({
      COMPENSATION_CURRENCIES: ['USD', 'EUR'],
      COMPENSATION_MAX_AMOUNT: { USD: '30', EUR: '20' },
    });
  });

  it('refuse settings that are malformed or contradict each other, in the one config error', () => {
    expect(problemsOf({ IMAGE_DECODE_CONCURRENCY: '0', EVIDENCE_MAX_PER_SIDE: 'many' })).toEqual([
      expect.stringMatching(/^EVIDENCE_MAX_PER_SIDE /),
      expect.stringMatching(/^IMAGE_DECODE_CONCURRENCY /),
    ]);
    expect(problemsOf({ COMPENSATION_MAX_AMOUNT: 'lots' })).toEqual([
      'COMPENSATION_MAX_AMOUNT must be an amount like 500.00, or caps per currency like USD:500,EUR:500,JPY:75000',
    ]);
    expect(problemsOf({ COMPENSATION_CURRENCIES: 'USD,euro' })).toEqual([
      'COMPENSATION_CURRENCIES must be ISO 4217 codes separated by commas, like USD,EUR',
    ]);
    expect(problemsOf({ COMPENSATION_CURRENCIES: 'USD,CHF' })).toEqual([
      'COMPENSATION_MAX_AMOUNT names no cap for CHF, which COMPENSATION_CURRENCIES accepts',
    ]);
    expect(problemsOf({ COMPENSATION_CURRENCIES: 'EUR', COMPENSATION_MAX_AMOUNT: '100' })).toEqual([
      'COMPLAINT_DEFAULT_COMPENSATION_AMOUNT/CURRENCY (20.00 USD): Compensation is paid in EUR; USD is not accepted.',
    ]);
    expect(problemsOf({ COMPENSATION_MAX_AMOUNT: '10.00' })).toEqual([
      'COMPLAINT_DEFAULT_COMPENSATION_AMOUNT/CURRENCY (20.00 USD): A decision awards at most 10.00 USD; 20.00 is more.',
    ]);
  });
});

describe('money', () => {
  it('compares amounts in whole hundredths, never in floating point', () => {
    expect([hundredths('0.1'), hundredths('500'), hundredths('500.01'), hundredths('12345678.99')]).toEqual([
      10n,
      50000n,
      50001n,
      1234567899n,
    ]);
    expect([hundredths('1e3'), hundredths('-1'), hundredths('1.005'), hundredths('')]).toEqual([null, null, null, null]);
    expect([minorUnits('JPY'), minorUnits('EUR'), minorUnits('USD')]).toEqual([0, 2, 2]);
    expect(parseAmountCaps('USD:1,EUR')).toHaveProperty('problem');
  });

  const policy = { COMPENSATION_CURRENCIES: ['USD', 'JPY'], COMPENSATION_MAX_AMOUNT: { USD: '500', JPY: '75000' } };
  it.each([
    [{ amount: '500.00', currency: 'USD' }, null],
    [{ amount: '500.01', currency: 'USD' }, ['LIMIT_EXCEEDED', 'amount']],
    [{ amount: '0.00', currency: 'USD' }, ['INVALID', 'amount']],
    [{ amount: '75000', currency: 'JPY' }, null],
    [{ amount: '100.50', currency: 'JPY' }, ['INVALID', 'amount']],
    [{ amount: '100.00', currency: 'JPY' }, null],
    [{ amount: '10', currency: 'EUR' }, ['INVALID', 'currency']],
    [{ amount: '10', currency: 'usd' }, ['INVALID', 'currency']],
  ])('%j → %j', (money, expected) => {
    const problem = compensationProblem(money, policy);
    expect(problem && [problem.code, problem.field!.at(-1)]).toEqual(expected);
  });
});

describe('text limits', () => {
  it('refuse a text over its cap as LIMIT_EXCEEDED and a missing one as INVALID, naming the field', () => {
    expect(checkText('x'.repeat(5001), TEXT_RULES.statement, ['input', 'statement'])).toEqual({
      ok: false,
      error: {
        code: 'LIMIT_EXCEEDED',
        field: ['input', 'statement'],
        message: 'The statement has at most 5000 characters; this one has 5001 characters.',
      },
    });
    expect(checkText('   ', TEXT_RULES.statement, ['input', 'statement'])).toEqual({
      ok: false,
      error: { code: 'INVALID', field: ['input', 'statement'], message: 'The statement is empty.' },
    });
    expect(checkText('  fine  ', TEXT_RULES.statement, ['s'])).toEqual({ ok: true, value: 'fine' });
    expect(checkText(null, TEXT_RULES.caption, ['c'])).toEqual({ ok: true, value: null });
    expect(checkText('x'.repeat(5000), TEXT_RULES.description, ['d'])).toMatchObject({ ok: true });
  });

  it('report every field at fault at once', () => {
    const checked = checkTexts({
      orderReference: ['', TEXT_RULES.orderReference, ['input', 'orderReference']],
      description: ['x'.repeat(5001), TEXT_RULES.description, ['input', 'description']],
    });
    expect(checked.ok ? [] : checked.errors.map((e) => [e.code, e.field])).toEqual([
      ['INVALID', ['input', 'orderReference']],
      ['LIMIT_EXCEEDED', ['input', 'description']],
    ]);
  });

  it('cap every free-text field', () => {
    for (const rule of Object.values(TEXT_RULES)) expect(rule.max).toBeLessThanOrEqual(5000);
  });
});
