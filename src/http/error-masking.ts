import { GraphQLError } from 'graphql';
import type { Logger } from '../logger.js';
import { currentRequestId } from '../logger.js';
import { isConnectionLost } from '../db/connection-lost.js';
import { ForbiddenError, UnauthenticatedError, UnavailableError } from '../errors.js';

// By name, not instanceof: graphql ships CommonJS and ESM builds, and errors
// may come from either copy.
const isGraphQLError = (error: unknown): error is GraphQLError => error instanceof Error && error.name === 'GraphQLError';

function findCause(error: unknown): unknown {
  let current = error;
  while (isGraphQLError(current) && current.originalError) current = current.originalError;
  return current;
}

/**
 * The one place errors are shaped for clients: access errors keep their message
 * and get a code; GraphQL's own errors (syntax, validation, bad variables) pass
 * through; anything else is logged and replaced, so no stack or SQL leaks.
 */
export function createErrorMasker(logger: Logger) {
  return (error: unknown, message: string): Error => {
    const cause = findCause(error);
    const graphQLError = isGraphQLError(error) ? error : undefined;
    if (cause instanceof UnauthenticatedError || cause instanceof ForbiddenError) {
      return new GraphQLError(cause.message, {
        nodes: graphQLError?.nodes,
        path: graphQLError?.path,
        extensions: { code: cause.code, ...(cause instanceof UnauthenticatedError ? { http: { status: 401 } } : {}) },
      });
    }
    // A lost database connection, like a dependency that is down, is worth sending again.
    const unavailable = isConnectionLost(cause)
      ? new UnavailableError('The database connection was lost during this request; send it again.', { cause })
      : cause;
    if (unavailable instanceof UnavailableError) {
      logger.warn({ err: unavailable.cause ?? unavailable }, 'a dependency is unavailable');
      return new GraphQLError(unavailable.message, {
        nodes: graphQLError?.nodes,
        path: graphQLError?.path,
        extensions: { code: unavailable.code, http: { status: 503, headers: { 'retry-after': '5' } } },
      });
    }
    if (graphQLError && (!graphQLError.originalError || isGraphQLError(graphQLError.originalError))) {
      return graphQLError;
    }
    const requestId = currentRequestId();
    logger.error({ err: cause }, 'unexpected error while serving a request');
    return new GraphQLError(message, {
      nodes: graphQLError?.nodes,
      path: graphQLError?.path,
      extensions: { code: 'INTERNAL_SERVER_ERROR', ...(requestId ? { requestId } : {}) },
    });
  };
}
