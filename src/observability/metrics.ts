import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The API's own series, beside those of the GraphQL Prometheus plugin. Each
 * app has its own registry, so several apps in one process (tests) never
 * register a series twice.
 */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    rateLimitRefusals: new Counter({
      name: 'brand_auth_rate_limit_refusals_total',
      help: 'Requests refused with 429 because the caller spent its budget or holds too many event streams',
      labelNames: ['route'] as const,
      registers: [registry],
    }),
    uploadBytes: new Histogram({
      name: 'brand_auth_upload_bytes',
      help: 'Size of each file uploaded, by the mutation it was sent to',
      labelNames: ['operation'] as const,
      buckets: [16 * 1024, 64 * 1024, 256 * 1024, 1024 * 1024, 4 * 1024 * 1024, 8 * 1024 * 1024, 16 * 1024 * 1024],
      registers: [registry],
    }),
    imageProcessing: new Histogram({
      name: 'brand_auth_image_processing_seconds',
      help: 'Time to check and re-encode one uploaded image, the wait for a decode slot included',
      labelNames: ['kind', 'outcome'] as const,
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
      registers: [registry],
    }),
    statusListBuilds: new Histogram({
      name: 'brand_auth_status_list_build_seconds',
      help: 'Time to read and sign one badge status list, by purpose and HTTP status',
      labelNames: ['purpose', 'status'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
