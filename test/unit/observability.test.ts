import { GraphQLError, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { ForbiddenError, UnavailableError } from '../../src/errors.js';
import { clientErrorCode, operationLabel } from '../../src/observability/metrics-plugin.js';
import { minimalEnv } from '../support/config-fixture.js';

const problemsOf = (env: Record<string, string>) => {
  try {
    loadConfig({ ...minimalEnv, ...env });
    return [];
  } catch (error) {
    return (error as ConfigError).problems;
  }
};

describe('observability settings', () => {
  it('are all off by default', () => {
    const config = loadConfig(minimalEnv);
    expect([config.METRICS_TOKEN, config.WORKER_METRICS_ADDRESS, config.OTEL_EXPORTER_OTLP_ENDPOINT]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('accept a long metrics token, an IP:port for the worker and a collector URL', () => {
    const config = loadConfig({
      ...minimalEnv,
      METRICS_TOKEN: 'x'.repeat(32),
      WORKER_METRICS_ADDRESS: '[::1]:9464',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
    });
    expect(config.WORKER_METRICS_ADDRESS).toBe('[::1]:9464');
  });

  it('refuse a short token, a host name for the worker (the SDK binds an IP) and a bare host for the collector', () => {
    expect(
      problemsOf({ METRICS_TOKEN: 'short', WORKER_METRICS_ADDRESS: 'localhost:9464', OTEL_EXPORTER_OTLP_ENDPOINT: 'collector' }),
    ).toEqual(
      expect.arrayContaining([
        'METRICS_TOKEN must be at least 32 characters',
        'WORKER_METRICS_ADDRESS must be an IP address and port, like 0.0.0.0:9464',
        expect.stringMatching(/^OTEL_EXPORTER_OTLP_ENDPOINT /),
      ]),
    );
  });
});

describe('metric labels', () => {
  it('name an operation by its root field, whatever the client calls it', () => {
    expect(operationLabel(parse('query AnythingAtAll { brand(slug: "a") { id } }'), 'AnythingAtAll')).toBe('brand');
    expect(operationLabel(parse('{ a: brand(slug: "a") { id } b: brand(slug: "b") { id } }'), undefined)).toBe('brand');
    expect(operationLabel(parse('{ brand(slug: "a") { id } me { id } }'), undefined)).toBe('multiple');
    expect(operationLabel(parse('query A { me { id } } query B { brand(slug: "b") { id } }'), 'B')).toBe('brand');
    expect(operationLabel(undefined, undefined)).toBe('none');
  });

  it('count errors under the code the client is sent', () => {
    const wrapped = (cause: Error) => new GraphQLError('wrapped', { originalError: cause });
    expect(clientErrorCode(wrapped(new ForbiddenError('no')), 'execute')).toBe('FORBIDDEN');
    expect(clientErrorCode(wrapped(new UnavailableError('down')), 'execute')).toBe('SERVICE_UNAVAILABLE');
    expect(clientErrorCode(new GraphQLError('slow down', { extensions: { code: 'RATE_LIMITED' } }), 'execute')).toBe('RATE_LIMITED');
    expect(clientErrorCode(wrapped(new Error('SELECT failed')), 'execute')).toBe('INTERNAL_SERVER_ERROR');
    expect(clientErrorCode(new GraphQLError('Cannot query field'), 'validate')).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});
