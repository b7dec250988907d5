import { getOperationAST, type GraphQLSchema } from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { rootFields } from './root-fields.js';

/**
 * Query fields that change state (verifyProductCode counts every check) carry
 * `extensions: { postOnly: true }`. GET requests are followed by crawlers,
 * link previews and prefetches, and sent by any page with an <img>, so such a
 * field is refused over GET the way yoga refuses mutations over GET.
 */
export function usePostOnlyFields(schema: GraphQLSchema): Plugin {
  const postOnly = new Set(
    Object.values(schema.getQueryType()?.getFields() ?? {})
      .filter((field) => field.extensions.postOnly === true)
      .map((field) => field.name),
  );
  return {
    onParse() {
      return ({ result, context }) => {
        const { request, params } = context as { request?: Request; params?: { operationName?: string | null } };
        if (request?.method !== 'GET' || result instanceof Error || !result) return;
        if (getOperationAST(result, params?.operationName)?.operation !== 'query') return;
        const refused = [...rootFields(result, params?.operationName).names].filter((name) => postOnly.has(name));
        if (refused.length === 0) return;
        throw createGraphQLError(`${refused.join(', ')} changes state, so it is refused over GET: send it with POST.`, {
          extensions: { code: 'METHOD_NOT_ALLOWED', http: { status: 405, headers: { allow: 'POST' } } },
        });
      };
    },
  };
}
