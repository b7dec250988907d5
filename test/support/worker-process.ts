import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { HELD_MESSAGE, type HeldActivity, type InjectedFaults } from './faults.js';
import { projectRoot, testEnv } from './test-env.js';

/** A worker in its own process (test/support/worker-main.ts), so a test can kill it as a crash would. */
export interface WorkerProcess {
  child: ChildProcess;
  /** The activity attempts this worker holds (see `InjectedFaults.pause`), in the order it announced them; poll it. */
  held: HeldActivity[];
  /** Lets a held attempt go on. */
  release(held: HeldActivity): void;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export interface WorkerProcessOptions {
  /** Settings for this worker on top of the test environment, e.g. its own DATABASE_URL or TEMPORAL_ADDRESS. */
  env?: Record<string, string>;
  timeoutMs?: number;
}

export async function startWorkerProcess(
  taskQueue: string,
  faults?: InjectedFaults,
  { env = {}, timeoutMs = 90_000 }: WorkerProcessOptions = {},
): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/worker-main.ts'], {
    cwd: projectRoot,
    env: {
      ...process.env,
      ...testEnv(),
      ...env,
      TEMPORAL_TASK_QUEUE: taskQueue,
      ...(faults ? { BRAND_AUTH_TEST_FAULTS: JSON.stringify(faults) } : {}),
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  // A worker killed while the test writes to it must not fail the test.
  child.stdin!.on('error', () => undefined);
  let output = '';
  const held: HeldActivity[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start in ${timeoutMs} ms:\n${output}`)), timeoutMs);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      output += `${line}\n`;
      if (line.includes('"worker started"')) {
        clearTimeout(timer);
        resolve();
      } else if (line.includes(`"${HELD_MESSAGE}"`)) {
        held.push((JSON.parse(line) as { held: HeldActivity }).held);
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`worker exited with ${code} before starting:\n${output}`));
    });
  });
  return {
    child,
    held,
    release(attempt) {
      child.stdin!.write(`${JSON.stringify({ release: attempt.id })}\n`);
    },
    async kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
