// Load against one URL from a pinned load-generator process (load-runner.ts),
// and the server's CPU time over the same span, read from /proc.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pinnedArgs, type PinnedProcess } from './pinned-process.js';

export interface LoadPlan {
  url: string;
  /** Request bodies (JSON), sent in turn. */
  bodies: string[];
  connections: number;
  seconds: number;
}

export interface LoadResult {
  requests: number;
  seconds: number;
  reqPerSec: number;
  /** Milliseconds. */
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  bytesPerRequest: number;
}

export interface MeasuredRun extends LoadResult {
  /** Server CPU time (user + system, all threads) per answered request. */
  cpuMsPerRequest: number;
}

const runner = path.join(path.dirname(fileURLToPath(import.meta.url)), 'load-runner.ts');
const plans = mkdtempSync(path.join(os.tmpdir(), 'bench-load-'));
let planCount = 0;

function generate(plan: LoadPlan, cpu: number | null): Promise<LoadResult> {
  const file = path.join(plans, `plan-${++planCount}.json`);
  writeFileSync(file, JSON.stringify(plan));
  return new Promise((resolve, reject) => {
    const [command, ...args] = pinnedArgs(cpu, [process.execPath, '--import', 'tsx', runner, file]);
    const child = spawn(command!, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('{"load":'));
      if (code !== 0 || !line) return reject(new Error(`the load generator exited ${code}: ${out}`));
      resolve((JSON.parse(line) as { load: LoadResult }).load);
    });
  });
}

/** One timed run: load from `cpu`, the server's CPU time over it; throws when any answer was not a 200. */
export async function measure(server: PinnedProcess, plan: LoadPlan, cpu: number | null): Promise<MeasuredRun> {
  const before = server.cpuMs();
  const result = await generate(plan, cpu);
  const cpuMs = server.cpuMs() - before;
  if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) {
    throw new Error(
      `${server.name} at ${plan.url}: ${result.non2xx} non-2xx answers, ${result.errors} errors, ${result.timeouts} timeouts`,
    );
  }
  return { ...result, cpuMsPerRequest: result.requests > 0 ? cpuMs / result.requests : 0 };
}

/** A short run whose numbers are thrown away: JIT, connection pools and caches warm up. */
export async function warmUp(server: PinnedProcess, plan: LoadPlan, cpu: number | null): Promise<void> {
  await measure(server, plan, cpu);
}
