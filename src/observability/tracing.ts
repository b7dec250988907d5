import { context, propagation, trace, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { Config } from '../config.js';

/** What the API and the worker need once tracing is on: spans go to `spanProcessor`. */
export interface Tracing {
  tracer: Tracer;
  spanProcessor: SpanProcessor;
  resource: Resource;
  shutdown(): Promise<void>;
}

export const TRACER_NAME = 'brand-auth';

// Process-wide like OpenTelemetry's own global provider: the API, its Temporal
// client and an in-process worker all see the one installed here.
let installed: Tracing | undefined;

/** The tracing installed in this process, if any; without it nothing creates spans. */
export function activeTracing(): Tracing | undefined {
  return installed;
}

/**
 * Registers the process's tracer provider: spans started anywhere in the call
 * chain of a request (the GraphQL span, the Temporal client's) share one trace,
 * and trace context travels in W3C `traceparent` headers.
 */
export function installTracing(spanProcessor: SpanProcessor, serviceName: string): Tracing {
  if (installed) throw new Error('Tracing is already installed in this process.');
  const resource = new Resource({ 'service.name': serviceName });
  const provider = new BasicTracerProvider({ resource, spanProcessors: [spanProcessor] });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  const tracing: Tracing = {
    tracer: trace.getTracer(TRACER_NAME),
    spanProcessor,
    resource,
    async shutdown() {
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
      installed = undefined;
    },
  };
  installed = tracing;
  return tracing;
}

/** OTLP/HTTP export when OTEL_EXPORTER_OTLP_ENDPOINT is set; otherwise nothing is installed and tracing costs nothing. */
export function installTracingFromConfig(config: Pick<Config, 'OTEL_EXPORTER_OTLP_ENDPOINT'>, serviceName: string): Tracing | undefined {
  if (!config.OTEL_EXPORTER_OTLP_ENDPOINT) return undefined;
  const url = new URL(
    'v1/traces',
    config.OTEL_EXPORTER_OTLP_ENDPOINT.endsWith('/') ? config.OTEL_EXPORTER_OTLP_ENDPOINT : `${config.OTEL_EXPORTER_OTLP_ENDPOINT}/`,
  );
  return installTracing(new BatchSpanProcessor(new OTLPTraceExporter({ url: url.href })), serviceName);
}
