// The evidence photo pipeline: processing a 12 MP JPEG in process, refusing a
// 48 MP PNG from its header, a 12 MP upload through addEvidence over HTTP
// (processing, two object writes, a row, a workflow signal), and how far
// perceptual hashes move under re-encoding and halving against how far apart
// different photos are; and, against the same run, the pipeline's throughput
// against plain sharp doing the same resize and re-encode (no checks, no
// hashes), and its peak memory above idle on a 40 MP photo (the largest
// accepted), in a fresh process of its own.
// Run: `tsx test/bench/evidence-pipeline.bench.ts [runs]`.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { createSharpImageProcessor } from '../../src/images/image-processor.js';
import { hammingDistance } from '../../src/images/perceptual-hash.js';
import { SIMILAR_EVIDENCE_DISTANCE } from '../../src/services/complaints.js';
import { syntheticJpeg } from '../fixtures/synthetic-photo.js';
import { addPhoto, fileComplaint } from '../support/complaint-operations.js';
import { startStack } from '../support/stack.js';
import { actor, createStore } from '../support/store-operations.js';
import {
  ensureWorkflowBundle,
  median,
  percent,
  quietTemporal,
  report,
  runBench,
  sample,
  summarize,
  timed,
  type PathRow,
  type Target,
} from './bench-support.js';

const runs = Number(process.argv[2] ?? 5);
const MB = 1024 * 1024;
const field = ['input', 'photo'];
const processor = createSharpImageProcessor();

async function hashOf(bytes: Buffer): Promise<string> {
  const result = await processor.process(bytes, field);
  if (!result.ok) throw new Error(`not processed: ${JSON.stringify(result.errors)}`);
  return result.value.perceptualHash;
}

/** What the pipeline makes of a photo, with sharp alone: the bounded JPEG and its thumbnail. */
async function plainSharp(input: Buffer): Promise<void> {
  const body = await sharp(input, { autoOrient: true })
    .resize({ width: 4096, height: 4096, fit: 'inside', withoutEnlargement: true })
    .jpeg({ quality: 85 })
    .toBuffer();
  await sharp(body).resize({ width: 320, height: 320, fit: 'inside' }).jpeg({ quality: 80 }).toBuffer();
}

/** In a fresh process: resident set before and at its highest while the pipeline processes the photo at `file`. */
async function peakOf(file: string): Promise<{ idleMb: number; peakMb: number }> {
  const input = readFileSync(file);
  // One small photo first, so that code and libvips are loaded before idle is read.
  await processor.process(await sharp(input).resize(400).jpeg().toBuffer(), field);
  global.gc?.();
  const idle = process.memoryUsage.rss();
  let peak = idle;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 5);
  const result = await processor.process(input, field);
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage.rss());
  if (!result.ok) throw new Error(`40 MP photo not processed: ${JSON.stringify(result.errors)}`);
  return { idleMb: idle / MB, peakMb: peak / MB };
}

function peakInChild(file: string): Promise<{ idleMb: number; peakMb: number }> {
  return new Promise((resolve, reject) => {
    const me = fileURLToPath(import.meta.url);
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', me, '--peak', file], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('{"peak":'));
      if (code !== 0 || !line) return reject(new Error(`the 40 MP child exited ${code}`));
      resolve((JSON.parse(line) as { peak: { idleMb: number; peakMb: number } }).peak);
    });
  });
}

await runBench(async () => {
  if (process.argv[2] === '--peak') {
    console.log(JSON.stringify({ peak: await peakOf(process.argv[3]!) }));
    return;
  }
  const twelveMp = await syntheticJpeg(4000, 3000, 11, 90);

  // Alternating, so that both see the same machine; CPU time covers libvips' threads.
  const pipelineMs: number[] = [];
  const plainMs: number[] = [];
  let [pipelineCpu, plainCpu] = [0, 0];
  for (let run = -1; run < runs * 2; run++) {
    const cpu = process.cpuUsage();
    const ms = await timed(async () => {
      const result = await processor.process(twelveMp, field);
      if (!result.ok) throw new Error('12 MP JPEG not processed');
    });
    const used = process.cpuUsage(cpu);
    const plainCpuStart = process.cpuUsage();
    const plain = await timed(() => plainSharp(twelveMp));
    const plainUsed = process.cpuUsage(plainCpuStart);
    if (run < 0) continue;
    pipelineMs.push(ms);
    plainMs.push(plain);
    pipelineCpu += (used.user + used.system) / 1000;
    plainCpu += (plainUsed.user + plainUsed.system) / 1000;
  }

  const dir = mkdtempSync(path.join(os.tmpdir(), 'evidence-bench-'));
  const fortyMpFile = path.join(dir, 'photo-40mp.jpg');
  writeFileSync(fortyMpFile, await sharp(twelveMp).resize(8000, 5000, { fit: 'fill' }).jpeg({ quality: 75 }).toBuffer());
  const fortyMp = await peakInChild(fortyMpFile);

  const process12Mp = await sample(runs, () =>
    timed(async () => {
      const result = await processor.process(twelveMp, field);
      if (!result.ok || result.value.width !== 4000) throw new Error(`12 MP JPEG not processed: ${JSON.stringify(result)}`);
    }),
  );

  const fortyEightMp = await sharp({ create: { width: 8000, height: 6000, channels: 3, background: '#357' } })
    .png()
    .toBuffer();
  const refuse48Mp = await sample(runs * 4, () =>
    timed(async () => {
      const result = await processor.process(fortyEightMp, field);
      if (result.ok || result.errors[0]?.code !== 'LIMIT_EXCEEDED') throw new Error('48 MP PNG not refused');
    }),
  );

  // Made before the stack starts: the API blocks the SVG loader process-wide, and syntheticJpeg draws with SVG.
  const originals = await Promise.all([1, 2, 3].map((seed) => syntheticJpeg(1600, 1200, seed)));
  // Filing is a step of the complaint's workflow, so a worker runs.
  quietTemporal();
  await ensureWorkflowBundle();
  const stack = await startStack({ worker: true });
  let upload12Mp: number[];
  try {
    const [consumer, merchant] = await Promise.all([
      actor(stack, 'bench-consumer', ['CONSUMER']),
      actor(stack, 'bench-merchant', ['MERCHANT']),
    ]);
    const store = await createStore(stack, merchant);
    const complaint = await fileComplaint(stack, consumer, store.id);
    const file = new File([twelveMp], 'photo.jpg', { type: 'image/jpeg' });
    upload12Mp = await sample(runs, async () => {
      let body: { data?: { addEvidence?: { evidence?: { width: number } | null } } } = {};
      const ms = await timed(async () => {
        body = (await addPhoto(stack, consumer, complaint.id, file)).body;
      });
      if (body.data?.addEvidence?.evidence?.width !== 4000) throw new Error(`addEvidence failed: ${JSON.stringify(body)}`);
      return ms;
    });
  } finally {
    await stack.close();
  }

  const distances = { quality60: [] as number[], half: [] as number[], halfAtQuality60: [] as number[] };
  const hashes: string[] = [];
  for (const original of originals) {
    const base = await hashOf(original);
    hashes.push(base);
    distances.quality60.push(hammingDistance(base, await hashOf(await sharp(original).jpeg({ quality: 60 }).toBuffer())));
    distances.half.push(hammingDistance(base, await hashOf(await sharp(original).resize(800, 600).jpeg({ quality: 85 }).toBuffer())));
    distances.halfAtQuality60.push(
      hammingDistance(base, await hashOf(await sharp(original).resize(800, 600).jpeg({ quality: 60 }).toBuffer())),
    );
  }
  const different = [
    hammingDistance(hashes[0]!, hashes[1]!),
    hammingDistance(hashes[0]!, hashes[2]!),
    hammingDistance(hashes[1]!, hashes[2]!),
  ];

  const imagesPerSec = (samples: number[]) => 1000 / median(samples);
  const pipelineRow: PathRow = {
    path: 'evidence pipeline (12 MP JPEG)',
    subject: 'service pipeline',
    unit: 'image',
    reqPerSec: Math.round(imagesPerSec(pipelineMs) * 100) / 100,
    p50: Math.round(median(pipelineMs)),
    p99: Math.round(Math.max(...pipelineMs)),
    cpuMsPerRequest: Math.round(pipelineCpu / pipelineMs.length),
    ratios: { 'images/s vs plain sharp': imagesPerSec(pipelineMs) / imagesPerSec(plainMs) },
  };
  const plainRow: PathRow = {
    path: 'evidence pipeline (12 MP JPEG)',
    subject: 'plain sharp',
    unit: 'image',
    reqPerSec: Math.round(imagesPerSec(plainMs) * 100) / 100,
    p50: Math.round(median(plainMs)),
    p99: Math.round(Math.max(...plainMs)),
    cpuMsPerRequest: Math.round(plainCpu / plainMs.length),
  };
  const aboveIdle = fortyMp.peakMb - fortyMp.idleMb;
  const share = pipelineRow.ratios!['images/s vs plain sharp']!;
  const targets: Target[] = [
    { path: 'evidence pipeline (12 MP JPEG)', goal: '≥ 80% of plain sharp images/s', measured: percent(share), met: share >= 0.8 },
    {
      path: 'evidence pipeline (40 MP JPEG)',
      goal: 'peak ≤ 150 MB above idle',
      measured: `${Math.round(aboveIdle)} MB`,
      met: aboveIdle <= 150,
    },
  ];

  report(
    'evidence-pipeline',
    [
      summarize('process a 12 MP JPEG', process12Mp),
      summarize('plain sharp, same resize and re-encode, 12 MP JPEG', plainMs),
      summarize('pipeline, alternating with plain sharp, 12 MP JPEG', pipelineMs),
      summarize('refuse a 48 MP PNG from its header', refuse48Mp),
      summarize('addEvidence over HTTP, 12 MP JPEG', upload12Mp),
      summarize('40 MP JPEG: peak resident set above idle', [aboveIdle], 'MB'),
      summarize('pHash distance: same photo at quality 60', distances.quality60, 'bits'),
      summarize('pHash distance: same photo at half size', distances.half, 'bits'),
      summarize('pHash distance: half size at quality 60', distances.halfAtQuality60, 'bits'),
      summarize('pHash distance: different photos', different, 'bits'),
    ],
    {
      inputBytes: { jpeg12Mp: twelveMp.length, jpeg40Mp: readFileSync(fortyMpFile).length, png48Mp: fortyEightMp.length },
      similarEvidenceDistance: SIMILAR_EVIDENCE_DISTANCE,
      fortyMp: { ...fortyMp, aboveIdleMb: aboveIdle },
      paths: [pipelineRow, plainRow],
      targets,
    },
  );
});
