import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export default defineConfig({
  root,
  test: {
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // expect.poll waits on a browser or a worker, which on a loaded two-core machine can take more than its default 1 s.
    expect: { poll: { timeout: 10_000, interval: 50 } },
    reporters: ['default'],
    // Integration files mostly wait on timers and servers, not on the CPU, so a few run side by side.
    maxWorkers: 3,
    projects: [
      // Rules, images, config: no servers, seconds.
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      // Through the HTTP listener against PostgreSQL, Temporal and MinIO; workers load one bundle made here.
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/api/**/*.test.ts', 'test/workflows/**/*.test.ts', 'test/faults/**/*.test.ts', 'test/readme/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
        },
      },
      // The web console in real Chromium, built once here, against an API per file (test/support/browser.ts);
      // journeys through complaints start workers, which load the workflow bundle.
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts', 'test/support/browser-setup.ts'],
        },
      },
    ],
  },
});
