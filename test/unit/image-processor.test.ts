import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { createSharpImageProcessor, DEFAULT_IMAGE_LIMITS, EVIDENCE_TYPES } from '../../src/images/image-processor.js';
import { hammingDistance, perceptualHash } from '../../src/images/perceptual-hash.js';
import { syntheticJpeg as jpeg, syntheticPhoto } from '../fixtures/synthetic-photo.js';

const field = ['input', 'photo'];
const processor = createSharpImageProcessor();

async function processed(input: Buffer) {
  const result = await processor.process(input, field);
  if (!result.ok) throw new Error(`expected success, got ${JSON.stringify(result.errors)}`);
  return result.value;
}

async function errorCode(input: Buffer) {
  const result = await processor.process(input, field);
  if (result.ok) throw new Error('expected a user error');
  expect(result.errors[0]?.field).toEqual(field);
  return result.errors[0]!;
}

describe('evidence image processor', () => {
  it('exports the accepted types and limits', () => {
    expect([...EVIDENCE_TYPES].sort()).toEqual(['image/avif', 'image/jpeg', 'image/png', 'image/webp']);
    expect(DEFAULT_IMAGE_LIMITS).toEqual({ maxBytes: 15 * 1024 * 1024, maxPixels: 40_000_000, maxLongSide: 4096, thumbnailLongSide: 320 });
  });

  it('turns a sideways photo upright and strips EXIF, GPS, XMP and a foreign ICC profile', async () => {
    // Stored 600×400, top half red, bottom half blue; orientation 6 means "rotate
    // 90° clockwise to view", so upright it is 400×600 with red on the right.
    const [w, h] = [600, 400];
    const pixels = Buffer.alloc(w * h * 3);
    for (let i = 0; i < w * h; i++) pixels[i * 3 + (i < (w * h) / 2 ? 0 : 2)] = 255;
    const input = await sharp(pixels, { raw: { width: w, height: h, channels: 3 } })
      .withMetadata({ orientation: 6 })
      .withExifMerge({
        IFD0: { Make: 'Acme', Model: 'Phone 9', DateTime: '2024:05:01 10:00:00' },
        IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1', GPSLongitudeRef: 'W', GPSLongitude: '0/1 7/1 0/1' },
      })
      .withXmp('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/></x:xmpmeta>')
      .withIccProfile('p3')
      .jpeg()
      .toBuffer();
    const before = await sharp(input).metadata();
    expect(before.orientation).toBe(6);
    expect(before.exif?.includes('Acme')).toBe(true);
    expect(before.exif?.includes(Buffer.from([0x25, 0x88]))).toBe(true); // GPS IFD pointer tag
    expect(before.xmp).toBeDefined();
    expect(before.icc).toBeDefined();

    const image = await processed(input);
    expect([image.width, image.height]).toEqual([400, 600]);
    expect(image.contentType).toBe('image/jpeg');
    expect(image.byteSize).toBe(image.body.length);
    expect(image.sha256).toBe(createHash('sha256').update(image.body).digest('hex'));
    expect(image.originalSha256).toBe(createHash('sha256').update(input).digest('hex'));
    expect(image.perceptualHash).toMatch(/^[0-9a-f]{16}$/);

    const after = await sharp(image.body).metadata();
    expect([after.width, after.height]).toEqual([400, 600]);
    expect(after).toMatchObject({ format: 'jpeg', space: 'srgb', channels: 3, isProgressive: false });
    expect(after.exif).toBeUndefined();
    expect(after.xmp).toBeUndefined();
    expect(after.iptc).toBeUndefined();
    expect(after.icc).toBeUndefined();
    expect(after.orientation).toBeUndefined();

    const { data } = await sharp(image.body).raw().toBuffer({ resolveWithObject: true });
    const at = (x: number, y: number) => [...data.subarray((y * 400 + x) * 3, (y * 400 + x) * 3 + 3)];
    expect(at(350, 300)[0]).toBeGreaterThan(200); // right: red
    expect(at(50, 300)[2]).toBeGreaterThan(200); // left: blue

    expect(Math.max(image.thumbnail.width, image.thumbnail.height)).toBe(320);
    expect([image.thumbnail.width, image.thumbnail.height]).toEqual([213, 320]);
    const thumb = await sharp(image.thumbnail.body).metadata();
    expect([thumb.width, thumb.height, thumb.format, thumb.exif]).toEqual([213, 320, 'jpeg', undefined]);
  });

  it('caps the long side at 4096 px and never enlarges', async () => {
    // Content is irrelevant here; a flat colour keeps generating 24 MP cheap.
    const flat = sharp({ create: { width: 6000, height: 4000, channels: 3, background: '#468' } });
    const big = await processed(await flat.jpeg().toBuffer());
    expect([big.width, big.height]).toEqual([4096, 2731]);
    expect([big.thumbnail.width, big.thumbnail.height]).toEqual([320, 213]);

    const small = await processed(await jpeg(200, 150));
    expect([small.width, small.height]).toEqual([200, 150]);
    expect([small.thumbnail.width, small.thumbnail.height]).toEqual([200, 150]);
  });

  it('accepts PNG, WebP and AVIF, re-encoded as JPEG', async () => {
    const photo = await syntheticPhoto(640, 480, 3);
    for (const format of ['png', 'webp', 'avif'] as const) {
      const image = await processed(await photo.clone().toFormat(format).toBuffer());
      expect([image.contentType, image.width, image.height]).toEqual(['image/jpeg', 640, 480]);
    }
  });

  it('decides the type from the bytes: a PNG uploaded as photo.jpg is read as PNG, transparency flattened to white', async () => {
    const transparent = { r: 0, g: 0, b: 0, alpha: 0 };
    const png = await sharp({ create: { width: 100, height: 100, channels: 4, background: transparent } })
      .png()
      .toBuffer();
    const image = await processed(png);
    const { data, info } = await sharp(image.body).raw().toBuffer({ resolveWithObject: true });
    expect(info.channels).toBe(3);
    expect([...data.subarray(0, 3)].every((v) => v > 250)).toBe(true);
  });

  it('refuses text, SVG and GIF as UNSUPPORTED_MEDIA, naming the accepted types', async () => {
    const gif = await sharp({ create: { width: 20, height: 20, channels: 3, background: '#0a0' } })
      .gif()
      .toBuffer();
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20"><rect width="20" height="20"/></svg>');
    for (const input of [Buffer.from('just some text, not a photo\n'), svg, gif]) {
      const error = await errorCode(input);
      expect(error.code).toBe('UNSUPPORTED_MEDIA');
      expect(error.message).toContain('JPEG, PNG, WebP or AVIF');
    }
  });

  it('refuses 48 megapixels from the header alone, without decoding', async () => {
    const input = await sharp({ create: { width: 8000, height: 6000, channels: 3, background: '#357' } })
      .png()
      .toBuffer();
    // The first KB holds the header and only the start of the pixels: decoding it would fail as INVALID,
    // so the same refusal for it shows the size is judged before any pixel is decoded.
    const headerOnly = input.subarray(0, 1024);
    await expect(sharp(headerOnly).raw().toBuffer()).rejects.toThrow();
    for (const bytes of [input, headerOnly]) {
      const error = await errorCode(bytes);
      expect(error.code).toBe('LIMIT_EXCEEDED');
      expect(error.message).toContain('8000×6000');
    }
  });

  it('refuses more than 15 MB', async () => {
    const small = await jpeg(64, 64);
    const input = Buffer.concat([small, Buffer.alloc(DEFAULT_IMAGE_LIMITS.maxBytes + 1 - small.length)]);
    expect((await errorCode(input)).code).toBe('LIMIT_EXCEEDED');
  });

  it('reports truncated or corrupt images as INVALID', async () => {
    const whole = await jpeg(800, 600);
    expect((await errorCode(whole.subarray(0, whole.length >> 1))).code).toBe('INVALID');
    const garbage = Buffer.concat([whole.subarray(0, 4), Buffer.alloc(2000, 0x5a)]);
    expect((await errorCode(garbage)).code).toBe('INVALID');
    expect((await errorCode(Buffer.alloc(0))).code).toBe('INVALID');
  });

  it('gives the same photo a near perceptual hash after re-encoding or halving, a different photo a far one', async () => {
    const hashOf = async (bytes: Buffer) => (await processed(bytes)).perceptualHash;
    const originals = await Promise.all([1, 2, 3].map((seed) => jpeg(1600, 1200, seed)));
    const hashes: string[] = [];
    for (const original of originals) {
      const base = await hashOf(original);
      hashes.push(base);
      const quality60 = hammingDistance(base, await hashOf(await sharp(original).jpeg({ quality: 60 }).toBuffer()));
      const half = hammingDistance(base, await hashOf(await sharp(original).resize(800, 600).jpeg({ quality: 85 }).toBuffer()));
      const both = hammingDistance(base, await hashOf(await sharp(original).resize(800, 600).jpeg({ quality: 60 }).toBuffer()));
      expect(quality60).toBeLessThanOrEqual(6);
      expect(half).toBeLessThanOrEqual(6);
      // Two degradations at once move it further; still well short of a different photo.
      expect(both).toBeLessThanOrEqual(10);
      // Hashing the original Buffer directly lands next to the hash of the processed output.
      expect(hammingDistance(base, await perceptualHash(original))).toBeLessThanOrEqual(6);
      expect(await perceptualHash(sharp(original, { autoOrient: true }))).toBe(await perceptualHash(original));
    }
    const different = [
      hammingDistance(hashes[0]!, hashes[1]!),
      hammingDistance(hashes[0]!, hashes[2]!),
      hammingDistance(hashes[1]!, hashes[2]!),
    ];
    for (const distance of different) expect(distance).toBeGreaterThan(12);
  });

  it('hammingDistance counts differing bits and rejects malformed hashes', () => {
    expect(hammingDistance('0000000000000000', 'ffffffffffffffff')).toBe(64);
    expect(hammingDistance('8000000000000001', '0000000000000000')).toBe(2);
    expect(hammingDistance('ABCDEF0123456789', 'abcdef0123456789')).toBe(0);
    expect(() => hammingDistance('abc', '0000000000000000')).toThrow(RangeError);
  });

  // How long this takes is measured by `npm run bench` (test/bench/evidence-pipeline.bench.ts).
  it('processes a 12 MP JPEG at full size', async () => {
    const image = await processed(await jpeg(4000, 3000, 11, 90));
    expect([image.width, image.height]).toEqual([4000, 3000]);
    expect([image.thumbnail.width, image.thumbnail.height]).toEqual([320, 240]);
  });
});
