import { createHash, timingSafeEqual } from 'node:crypto';
import type { DocumentNode, GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { createCounter, createHistogram, usePrometheus } from '@graphql-yoga/plugin-prometheus';
import { isConnectionLost } from '../db/connection-lost.js';
import { ForbiddenError, UnauthenticatedError, UnavailableError } from '../errors.js';
import { rootFields } from '../http/root-fields.js';
import { isUploadedFile, type UploadedFile } from '../services/uploaded-files.js';
import type { Metrics } from './metrics.js';

export interface MetricsPluginOptions {
  metrics: Metrics;
  /** The bearer token GET /metrics asks for; without one, /metrics is not served. */
  token: string | undefined;
}

/**
 * Which operation a series counts, bounded by the schema rather than by what
 * clients send: the root field asked for, or `multiple`. Operation names are
 * the client's to choose, and one label value per name would let any caller
 * grow the registry without end.
 */
export function operationLabel(document: DocumentNode | undefined, operationName: string | null | undefined): string {
  if (!document) return 'none';
  const { names } = rootFields(document, operationName);
  if (names.size === 0) return 'none';
  return names.size === 1 ? [...names][0]! : 'multiple';
}

/**
 * The code a client sees for an error (src/http/error-masking.ts gives it after
 * these hooks run): that of the service's own errors along the cause chain,
 * else the GraphQL error's, else what GraphQL's phase implies.
 */
export function clientErrorCode(error: unknown, phase: string | undefined): string {
  let current = error;
  for (let depth = 0; current && depth < 8; depth++) {
    if (current instanceof UnauthenticatedError || current instanceof ForbiddenError || current instanceof UnavailableError)
      return current.code;
    if (isConnectionLost(current)) return 'SERVICE_UNAVAILABLE';
    const code = (current as GraphQLError).extensions?.code;
    if (typeof code === 'string') return code;
    current = (current as GraphQLError).originalError;
  }
  if (phase === 'parse') return 'GRAPHQL_PARSE_FAILED';
  if (phase === 'validate') return 'GRAPHQL_VALIDATION_FAILED';
  return 'INTERNAL_SERVER_ERROR';
}

const routeOf = (pathname: string) => {
  if (pathname === '/graphql') return 'graphql';
  if (pathname.startsWith('/status/badges')) return 'status-list';
  return 'other';
};

const STATUS_PURPOSE = /^\/status\/badges\/(revocation|suspension)(?:\/|$)/;

const digest = (text: string) => createHash('sha256').update(text).digest();

/** Whether the request carries `Authorization: Bearer <token>`, compared in constant time. */
function carriesToken(request: Request, expected: Buffer): boolean {
  const match = /^Bearer\s+(\S+)$/i.exec(request.headers.get('authorization') ?? '');
  return !!match && timingSafeEqual(digest(match[1]!), expected);
}

/** Walks the variables of an operation for the files uploaded with it (multipart requests put them there). */
function uploadedFiles(value: unknown, found: UploadedFile[] = [], depth = 0): UploadedFile[] {
  if (depth > 8 || value === null || typeof value !== 'object') return found;
  if (isUploadedFile(value)) found.push(value);
  else for (const item of Array.isArray(value) ? value : Object.values(value)) uploadedFiles(item, found, depth + 1);
  return found;
}

/**
 * GET /metrics for Prometheus, and what feeds it: request rate and latency per
 * operation, errors by code, rate-limit refusals, upload sizes and status
 * list builds. The scrape answers before the rate limit, so a busy client
 * never blinds monitoring; without the token it is 401, and with no token
 * configured the path does not exist.
 */
export function useMetrics({ metrics, token }: MetricsPluginOptions): Plugin[] {
  const { registry } = metrics;
  const expected = token ? digest(token) : null;
  const started = new WeakMap<Request, number>();

  const endpoint: Plugin = {
    async onRequest({ request, url, endResponse }) {
      if (url.pathname !== '/metrics' || !expected) return;
      if (request.method !== 'GET') return endResponse(new Response(null, { status: 405, headers: { allow: 'GET' } }));
      if (!carriesToken(request, expected)) {
        return endResponse(
          new Response('A bearer token is needed for /metrics.', { status: 401, headers: { 'www-authenticate': 'Bearer' } }),
        );
      }
      endResponse(
        new Response(await registry.metrics(), { headers: { 'content-type': registry.contentType, 'cache-control': 'no-store' } }),
      );
    },
  };

  const edges: Plugin = {
    onRequest({ request, url }) {
      if (STATUS_PURPOSE.test(url.pathname)) started.set(request, performance.now());
    },
    onResponse({ request, response }) {
      const pathname = new URL(request.url).pathname;
      if (response.status === 429) metrics.rateLimitRefusals.inc({ route: routeOf(pathname) });
      const start = started.get(request);
      if (start !== undefined) {
        const purpose = STATUS_PURPOSE.exec(pathname)![1]!;
        metrics.statusListBuilds.observe({ purpose, status: String(response.status) }, (performance.now() - start) / 1000);
      }
    },
    onExecute({ args }) {
      const files = uploadedFiles(args.variableValues);
      if (files.length === 0) return;
      const operation = operationLabel(args.document, args.operationName);
      for (const file of files) metrics.uploadBytes.observe({ operation }, file.size);
    },
  };

  const labelsOf = (params: { document?: DocumentNode; operationName?: string; operationType?: string }) => ({
    operationType: params.operationType ?? 'unknown',
    operation: operationLabel(params.document, params.operationName),
  });

  const graphql = usePrometheus({
    registry,
    // Served above, behind the token.
    endpoint: false,
    skipIntrospection: true,
    // Client-chosen names and paths would make a series per distinct value; `operation` (above) is bounded.
    labels: { operationName: false, path: false, url: false },
    metrics: {
      graphql_envelop_request_time_summary: false,
      // The schema deprecates no field or argument, so this count can't move,
      // and it walks every document with its types on every request to find out.
      graphql_envelop_deprecated_field: false,
      graphql_envelop_request: createCounter({
        registry,
        counter: { name: 'graphql_envelop_request', help: 'GraphQL operations executed', labelNames: ['operationType', 'operation'] },
        fillLabelsFn: labelsOf,
      }),
      graphql_envelop_request_duration: createHistogram({
        registry,
        histogram: {
          name: 'graphql_envelop_request_duration',
          help: 'Time spent on running the GraphQL operation from parse to execute',
          labelNames: ['operationType', 'operation'],
        },
        fillLabelsFn: labelsOf,
      }),
      graphql_envelop_error_result: createCounter({
        registry,
        counter: {
          name: 'graphql_envelop_error_result',
          help: 'Errors in GraphQL responses, by phase and extensions.code',
          labelNames: ['phase', 'operationType', 'operation', 'code'],
        },
        fillLabelsFn: (params) => ({
          phase: params.errorPhase ?? 'unknown',
          operationType: params.operationType ?? 'unknown',
          // A document that failed validation may name fields the schema lacks.
          operation: params.errorPhase === 'parse' || params.errorPhase === 'validate' ? 'invalid' : labelsOf(params).operation,
          code: clientErrorCode(params.error, params.errorPhase),
        }),
      }),
      graphql_yoga_http_duration: createHistogram({
        registry,
        histogram: {
          name: 'graphql_yoga_http_duration',
          help: 'Time from receiving a GraphQL HTTP request to its response',
          labelNames: ['operationType', 'operation', 'method', 'statusCode'],
        },
        fillLabelsFn: (params, { request, response }: { request: Request; response: Response }) => ({
          ...labelsOf(params),
          method: request.method,
          statusCode: response.status,
        }),
      }),
    },
  });

  return [endpoint, edges, graphql];
}
