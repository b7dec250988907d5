import type { Config } from '../config.js';
import type { UserError } from '../errors.js';
import { CURRENCY_CODE, DECIMAL_AMOUNT, capFor, hundredths, minorUnits, usedDecimals } from '../money.js';

// What a reviewer's decision may award. A coupon is money the platform pays
// out, so the amount is capped by configuration and only the currencies the
// platform settles in are accepted.

type PolicyConfig = Pick<Config, 'COMPENSATION_CURRENCIES' | 'COMPENSATION_MAX_AMOUNT'>;

export interface Money {
  amount: string;
  currency: string;
}

/** The first problem with the compensation a decision names, or null. */
export function compensationProblem(money: Money, config: PolicyConfig, field: string[] = ['input', 'compensation']): UserError | null {
  const amountField = [...field, 'amount'];
  const currencyField = [...field, 'currency'];
  if (!DECIMAL_AMOUNT.test(money.amount) || hundredths(money.amount) === 0n) {
    return { code: 'INVALID', field: amountField, message: 'The amount is a positive decimal like 25.00.' };
  }
  if (!CURRENCY_CODE.test(money.currency)) {
    return { code: 'INVALID', field: currencyField, message: 'The currency is an ISO 4217 code like EUR.' };
  }
  if (!config.COMPENSATION_CURRENCIES.includes(money.currency)) {
    return {
      code: 'INVALID',
      field: currencyField,
      message: `Compensation is paid in ${config.COMPENSATION_CURRENCIES.join(', ')}; ${money.currency} is not accepted.`,
    };
  }
  const digits = minorUnits(money.currency);
  if (usedDecimals(money.amount) > digits) {
    return {
      code: 'INVALID',
      field: amountField,
      message: digits === 0 ? `${money.currency} amounts have no decimals.` : `${money.currency} amounts have at most ${digits} decimals.`,
    };
  }
  const cap = capFor(config.COMPENSATION_MAX_AMOUNT, money.currency);
  if (cap === null || hundredths(money.amount)! > hundredths(cap)!) {
    return {
      code: 'LIMIT_EXCEEDED',
      field: amountField,
      message: `A decision awards at most ${cap ?? '0'} ${money.currency}; ${money.amount} is more.`,
    };
  }
  return null;
}

/** Settings that contradict each other, for the config's one error at start. */
export function compensationConfigProblems(
  config: PolicyConfig & Pick<Config, 'COMPLAINT_DEFAULT_COMPENSATION_AMOUNT' | 'COMPLAINT_DEFAULT_COMPENSATION_CURRENCY'>,
): string[] {
  const problems: string[] = [];
  for (const currency of config.COMPENSATION_CURRENCIES) {
    if (capFor(config.COMPENSATION_MAX_AMOUNT, currency) === null) {
      problems.push(`COMPENSATION_MAX_AMOUNT names no cap for ${currency}, which COMPENSATION_CURRENCIES accepts`);
    }
  }
  const fallback = { amount: config.COMPLAINT_DEFAULT_COMPENSATION_AMOUNT, currency: config.COMPLAINT_DEFAULT_COMPENSATION_CURRENCY };
  const problem = problems.length === 0 ? compensationProblem(fallback, config) : null;
  if (problem)
    problems.push(`COMPLAINT_DEFAULT_COMPENSATION_AMOUNT/CURRENCY (${fallback.amount} ${fallback.currency}): ${problem.message}`);
  return problems;
}
