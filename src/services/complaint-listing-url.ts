import { z } from 'zod';
import { addProblem } from './input-validation.js';

// The listing a consumer bought from, as they give it: a web address a
// reviewer can open, nothing else (no javascript:, data: or file: links, no
// credentials), and short enough to store and show.

export const LISTING_URL_MAX_LENGTH = 2048;

export const LISTING_URL_INVALID_MESSAGE =
  'The listing URL must be a web address starting with http:// or https://, e.g. https://shop.example/item/123.';

/** Why `value` is not a listing URL, or null when it is one. */
export function listingUrlProblem(value: string): { code: 'INVALID' | 'LIMIT_EXCEEDED'; message: string } | null {
  if (value.length > LISTING_URL_MAX_LENGTH)
    return {
      code: 'LIMIT_EXCEEDED',
      message: `The listing URL has at most ${LISTING_URL_MAX_LENGTH} characters; this one has ${value.length}.`,
    };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { code: 'INVALID', message: LISTING_URL_INVALID_MESSAGE };
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '')
    return { code: 'INVALID', message: LISTING_URL_INVALID_MESSAGE };
  if (url.username !== '' || url.password !== '')
    return { code: 'INVALID', message: 'The listing URL may not hold a user name or password.' };
  return null;
}

/** An optional listing URL: trimmed, null when empty. */
export const listingUrl = z
  .string()
  .nullish()
  .transform((value, ctx) => {
    const given = (value ?? '').trim();
    if (given === '') return null;
    const problem = listingUrlProblem(given);
    if (!problem) return given;
    addProblem(ctx, problem.code, problem.message);
    return z.NEVER;
  });
