import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { installTracing, type Tracing } from '../../src/observability/tracing.js';
import { addPhoto, fileComplaint } from '../support/complaint-operations.js';
import { startStack, type Stack } from '../support/stack.js';
import { actor, createStore } from '../support/store-operations.js';
import { SETTLES } from '../support/settle.js';

// Tracing is installed for this whole test process before the stack starts, as
// main.ts and worker.ts do from OTEL_EXPORTER_OTLP_ENDPOINT; spans are kept in
// memory instead of being sent to a collector. The worker then bundles its
// workflows with the tracing interceptors.

const exporter = new InMemorySpanExporter();
let tracing: Tracing;
let stack: Stack;

beforeAll(async () => {
  // This worker bundles its workflows at start, and the bundler logs every step at INFO.
  Runtime.install({ logger: new DefaultLogger('WARN') });
  tracing = installTracing(new SimpleSpanProcessor(exporter), 'brand-auth-test');
  stack = await startStack({ worker: true });
});

afterAll(async () => {
  await stack?.close();
  await tracing?.shutdown();
});

const idOf = (span: ReadableSpan) => span.spanContext().spanId;

/** The chain of span names from `span` up to the root of its trace, as far as the spans are known. */
function ancestry(span: ReadableSpan, spans: ReadableSpan[]): ReadableSpan[] {
  const byId = new Map(spans.map((s) => [idOf(s), s]));
  const chain = [span];
  for (let parent = span.parentSpanId; parent && byId.has(parent); parent = byId.get(parent)!.parentSpanId) chain.push(byId.get(parent)!);
  return chain;
}

describe('tracing a complaint', () => {
  it('links the API request to the workflow update and its activity in one trace', async () => {
    const consumer = await actor(stack, 'consumer', ['CONSUMER']);
    const merchant = await actor(stack, 'merchant', ['MERCHANT']);
    const store = await createStore(stack, merchant);
    exporter.reset();

    const filed = await fileComplaint(stack, consumer, store.id);
    const added = await addPhoto(stack, consumer, filed.id);
    expect(added.body.data.addEvidence.userErrors).toEqual([]);

    const request = (name: string) => {
      const found = exporter.getFinishedSpans().filter((s) => s.name === name && s.kind === SpanKind.SERVER);
      expect(found, name).toHaveLength(1);
      return found[0]!;
    };
    const filing = request('mutation fileComplaint');
    expect(filing.attributes).toMatchObject({ 'http.response.status_code': 200, 'graphql.operation.type': 'mutation' });
    const evidence = request('mutation addEvidence');
    expect(evidence.spanContext().traceId).not.toBe(filing.spanContext().traceId);

    // Workflow spans leave the sandbox through a sink after the activation that made them.
    const activity = await vi.waitFor(
      () => {
        const found = exporter.getFinishedSpans().find((s) => s.name === 'RunActivity:fileComplaint');
        if (!found) throw new Error('no span for the fileComplaint activity yet');
        return found;
      },
      { timeout: 15_000, interval: 100 },
    );
    expect(activity.spanContext().traceId).toBe(filing.spanContext().traceId);
    const chain = ancestry(activity, exporter.getFinishedSpans()).map((s) => s.name);
    expect(chain[0]).toBe('RunActivity:fileComplaint');
    expect(chain).toContain('StartActivity:fileComplaint');
    expect(chain.some((name) => name.startsWith('UpdateWithStartWorkflow') || name.startsWith('StartWorkflow'))).toBe(true);
    expect(chain.at(-1)).toBe('mutation fileComplaint');
    expect(activity.resource.attributes['service.name']).toBe('brand-auth-test');

    // The evidence's activity continues the second request's trace.
    await vi.waitFor(
      () => {
        const recorded = exporter.getFinishedSpans().find((s) => s.name === 'RunActivity:recordEvidence');
        expect(recorded?.spanContext().traceId).toBe(evidence.spanContext().traceId);
      },
      { timeout: 15_000, interval: 100 },
    );
  });

  it('continues a trace the caller started', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const res = await stack.gql('{ me { id } }', {}, { headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` } });
    expect(res.status).toBe(200);
    await vi.waitFor(() => {
      const span = exporter.getFinishedSpans().find((s) => s.name === 'query me');
      expect(span?.spanContext().traceId).toBe(traceId);
      expect(span?.parentSpanId).toBe('00f067aa0ba902b7');
    }, SETTLES);
  });
});
