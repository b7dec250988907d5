import { spawn, type ChildProcess } from 'node:child_process';
import type { InjectedFaults } from './faults.js';
import { projectRoot, testEnv } from './test-env.js';

/** A worker in its own process (test/support/worker-main.ts), so a test can kill it as a crash would. */
export interface WorkerProcess {
  child: ChildProcess;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export async function startWorkerProcess(taskQueue: string, faults?: InjectedFaults, timeoutMs = 90_000): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/worker-main.ts'], {
    cwd: projectRoot,
    env: {
      ...process.env,
      ...testEnv(),
      TEMPORAL_TASK_QUEUE: taskQueue,
      ...(faults ? { BRAND_AUTH_TEST_FAULTS: JSON.stringify(faults) } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start in ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('"worker started"')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`worker exited with ${code} before starting:\n${output}`));
    });
  });
  return {
    child,
    async kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
