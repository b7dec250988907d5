import type { Result, UserError } from '../errors.js';
import { builder } from './builder.js';

export const UserErrorCodeEnum = builder.enumType('UserErrorCode', {
  values: ['INVALID', 'NOT_FOUND', 'CONFLICT', 'EXPIRED', 'NOT_ALLOWED_IN_STATE', 'LIMIT_EXCEEDED', 'UNSUPPORTED_MEDIA'] as const,
});

export const UserErrorType = builder.objectRef<UserError>('UserError').implement({
  fields: (t) => ({
    code: t.field({ type: UserErrorCodeEnum, resolve: (e) => e.code }),
    field: t.stringList({ nullable: true, resolve: (e) => e.field ?? null }),
    message: t.exposeString('message'),
  }),
});

/** The shape every mutation payload resolves from: the entity, or the errors. */
export interface Payload<T> {
  value: T | null;
  userErrors: UserError[];
}

/** For failures found while parsing arguments, before any service runs. */
export function failedPayload(failure: { errors: UserError[] }): Payload<never> {
  return { value: null, userErrors: failure.errors };
}

export function toPayload<T>(result: Result<T>): Payload<T> {
  return result.ok ? { value: result.value, userErrors: [] } : { value: null, userErrors: result.errors };
}

/**
 * A mutation payload: `<entityField>: <Entity>` (null on failure) and
 * `userErrors`, as every payload of the contract has.
 */
export function entityPayload<Shape extends object>(name: string, entityField: string, entity: object) {
  return builder.objectRef<Payload<Shape>>(name).implement({
    fields: (t) => ({
      // The entity's ref is any object type; Pothos checks the shape at build time.
      [entityField]: t.field({ type: entity as never, nullable: true, resolve: (p: Payload<Shape>) => p.value as never }),
      userErrors: t.field({ type: [UserErrorType], resolve: (p) => p.userErrors }),
    }),
  });
}
