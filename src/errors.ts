// Two kinds of failure. Expected ones are `UserError` values returned by
// services and shown as `userErrors`. Access failures are thrown as the classes
// below and mapped once, in the app, to GraphQL errors with a code.

export type UserErrorCode =
  'INVALID' | 'NOT_FOUND' | 'CONFLICT' | 'EXPIRED' | 'NOT_ALLOWED_IN_STATE' | 'LIMIT_EXCEEDED' | 'UNSUPPORTED_MEDIA';

export interface UserError {
  code: UserErrorCode;
  field?: string[];
  message: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; errors: UserError[] };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });

export function fail(code: UserErrorCode, message: string, field?: string[]): { ok: false; errors: UserError[] } {
  return { ok: false, errors: [{ code, message, ...(field ? { field } : {}) }] };
}

export class UnauthenticatedError extends Error {
  readonly code = 'UNAUTHENTICATED';
  constructor(message = 'Sign in with a bearer token to do this.') {
    super(message);
  }
}

export class ForbiddenError extends Error {
  readonly code = 'FORBIDDEN';
  constructor(message = 'You are not allowed to do this.') {
    super(message);
  }
}

/**
 * A dependency (Temporal, object storage) is down, so nothing was done. Clients
 * get SERVICE_UNAVAILABLE with HTTP 503 and may send the same request again.
 */
export class UnavailableError extends Error {
  readonly code = 'SERVICE_UNAVAILABLE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
