// Runs every benchmark in test/bench, one after another, each in its own process
// against the test environment (.data/test-env.json), and ends with one JSON
// line holding all their results. Run: `npm run bench` (tsx test/bench/run-all.ts).
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureWorkflowBundle } from './bench-support.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const benches = readdirSync(here)
  .filter((name) => name.endsWith('.bench.ts'))
  .sort();

function run(file: string): Promise<{ code: number | null; results: unknown[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, file)], { stdio: ['ignore', 'pipe', 'inherit'] });
    const results: unknown[] = [];
    let pending = '';
    child.stdout.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk);
      const lines = (pending + chunk.toString()).split('\n');
      pending = lines.pop()!;
      for (const line of lines) if (line.startsWith('{"bench":')) results.push(JSON.parse(line));
    });
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, results }));
  });
}

await ensureWorkflowBundle();
const all: unknown[] = [];
const failed: string[] = [];
for (const file of benches) {
  const started = performance.now();
  const { code, results } = await run(file);
  console.error(`${file}: ${code === 0 ? 'done' : `FAILED (exit ${code})`} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  if (code !== 0) failed.push(file);
  all.push(...results);
}
console.log(JSON.stringify({ benches: all }));
if (failed.length > 0) {
  console.error(`failed: ${failed.join(', ')}`);
  process.exitCode = 1;
}
