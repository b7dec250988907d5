// Amounts of money as the API and the configuration write them: decimal
// strings with at most two decimals. They are compared as whole minor units
// (BigInt), never as floating point, so a cap of 500.00 refuses 500.01.

export const DECIMAL_AMOUNT = /^\d{1,8}(\.\d{1,2})?$/;
export const CURRENCY_CODE = /^[A-Z]{3}$/;

/** The amount in hundredths, or null when it is not a decimal amount. */
export function hundredths(amount: string): bigint | null {
  if (!DECIMAL_AMOUNT.test(amount)) return null;
  const [whole, fraction = ''] = amount.split('.');
  return BigInt(whole!) * 100n + BigInt(fraction.padEnd(2, '0'));
}

/** ISO 4217 minor units (JPY 0, EUR 2), from the runtime's own currency data. */
export function minorUnits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** Digits after the decimal point that are not zero, e.g. 1 for "35.50", 0 for "35.00". */
export function usedDecimals(amount: string): number {
  const fraction = (amount.split('.')[1] ?? '').replace(/0+$/, '');
  return fraction.length;
}

/**
 * `COMPENSATION_MAX_AMOUNT`: one amount for every currency ("500.00"), or a cap
 * per currency ("USD:500,EUR:500,JPY:75000"). The key `*` holds the former.
 */
export type AmountCaps = Readonly<Record<string, string>>;

export function parseAmountCaps(text: string): { caps: AmountCaps } | { problem: string } {
  const trimmed = text.trim();
  if (DECIMAL_AMOUNT.test(trimmed)) return { caps: { '*': trimmed } };
  const caps: Record<string, string> = {};
  for (const entry of trimmed.split(',')) {
    const [currency = '', amount = ''] = entry.split(':').map((part) => part.trim());
    if (!CURRENCY_CODE.test(currency) || !DECIMAL_AMOUNT.test(amount)) {
      return { problem: 'must be an amount like 500.00, or caps per currency like USD:500,EUR:500,JPY:75000' };
    }
    caps[currency] = amount;
  }
  return { caps };
}

export function capFor(caps: AmountCaps, currency: string): string | null {
  return caps[currency] ?? caps['*'] ?? null;
}

export function parseCurrencyList(text: string): { currencies: string[] } | { problem: string } {
  const currencies = [...new Set(text.split(',').map((c) => c.trim().toUpperCase()))].filter((c) => c.length > 0);
  if (currencies.length === 0 || currencies.some((c) => !CURRENCY_CODE.test(c))) {
    return { problem: 'must be ISO 4217 codes separated by commas, like USD,EUR' };
  }
  return { currencies };
}
