import type { z } from 'zod';
import { addProblem } from './input-validation.js';

/**
 * The `when` of a rule that reads several fields: it runs once those fields
 * parsed, even when others did not, so one answer reports every problem.
 * (zod's default skips an object's refinements after any field's problem.)
 */
export const whenFieldsParsed =
  (...fields: string[]) =>
  (payload: z.core.ParsePayload): boolean =>
    typeof payload.value === 'object' &&
    payload.value !== null &&
    !payload.issues.some((issue) => issue.path !== undefined && fields.includes(String(issue.path[0])));

/**
 * A validity period's rule, as `superRefine` arguments: it ends after it
 * starts, and has not ended yet (EXPIRED, with `expired` as the message).
 */
export function validityPeriod(now: Date, expired: string) {
  return [
    (period: { validFrom: Date; validUntil: Date }, ctx: z.core.$RefinementCtx) => {
      if (period.validUntil <= period.validFrom) addProblem(ctx, 'INVALID', 'validUntil must come after validFrom.', ['validUntil']);
      else if (period.validUntil <= now) addProblem(ctx, 'EXPIRED', expired, ['validUntil']);
    },
    { when: whenFieldsParsed('validFrom', 'validUntil') },
  ] as const;
}
