import { z } from 'zod';
import { ok, type Result, type UserError, type UserErrorCode } from '../errors.js';
import { checkText, type TextRule } from './text-limits.js';

// Service inputs are checked by zod schemas, and every service turns zod's
// issues into userErrors here, so each input reports all of its problems, each
// naming its field, the same way everywhere.

const USER_ERROR_CODES = new Set<UserErrorCode>([
  'INVALID',
  'NOT_FOUND',
  'CONFLICT',
  'EXPIRED',
  'NOT_ALLOWED_IN_STATE',
  'LIMIT_EXCEEDED',
  'UNSUPPORTED_MEDIA',
]);

/** Adds a problem with its userError code to a refinement or transform. */
export function addProblem(
  ctx: { addIssue(issue: z.core.$ZodRawIssue): void },
  code: UserErrorCode,
  message: string,
  path?: PropertyKey[],
): void {
  ctx.addIssue({ code: 'custom', message, params: { userErrorCode: code }, ...(path ? { path } : {}), input: undefined });
}

/** The userError for one zod issue; fields are named from `at` (e.g. ['input']) down. */
export function userErrorOf(issue: z.core.$ZodIssue, at: string[]): UserError {
  const declared = issue.code === 'custom' ? (issue.params?.userErrorCode as UserErrorCode | undefined) : undefined;
  const code: UserErrorCode =
    declared && USER_ERROR_CODES.has(declared) ? declared : issue.code === 'too_big' ? 'LIMIT_EXCEEDED' : 'INVALID';
  return { code, field: [...at, ...issue.path.map(String)], message: issue.message };
}

/** Parses `input` with `schema`; every problem becomes a userError. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, at: string[] = ['input']): Result<z.output<S>> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return ok(parsed.data);
  return { ok: false, errors: parsed.error.issues.map((issue) => userErrorOf(issue, at)) };
}

/** A free-text field under its rule: trimmed, null when empty and allowed to be; too long is LIMIT_EXCEEDED, too short INVALID. */
export const text = (rule: TextRule) =>
  z
    .string()
    .nullish()
    .transform((value, ctx) => {
      const checked = checkText(value, rule, []);
      if (checked.ok) return checked.value;
      addProblem(ctx, checked.error.code, checked.error.message);
      return z.NEVER;
    });

/** A required free-text field: as `text`, never null. */
export const requiredText = (rule: TextRule) => text(rule).transform((value) => value ?? '');
