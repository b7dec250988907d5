import type { Plugin } from 'graphql-yoga';
import type { Config } from '../config.js';
import { formDataLimits, multipartMaxBytes, useMultipartRequests, type MultipartLimits } from './multipart-requests.js';
import { useQueryCost } from './query-cost.js';
import { queryShapeLimits } from './query-shape-limits.js';
import { useRequestBodyLimits } from './request-body-limits.js';
import { useOneUploadPerOperation } from './upload-mutations.js';
import { useLimitStatus } from './limit-errors.js';

type LimitsConfig = Pick<
  Config,
  'QUERY_MAX_DEPTH' | 'QUERY_MAX_ALIASES' | 'QUERY_MAX_DIRECTIVES' | 'QUERY_MAX_TOKENS' | 'QUERY_MAX_COST' | 'REQUEST_BODY_MAX_BYTES'
>;

/**
 * What a request may ask of the API, checked before anything runs: the body
 * (size, multipart fields and files, a signed-in caller for uploads), then the
 * document (shape, cost, one upload mutation). Each refusal is a GraphQL error
 * with code LIMIT_EXCEEDED (UNAUTHENTICATED for an anonymous upload).
 */
export function edgeLimits(
  config: LimitsConfig,
  options: { multipartFileBytes: number; authenticate: (request: Request) => Promise<unknown> },
): { formDataLimits: ReturnType<typeof formDataLimits>; maxRequestBodySize: false; plugins: Plugin[] } {
  const multipart: MultipartLimits = { fileBytes: options.multipartFileBytes, fieldBytes: config.REQUEST_BODY_MAX_BYTES };
  return {
    formDataLimits: formDataLimits(multipart),
    // useRequestBodyLimits caps every body; yoga's cap would count each one a second time.
    maxRequestBodySize: false,
    plugins: [
      // Sets the multipart parser, which the body limits then wrap.
      useMultipartRequests({ authenticate: options.authenticate, limits: multipart }),
      useRequestBodyLimits({ maxBytes: config.REQUEST_BODY_MAX_BYTES, multipartMaxBytes: multipartMaxBytes(multipart) }),
      ...queryShapeLimits({
        maxDepth: config.QUERY_MAX_DEPTH,
        maxAliases: config.QUERY_MAX_ALIASES,
        maxDirectives: config.QUERY_MAX_DIRECTIVES,
        maxTokens: config.QUERY_MAX_TOKENS,
      }),
      useQueryCost({ maxCost: config.QUERY_MAX_COST }),
      useOneUploadPerOperation(),
      useLimitStatus(),
    ],
  };
}
