import { Client, Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';
import type { Config } from '../config.js';
import { tracedClientInterceptors } from '../observability/temporal-tracing.js';
import { activeTracing, type Tracing } from '../observability/tracing.js';

/**
 * The SDK retries an unavailable server ten times, about 25 s in all: a caller
 * would wait that long to learn Temporal is down. Four attempts (about 1.5 s)
 * still ride out a blip, and then the caller gets SERVICE_UNAVAILABLE.
 */
const GRPC_ATTEMPTS = 4;

/**
 * Connects on first use, so the API starts (and reports itself not ready)
 * while Temporal is still coming up. With tracing on, what it asks of a
 * workflow continues the caller's trace.
 */
export function connectTemporal(
  config: Pick<Config, 'TEMPORAL_ADDRESS' | 'TEMPORAL_NAMESPACE'>,
  tracing: Tracing | undefined = activeTracing(),
) {
  const connection = Connection.lazy({
    address: config.TEMPORAL_ADDRESS,
    connectTimeout: '5s',
    interceptors: [makeGrpcRetryInterceptor(defaultGrpcRetryOptions({ maxAttempts: GRPC_ATTEMPTS }))],
  });
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, interceptors: tracedClientInterceptors(tracing) });
  return { connection, client };
}
