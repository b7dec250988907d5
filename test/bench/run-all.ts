// Runs the benchmarks in test/bench, each in its own process against the test
// environment (.data/test-env.json), then prints one table of every path
// against its baselines and goals, and writes everything to
// .data/bench-results.json. Run: `npm run bench` for all of them, or name
// paths: `npm run bench -- storeBadges verifyProductCode`.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { projectRoot } from '../support/test-env.js';
import { ensureWorkflowBundle, type PathRow, type Target } from './bench-support.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const resultsFile = path.join(projectRoot, '.data', 'bench-results.json');

/**
 * Each path's bench, and what it is passed; paths of one bench with `joins` run
 * in one process. `onlyWhenNamed` ones have no goal and take minutes.
 */
const PATHS: Record<string, { file: string; args?: string[]; joins?: boolean; onlyWhenNamed?: boolean }> = {
  storeBadges: { file: 'storefront.bench.ts', args: ['storeBadges'], joins: true },
  verifyProductCode: { file: 'storefront.bench.ts', args: ['verifyProductCode'], joins: true },
  evidence: { file: 'evidence-pipeline.bench.ts' },
  decisionToCoupon: { file: 'decision-to-coupon.bench.ts' },
  complaintWorkflows: { file: 'complaint-workflows.bench.ts' },
  productCodes: { file: 'product-codes.bench.ts', onlyWhenNamed: true },
  parallelUploads: { file: 'parallel-uploads.bench.ts', onlyWhenNamed: true },
};

const asked = process.argv.slice(2);
const unknown = asked.filter((name) => !(name in PATHS));
if (unknown.length > 0) {
  console.error(`unknown path ${unknown.join(', ')}; the paths are: ${Object.keys(PATHS).join(', ')}`);
  process.exit(2);
}
const chosen = asked.length > 0 ? asked : Object.keys(PATHS).filter((name) => !PATHS[name]!.onlyWhenNamed);
const runs = new Map<string, string[]>();
for (const name of chosen) {
  const { file, args = [], joins } = PATHS[name]!;
  const joined = runs.get(file);
  runs.set(file, joined && joins ? [[...joined, ...args].join(',')] : args);
}

interface BenchResult {
  bench: string;
  paths?: PathRow[];
  targets?: Target[];
}

function run(file: string, args: string[]): Promise<{ code: number | null; results: BenchResult[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, file), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    const results: BenchResult[] = [];
    let pending = '';
    child.stdout.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk);
      const lines = (pending + chunk.toString()).split('\n');
      pending = lines.pop()!;
      for (const line of lines) if (line.startsWith('{"bench":')) results.push(JSON.parse(line) as BenchResult);
    });
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, results }));
  });
}

function table(header: string[], rows: string[][], right: (column: number) => boolean): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (right(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const shown = (n: number | null, digits = 0) => (n === null ? '–' : n.toFixed(digits));

export function pathTable(paths: PathRow[]): string {
  return table(
    ['path', 'subject', 'per s', 'p50 ms', 'p99 ms', 'CPU ms each', 'against baselines'],
    paths.map((p) => [
      p.path,
      p.subject,
      p.reqPerSec === null ? '–' : `${shown(p.reqPerSec, p.reqPerSec < 10 ? 2 : 0)}${p.unit ? ` ${p.unit}s` : ' req'}`,
      shown(p.p50),
      shown(p.p99),
      shown(p.cpuMsPerRequest, p.cpuMsPerRequest !== null && p.cpuMsPerRequest < 10 ? 2 : 0),
      Object.entries(p.ratios ?? {})
        .map(([what, ratio]) => `${what} ${what.startsWith('p99') ? `${ratio.toFixed(2)}×` : `${Math.round(ratio * 100)}%`}`)
        .join('; '),
    ]),
    (i) => i >= 2 && i <= 5,
  );
}

export function targetTable(targets: Target[]): string {
  return table(
    ['path', 'goal', 'measured', ''],
    targets.map((t) => [t.path, t.goal, t.measured, t.met ? 'met' : 'NOT MET']),
    (i) => i === 2,
  );
}

const started = performance.now();
await ensureWorkflowBundle();
const all: BenchResult[] = [];
const failed: string[] = [];
for (const [file, args] of runs) {
  const begun = performance.now();
  const { code, results } = await run(file, args);
  console.error(`${file}: ${code === 0 ? 'done' : `FAILED (exit ${code})`} in ${((performance.now() - begun) / 1000).toFixed(1)} s`);
  if (code !== 0) failed.push(file);
  all.push(...results);
}
const paths = all.flatMap((r) => r.paths ?? []);
const targets = all.flatMap((r) => r.targets ?? []);
console.log(`\nPaths against their baselines (medians of the runs; "per s" is requests, or the unit named)\n${pathTable(paths)}`);
console.log(`\nGoals\n${targetTable(targets)}`);
const machine = {
  node: process.version,
  cpus: os.availableParallelism(),
  cpuModel: os.cpus()[0]?.model ?? null,
  loadAverage: os.loadavg(),
};
const seconds = (performance.now() - started) / 1000;
mkdirSync(path.dirname(resultsFile), { recursive: true });
writeFileSync(
  resultsFile,
  `${JSON.stringify({ at: new Date().toISOString(), seconds, machine, paths, targets, benches: all, failed }, null, 2)}\n`,
);
console.log(
  `\n${targets.filter((t) => t.met).length} of ${targets.length} goals met; all results in ${path.relative(projectRoot, resultsFile)} (${seconds.toFixed(0)} s)`,
);
if (failed.length > 0) {
  console.error(`failed: ${failed.join(', ')}`);
  process.exitCode = 1;
}
