// Shared by the benchmarks in test/bench: timing statistics, the report each
// one prints (a table for people, one JSON line for tools), and the pre-built
// workflow bundle the test workers load.
import { readdirSync, statSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import os from 'node:os';
import path from 'node:path';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import bundleWorkflowsOnce from '../support/global-setup.js';
import { projectRoot } from '../support/test-env.js';
import { workflowBundlePath } from '../support/workflow-bundle.js';

export interface Row {
  name: string;
  unit: string;
  runs: number;
  min: number;
  median: number;
  p95: number;
  max: number;
}

/** Runs `measure` `warmup` times unrecorded, then `runs` times; each call returns one sample. */
export async function sample(runs: number, measure: (run: number) => Promise<number>, warmup = 1): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await measure(-1 - i);
  const samples: number[] = [];
  for (let run = 0; run < runs; run++) samples.push(await measure(run));
  return samples;
}

/** Milliseconds `action` took. */
export async function timed(action: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await action();
  return performance.now() - started;
}

const round = (n: number) => Math.round(n * 10) / 10;
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

export function summarize(name: string, samples: number[], unit = 'ms'): Row {
  if (samples.length === 0) throw new Error(`${name}: no samples`);
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    name,
    unit,
    runs: sorted.length,
    min: round(sorted[0]!),
    median: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    max: round(sorted.at(-1)!),
  };
}

/** Prints the rows as a table, then one JSON line (`{"bench":…}`) that run-all.ts and other tools read. */
export function report(bench: string, rows: Row[], details: Record<string, unknown> = {}): void {
  const header = ['measurement', 'unit', 'runs', 'min', 'median', 'p95', 'max'];
  const cells = rows.map((r) => [r.name, r.unit, r.runs, r.min, r.median, r.p95, r.max].map(String));
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (values: string[]) => values.map((v, i) => (i === 0 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join('  ');
  console.log(`\n${bench}`);
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const c of cells) console.log(line(c));
  const machine = { node: process.version, cpus: os.availableParallelism(), cpuModel: os.cpus()[0]?.model ?? null };
  console.log(JSON.stringify({ bench, at: new Date().toISOString(), machine, results: rows, ...details }));
}

const newestIn = (dir: string): number =>
  Math.max(
    0,
    ...readdirSync(dir, { withFileTypes: true }).map((entry) => {
      const full = path.join(dir, entry.name);
      return entry.isDirectory() ? newestIn(full) : statSync(full).mtimeMs;
    }),
  );

/** Bundles the workflows for the test workers when the bundle is missing or older than workflows/ (the test run's global set-up does the same). */
export async function ensureWorkflowBundle(): Promise<void> {
  const bundled = (() => {
    try {
      return statSync(workflowBundlePath).mtimeMs;
    } catch {
      return 0;
    }
  })();
  if (bundled > newestIn(path.join(projectRoot, 'workflows'))) return;
  console.error('bundling the workflows…');
  await bundleWorkflowsOnce();
}

/** Keeps an in-process Temporal worker to warnings, so its state changes do not bury the report. */
export function quietTemporal(): void {
  Runtime.install({ logger: new DefaultLogger('WARN') });
}

/**
 * Runs a benchmark's body, then exits: a closed stack's database pool keeps its
 * idle connections, and so the process, alive for the pool's idle timeout.
 */
export async function runBench(body: () => Promise<void>): Promise<never> {
  try {
    await body();
    process.exit(0);
  } catch (error) {
    console.error(error);
    process.exit(1);
  }
}

/** Polls `read` every `interval` ms until it returns a value other than null or undefined. */
export async function until<T>(
  read: () => Promise<T | null | undefined>,
  { timeout, interval }: { timeout: number; interval: number },
): Promise<T> {
  const deadline = performance.now() + timeout;
  for (;;) {
    const value = await read();
    if (value !== null && value !== undefined) return value;
    if (performance.now() > deadline) throw new Error(`nothing after ${timeout} ms`);
    await delay(interval);
  }
}

/** One subject's numbers on one path, for the summary table of run-all.ts: a request is one HTTP request, or `unit`. */
export interface PathRow {
  path: string;
  subject: string;
  reqPerSec: number | null;
  p50: number | null;
  p99: number | null;
  cpuMsPerRequest: number | null;
  unit?: string;
  /** This subject's numbers as a share of each baseline's on the same path, e.g. { 'bare yoga req/s': 0.62 }. */
  ratios?: Record<string, number>;
}

/** A goal of a path, and whether this run met it. */
export interface Target {
  path: string;
  goal: string;
  measured: string;
  met: boolean;
}

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

export const percent = (ratio: number) => `${Math.round(ratio * 100)}%`;
