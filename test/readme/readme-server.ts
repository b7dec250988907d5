// The API and the worker as `npm run dev` starts them: `node --import tsx src/main.ts` and `src/worker.ts`,
// here with the test environment, a free port and a task queue of their own.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The environment the test set-up (`npm test`, `src/setup/prepare-test.ts`) wrote. */
export function readTestEnv(): Record<string, string> {
  const file = path.join(projectRoot, '.data', 'test-env.json');
  if (!existsSync(file)) throw new Error('No test environment: run the suite with `npm test`, which sets it up first.');
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
}

/** npm scripts run on the project's Node (node_modules/.bin/node); `npm run dev` starts its children with it. */
export const projectNode = (): string => {
  const local = path.join(projectRoot, 'node_modules', '.bin', 'node');
  return existsSync(local) ? local : process.execPath;
};

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface ServiceProcess {
  name: string;
  child: ChildProcess;
  /** Everything it printed so far. */
  output(): string;
  /** Its JSON log lines at level error (50) or above. */
  errorLogs(): Array<Record<string, unknown>>;
  stop(): Promise<void>;
}

function startProcess(name: string, entry: string, env: NodeJS.ProcessEnv): ServiceProcess {
  const child = spawn(projectNode(), ['--import', 'tsx', entry], { cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    name,
    child,
    output: () => output,
    errorLogs: () =>
      output
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .filter((line) => typeof line.level === 'number' && line.level >= 50),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function waitFor(what: string, proc: ServiceProcess, ready: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null) throw new Error(`The ${proc.name} exited (${proc.child.exitCode}) before ${what}:\n${proc.output()}`);
    if (await ready()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`The ${proc.name} did not get ${what} within ${timeoutMs / 1000} s:\n${proc.output()}`);
}

export interface ReadmeServer {
  /** Where the README's examples reach it, e.g. http://127.0.0.1:43123 (the README's `API`). */
  baseUrl: string;
  env: Record<string, string>;
  api: ServiceProcess;
  worker: ServiceProcess;
  stop(): Promise<void>;
}

export async function startReadmeServer(timeoutMs = 150_000): Promise<ReadmeServer> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const env: Record<string, string> = {
    ...readTestEnv(),
    HOST: '127.0.0.1',
    PORT: String(port),
    // Credentials name their issuer and status lists by this address; the README's snippet checks it.
    PUBLIC_BASE_URL: baseUrl,
    TEMPORAL_TASK_QUEUE: `readme-${randomUUID()}`,
    // The database is shared with every other test file, whose complaints run on their own queues (or on none, when a
    // test writes one as a workflow would leave it): this worker's sweep looks after its own, as each test worker's does.
    RECONCILE_SCOPE: 'task-queue',
    LOG_LEVEL: 'info',
  };
  const childEnv = { ...process.env, ...env };
  const worker = startProcess('worker', 'src/worker.ts', childEnv);
  const api = startProcess('API', 'src/main.ts', childEnv);
  const stop = async () => {
    await Promise.all([api.stop(), worker.stop()]);
  };
  try {
    await Promise.all([
      waitFor('started', worker, async () => worker.output().includes('"worker started"'), timeoutMs),
      waitFor(
        'ready',
        api,
        () =>
          fetch(`${baseUrl}/readyz`).then(
            (r) => r.ok,
            () => false,
          ),
        timeoutMs,
      ),
    ]);
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseUrl, env, api, worker, stop };
}
