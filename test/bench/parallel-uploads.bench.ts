// Memory under parallel photo uploads: eight 12 MP phone-style JPEGs (stored
// sideways with EXIF orientation 6, so auto-orienting needs the whole image)
// sent to addEvidence at once, against an API in this process, with
// IMAGE_DECODE_CONCURRENCY=8 (every upload may decode at once, as before the
// limit existed) and with the default of 2; each under libuv's default thread
// pool (4 threads, which already caps sharp at 4 operations) and under
// UV_THREADPOOL_SIZE=16. Each setting runs in a fresh process, so its peak
// resident set (the kernel's high-water mark, and a 5 ms sampler) is its own.
// Run: `tsx test/bench/parallel-uploads.bench.ts`.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { syntheticJpeg } from '../fixtures/synthetic-photo.js';
import { addPhoto, fileComplaint } from '../support/complaint-operations.js';
import { startStack } from '../support/stack.js';
import { actor, createStore } from '../support/store-operations.js';
import { quietTemporal, report, runBench, summarize, timed } from './bench-support.js';

const UPLOADS = 8;
const SETTINGS = [
  { concurrency: 8, threadpool: 4 },
  { concurrency: 2, threadpool: 4 },
  { concurrency: 8, threadpool: 16 },
  { concurrency: 2, threadpool: 16 },
];
const MB = 1024 * 1024;

interface Measurement {
  concurrency: number;
  threadpool: number;
  rssBeforeMb: number;
  peakRssMb: number;
  maxRssMb: number;
  ms: number;
}

async function measure(concurrency: number, photoPath: string): Promise<Measurement> {
  quietTemporal();
  const bytes = readFileSync(photoPath);
  const stack = await startStack({ worker: true, config: { IMAGE_DECODE_CONCURRENCY: String(concurrency) } });
  try {
    const [consumer, merchant] = await Promise.all([
      actor(stack, 'bench-consumer', ['CONSUMER']),
      actor(stack, 'bench-merchant', ['MERCHANT']),
    ]);
    const complaint = await fileComplaint(stack, consumer, (await createStore(stack, merchant)).id);
    // One upload first, so the code paths are loaded before the measurement starts.
    await addPhoto(stack, consumer, complaint.id, new File([new Uint8Array(bytes)], 'warm-up.jpg', { type: 'image/jpeg' }));
    const second = await fileComplaint(stack, consumer, (await createStore(stack, merchant)).id);
    global.gc?.();
    const rssBefore = process.memoryUsage.rss();
    let peak = rssBefore;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 5);
    const files = Array.from({ length: UPLOADS }, (_, i) => new File([new Uint8Array(bytes)], `photo-${i}.jpg`, { type: 'image/jpeg' }));
    const ms = await timed(async () => {
      const results = await Promise.all(files.map((file) => addPhoto(stack, consumer, second.id, file)));
      const failed = results.filter((r) => !r.body.data?.addEvidence?.evidence);
      if (failed.length > 0) throw new Error(`uploads failed: ${JSON.stringify(failed[0]!.body)}`);
    });
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage.rss());
    return {
      concurrency,
      threadpool: Number(process.env.UV_THREADPOOL_SIZE ?? 4),
      rssBeforeMb: Math.round(rssBefore / MB),
      peakRssMb: Math.round(peak / MB),
      maxRssMb: Math.round((process.resourceUsage().maxRSS * 1024) / MB),
      ms: Math.round(ms),
    };
  } finally {
    await stack.close();
  }
}

function child({ concurrency, threadpool }: (typeof SETTINGS)[number], photoPath: string): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    const me = fileURLToPath(import.meta.url);
    const proc = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', me, String(concurrency), photoPath], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, UV_THREADPOOL_SIZE: String(threadpool) },
    });
    let out = '';
    proc.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    proc.once('error', reject);
    proc.once('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('{"measurement":'));
      if (code !== 0 || !line) return reject(new Error(`child for concurrency ${concurrency} exited ${code}`));
      resolve((JSON.parse(line) as { measurement: Measurement }).measurement);
    });
  });
}

await runBench(async () => {
  const [setting, photoPath] = process.argv.slice(2);
  if (setting && photoPath) {
    console.log(JSON.stringify({ measurement: await measure(Number(setting), photoPath) }));
    return;
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'parallel-uploads-'));
  const file = path.join(dir, 'photo-12mp.jpg');
  const upright = await syntheticJpeg(4000, 3000, 21, 90);
  writeFileSync(file, await sharp(upright).withMetadata({ orientation: 6 }).jpeg({ quality: 90 }).toBuffer());
  const results: Measurement[] = [];
  for (const setting of SETTINGS) results.push(await child(setting, file));
  report(
    'parallel-uploads',
    results.flatMap((r) => {
      const name = `${UPLOADS}×12 MP, decode limit ${r.concurrency}, ${r.threadpool} libuv threads`;
      return [
        summarize(`${name}: peak RSS (sampled)`, [r.peakRssMb], 'MB'),
        summarize(`${name}: max RSS (kernel)`, [r.maxRssMb], 'MB'),
        summarize(`${name}: RSS before`, [r.rssBeforeMb], 'MB'),
        summarize(`${name}: all answered`, [r.ms], 'ms'),
      ];
    }),
    { photoBytes: readFileSync(file).length, measurements: results },
  );
});
