import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { createGraphQLError, type Plugin, type YogaServerOptions } from 'graphql-yoga';
import { namesPersistedOperation } from './storefront-operations.js';

/**
 * Headers that mark a request as sent by a script that was allowed to send it.
 * A web page can make a browser send a GET, a form or a multipart upload to any
 * site without asking; it can't add one of these headers without a CORS
 * preflight, which only CORS_ORIGINS pass.
 */
export const CSRF_HEADERS = ['x-graphql-yoga-csrf', 'apollo-require-preflight'];

/**
 * Refuses GraphQL requests a cross-site page could send without a preflight:
 * GET, multipart and form posts need one of CSRF_HEADERS; JSON posts (what
 * curl -H 'content-type: application/json' and fetch send) pass as they are,
 * and so do GETs of persisted storefront reads, which change nothing.
 */
export function useCsrfPrevention(): Plugin {
  const library = useCSRFPrevention({ requestHeaders: CSRF_HEADERS });
  return {
    async onRequestParse(payload) {
      if (namesPersistedOperation(payload.request)) return;
      try {
        return await library.onRequestParse?.(payload);
      } catch {
        throw createGraphQLError(
          `A GET, form or multipart request must carry the header "${CSRF_HEADERS[0]}: 1" (any value), so that a web page of another site can't send it; JSON requests need none.`,
          { extensions: { code: 'CSRF_HEADER_REQUIRED', http: { status: 403 } } },
        );
      }
    },
  };
}

/**
 * CORS for the configured origins only, never with credentials: the API reads
 * bearer tokens, not cookies, and answers other origins without any CORS
 * header, so their pages can't read the answers.
 */
export function corsFor(origins: readonly string[]): NonNullable<YogaServerOptions<object, object>['cors']> {
  const allowed = new Set(origins);
  return (request: Request) => {
    const origin = request.headers.get('origin');
    if (!origin || !allowed.has(origin)) return false;
    return {
      origin: [origin],
      methods: ['GET', 'POST'],
      allowedHeaders: ['authorization', 'content-type', 'accept', 'x-request-id', ...CSRF_HEADERS],
      exposedHeaders: ['retry-after', 'x-request-id'],
      credentials: false,
      maxAge: 600,
    };
  };
}

/** Browsers must take every answer as the type it says it is, never guess (a JSON error rendered as HTML). */
export function useNoSniff(): Plugin {
  return {
    onResponse({ response }) {
      response.headers.set('x-content-type-options', 'nosniff');
    },
  };
}
