import { context, propagation, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { GraphQLContext } from '../schema/context.js';
import { operationLabel } from './metrics-plugin.js';
import type { Tracing } from './tracing.js';

// Probes and scrapes arrive every few seconds and tell nothing about a request's path through the service.
const UNTRACED = new Set(['/healthz', '/readyz', '/metrics']);

const headerGetter = {
  keys: (headers: Headers) => [...headers.keys()],
  get: (headers: Headers, key: string) => headers.get(key) ?? undefined,
};

/**
 * One server span per HTTP request, continuing the caller's `traceparent` if
 * it sends one. The span is the active context while the request is handled,
 * so what a resolver asks of Temporal (starting a workflow, an update) becomes
 * its child, and the workflow's and activities' spans follow in the same trace.
 */
export function useRequestTracing(tracing: Tracing): Plugin<GraphQLContext> {
  const spans = new WeakMap<Request, Span>();
  const end = (request: Request) => {
    spans.get(request)?.end();
    spans.delete(request);
  };

  return {
    instrumentation: {
      async request({ request }, wrapped) {
        const url = new URL(request.url);
        if (UNTRACED.has(url.pathname)) return wrapped();
        const parent = propagation.extract(context.active(), request.headers, headerGetter);
        const span = tracing.tracer.startSpan(
          `${request.method} ${url.pathname}`,
          { kind: SpanKind.SERVER, attributes: { 'http.request.method': request.method, 'url.path': url.pathname } },
          parent,
        );
        spans.set(request, span);
        try {
          await context.with(trace.setSpan(parent, span), wrapped);
        } finally {
          end(request);
        }
      },
    },
    onExecute({ args }) {
      const span = spans.get((args.contextValue as { request?: Request }).request!);
      if (!span) return;
      const operation = operationLabel(args.document, args.operationName);
      const type = getOperationAST(args.document, args.operationName)?.operation ?? 'unknown';
      span.updateName(`${type} ${operation}`);
      span.setAttributes({
        'graphql.operation.type': type,
        'graphql.operation.name': args.operationName ?? '',
        'graphql.root_field': operation,
      });
    },
    onResponse({ request, response }) {
      const span = spans.get(request);
      if (!span) return;
      span.setAttribute('http.response.status_code', response.status);
      if (response.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      end(request);
    },
  };
}
