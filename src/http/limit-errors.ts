import type { ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { graphql } from './graphql-runtime.js';

/** Which of the edge's limits refused a request; clients read it from `extensions.limit`. */
export type EdgeLimit =
  | 'depth'
  | 'aliases'
  | 'directives'
  | 'tokens'
  | 'cost'
  | 'bodyBytes'
  | 'multipartFields'
  | 'multipartFiles'
  | 'multipartParts'
  | 'multipartFieldBytes'
  | 'fileBytes'
  | 'fileUses'
  | 'uploadMutations';

/**
 * A request refused at the edge for asking too much. The code is the one the
 * API uses for every limit (LIMIT_EXCEEDED, as in `userErrors`), `limit` says
 * which. Status 400 for a document, 413 for a body (see `useLimitStatus`).
 */
export function limitExceeded(limit: EdgeLimit, message: string, details: { max: number; actual?: number; status?: 400 | 413 }) {
  const status = details.status ?? 400;
  return new graphql.GraphQLError(message, {
    extensions: {
      code: 'LIMIT_EXCEEDED',
      limit,
      max: details.max,
      ...(details.actual !== undefined ? { actual: details.actual } : {}),
      http: { status },
    },
  });
}

const isLimit = (error: { extensions?: Record<string, unknown> }) => error.extensions?.code === 'LIMIT_EXCEEDED';

/**
 * Keeps a refusal's status. Yoga answers clients that accept application/json
 * with 200 for errors it calls the spec's (a document that fails to parse,
 * which is where the token limit stops), as the GraphQL-over-HTTP spec has it
 * for malformed documents; a request refused for its size is not malformed.
 */
export function useLimitStatus(): Plugin {
  return {
    onResultProcess({ result, setResult }) {
      if (Array.isArray(result) || !('errors' in result)) return;
      const { errors, extensions } = result as ExecutionResult;
      const status = Math.max(
        0,
        ...(errors ?? []).filter(isLimit).map((error) => Number((error.extensions.http as { status?: number })?.status ?? 0)),
      );
      if (status > 0) setResult({ ...result, extensions: { ...extensions, http: { ...(extensions?.http as object), status } } });
    },
  };
}
