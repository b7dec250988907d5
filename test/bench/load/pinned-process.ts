// Servers under load, each in its own process pinned to one core (taskset),
// with their CPU time read from /proc so that cost per request compares
// across servers whatever the machine's other load.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { projectRoot } from '../../support/test-env.js';

const CLOCK_TICKS_PER_SECOND = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
const canPin = spawnSync('taskset', ['-V']).status === 0 && os.availableParallelism() >= 2;

/** Where servers and the load generator run: apart when the machine has two cores and taskset, else wherever the kernel puts them. */
export const placement = canPin ? { server: 0, load: 1 } : { server: null, load: null };

export const pinnedArgs = (cpu: number | null, argv: string[]): string[] =>
  canPin && cpu !== null ? ['taskset', '-c', String(cpu), ...argv] : argv;

/** User plus system CPU time of all the process's threads, in milliseconds. */
export function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may hold spaces: utime and stime are the 12th and 13th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
}

export interface PinnedProcess {
  name: string;
  baseUrl: string;
  child: ChildProcess;
  cpuMs(): number;
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts `node --import tsx <entry>` on `cpu` and waits until `baseUrl + readyPath` answers 200.
 * taskset execs the command, so the child's pid is the server's.
 */
export async function startPinned(options: {
  name: string;
  entry: string;
  env: NodeJS.ProcessEnv;
  cpu: number | null;
  baseUrl: string;
  readyPath: string;
  timeoutMs?: number;
}): Promise<PinnedProcess> {
  // BENCH_CPU_PROFILE_DIR: every server writes a V8 CPU profile there as it exits, to see where its time goes.
  const profile = process.env.BENCH_CPU_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE_DIR}`] : [];
  const [command, ...args] = pinnedArgs(options.cpu, [process.execPath, ...profile, '--import', 'tsx', options.entry]);
  const child = spawn(command!, args, { cwd: projectRoot, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
  child.stderr!.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const proc: PinnedProcess = {
    name: options.name,
    baseUrl: options.baseUrl,
    child,
    cpuMs: () => processCpuMs(child.pid!),
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
  const deadline = performance.now() + (options.timeoutMs ?? 120_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${options.name} exited (${child.exitCode}) before it was ready:\n${output}`);
    const ready = await fetch(`${options.baseUrl}${options.readyPath}`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return proc;
    if (performance.now() > deadline) {
      await proc.stop();
      throw new Error(`${options.name} was not ready within ${options.timeoutMs ?? 120_000} ms:\n${output}`);
    }
    await delay(200);
  }
}
