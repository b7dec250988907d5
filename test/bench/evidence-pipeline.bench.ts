// The evidence photo pipeline: processing a 12 MP JPEG in process, refusing a
// 48 MP PNG from its header, a 12 MP upload through addEvidence over HTTP
// (processing, two object writes, a row, a workflow signal), and how far
// perceptual hashes move under re-encoding and halving against how far apart
// different photos are. Run: `tsx test/bench/evidence-pipeline.bench.ts [runs]`.
import sharp from 'sharp';
import { createSharpImageProcessor } from '../../src/images/image-processor.js';
import { hammingDistance } from '../../src/images/perceptual-hash.js';
import { SIMILAR_EVIDENCE_DISTANCE } from '../../src/services/complaints.js';
import { syntheticJpeg } from '../fixtures/synthetic-photo.js';
import { addPhoto, fileComplaint } from '../support/complaint-operations.js';
import { startStack } from '../support/stack.js';
import { actor, createStore } from '../support/store-operations.js';
import { report, runBench, sample, summarize, timed } from './bench-support.js';

const runs = Number(process.argv[2] ?? 5);
const field = ['input', 'photo'];
const processor = createSharpImageProcessor();

async function hashOf(bytes: Buffer): Promise<string> {
  const result = await processor.process(bytes, field);
  if (!result.ok) throw new Error(`not processed: ${JSON.stringify(result.errors)}`);
  return result.value.perceptualHash;
}

await runBench(async () => {
  const twelveMp = await syntheticJpeg(4000, 3000, 11, 90);
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
  const stack = await startStack();
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

  report(
    'evidence-pipeline',
    [
      summarize('process a 12 MP JPEG', process12Mp),
      summarize('refuse a 48 MP PNG from its header', refuse48Mp),
      summarize('addEvidence over HTTP, 12 MP JPEG', upload12Mp),
      summarize('pHash distance: same photo at quality 60', distances.quality60, 'bits'),
      summarize('pHash distance: same photo at half size', distances.half, 'bits'),
      summarize('pHash distance: half size at quality 60', distances.halfAtQuality60, 'bits'),
      summarize('pHash distance: different photos', different, 'bits'),
    ],
    { inputBytes: { jpeg12Mp: twelveMp.length, png48Mp: fortyEightMp.length }, similarEvidenceDistance: SIMILAR_EVIDENCE_DISTANCE },
  );
});
