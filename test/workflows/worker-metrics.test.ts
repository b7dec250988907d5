import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { testConfig, projectRoot, testEnv } from '../support/test-env.js';
import { connectTemporal } from '../../src/temporal/connect.js';
import { deleteMaintenanceSchedule, maintenanceScheduleId } from '../../src/temporal/maintenance-schedule.js';

// The worker as deployed (src/worker.ts, bundling its workflows at start) with
// WORKER_METRICS_ADDRESS: the Temporal SDK serves its metrics and those the
// activities record there.

const taskQueue = `test-${randomUUID()}`;
const temporal = connectTemporal(testConfig());
let worker: ChildProcess;
let metricsUrl: string;

const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });

beforeAll(async () => {
  const port = await freePort();
  metricsUrl = `http://127.0.0.1:${port}/metrics`;
  worker = spawn(process.execPath, ['--import', 'tsx', 'src/worker.ts'], {
    cwd: projectRoot,
    env: {
      ...process.env,
      ...testEnv(),
      LOG_LEVEL: 'info',
      TEMPORAL_TASK_QUEUE: taskQueue,
      RECONCILE_SCOPE: 'task-queue',
      WORKER_METRICS_ADDRESS: `127.0.0.1:${port}`,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  worker.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    createInterface({ input: worker.stdout! }).on('line', (line) => {
      output += `${line}\n`;
      if (line.includes('"worker started"')) resolve();
    });
    worker.once('exit', (code) => reject(new Error(`worker exited with ${code} before starting:\n${output}`)));
  });
});

afterAll(async () => {
  if (worker && worker.exitCode === null) {
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    worker.kill('SIGTERM');
    await exited;
  }
  // The deployed worker keeps its schedule across restarts; this task queue ends here.
  await deleteMaintenanceSchedule(temporal.client, taskQueue);
  await temporal.connection.close();
});

describe('worker metrics', () => {
  it('serves the SDK metrics and the sweep counters to Prometheus', async () => {
    await temporal.client.schedule.getHandle(maintenanceScheduleId(taskQueue)).trigger();
    // The sweep's counters move while its activity runs; the SDK's series once the activity and workflow tasks complete.
    await vi.waitFor(
      async () => {
        const exposition = await (await fetch(metricsUrl)).text();
        expect(exposition).toMatch(/^brand_auth_reconcile_checked_total\{.*kind="brand".*\} \d+/m);
        expect(exposition).toMatch(/^brand_auth_reconcile_repaired_total\{.*kind="badge".*\} \d+/m);
        // The SDK's own series: workflow and activity task handling on this task queue.
        expect(exposition).toMatch(new RegExp(`^temporal_activity_execution_latency_count\\{.*task_queue="${taskQueue}".*\\} [1-9]`, 'm'));
        expect(exposition).toMatch(
          new RegExp(`^temporal_workflow_task_execution_latency_count\\{.*task_queue="${taskQueue}".*\\} [1-9]`, 'm'),
        );
      },
      { timeout: 30_000, interval: 250 },
    );
  });
});
