import { createHash } from 'node:crypto';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import sharp from 'sharp';
import { SIMILAR_EVIDENCE_DISTANCE } from '../../src/services/complaints.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerBrand } from '../support/brand-operations.js';
import {
  CLAIM_COMPLAINT,
  DECIDE_COMPLAINT,
  RESPOND_TO_COMPLAINT,
  SUBMIT_COMPLAINT,
  addPhoto,
  fileComplaint,
  photo,
  send,
} from '../support/complaint-operations.js';
import { rowId, startStack, unique, type Stack } from '../support/stack.js';
import { EVIDENCE_PREFIXES, objectKeys, strayObjects } from '../support/stored-objects.js';
import { actor, createStore, type Actor } from '../support/store-operations.js';

// Evidence photos through the API: what is stored (sanitized, bounded), what is
// refused (and leaves nothing behind), who may add photos when, and which
// near-identical photos reviewers are shown.

let stack: Stack;
let s3: S3Client;
let consumer: Actor;
let merchant: Actor;
let reviewer: Actor;

beforeAll(async () => {
  // One consumer files a complaint per test here, more than the default open-complaint cap, and
  // similarEvidence needs more copies of a photo in one complaint than the default photo cap.
  stack = await startStack({ worker: true, config: { OPEN_COMPLAINTS_MAX_PER_CONSUMER: '1000', EVIDENCE_MAX_PER_SIDE: '1000' } });
  s3 = new S3Client({
    endpoint: stack.config.S3_ENDPOINT,
    region: stack.config.S3_REGION,
    forcePathStyle: true,
    credentials: { accessKeyId: stack.config.S3_ACCESS_KEY_ID, secretAccessKey: stack.config.S3_SECRET_ACCESS_KEY },
  });
  consumer = await actor(stack, 'consumer', ['CONSUMER']);
  merchant = await actor(stack, 'merchant', ['MERCHANT']);
  reviewer = await actor(stack, 'reviewer', ['REVIEWER']);
});

afterAll(async () => {
  s3?.destroy();
  await stack?.close();
});

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('hex');
const bytesOf = async (file: File) => Buffer.from(await file.arrayBuffer());
const fileOf = (bytes: Uint8Array, name: string, type: string) => new File([new Uint8Array(bytes)], name, { type });

async function download(url: string): Promise<Buffer> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

function hamming(a: string, b: string): number {
  let diff = BigInt(`0x${a}`) ^ BigInt(`0x${b}`);
  let bits = 0;
  for (; diff; diff >>= 1n) bits += Number(diff & 1n);
  return bits;
}

/** Every object in the bucket under `prefix`, with its ETag (the MD5 of a single-part upload). */
async function objects(prefix = ''): Promise<Array<{ key: string; etag: string }>> {
  const found: Array<{ key: string; etag: string }> = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: stack.config.S3_BUCKET, Prefix: prefix, ContinuationToken: token }));
    found.push(...(page.Contents ?? []).map((o) => ({ key: o.Key!, etag: (o.ETag ?? '').replaceAll('"', '') })));
    token = page.NextContinuationToken;
  } while (token);
  return found;
}

const evidenceKeys = async () => [...(await stack.objectKeys('evidence/')), ...(await stack.objectKeys('evidence-thumbnails/'))];

async function openComplaint(owner: Actor = merchant, brandId?: string) {
  const store = await createStore(stack, owner);
  return fileComplaint(stack, consumer, store.id, brandId);
}

/** Adds a photo and expects it accepted; returns the evidence. */
async function added(who: Actor, complaintId: string, file?: File) {
  const res = await addPhoto(stack, who, complaintId, file);
  expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
  expect(res.body.data.addEvidence.userErrors).toEqual([]);
  return res.body.data.addEvidence.evidence as {
    id: string;
    uploadedByRole: string;
    contentType: string;
    width: number;
    height: number;
    byteSize: number;
    sha256: string;
    perceptualHash: string;
    url: string;
    thumbnailUrl: string;
    similarEvidence: Array<{ id: string }>;
  };
}

async function step(mutation: string, who: Actor, input: Record<string, unknown>) {
  const { payload } = await send(stack, mutation, who, input);
  expect(payload.userErrors).toEqual([]);
}

describe('a stored photo', () => {
  it('is upright, stripped of EXIF, GPS and XMP, sRGB, hashed as stored, with a 320 px thumbnail; the original is not kept', async () => {
    // Landscape pixels (red left, blue right) that EXIF orientation 6 turns upright: red on top.
    const pixels = Buffer.alloc(800 * 600 * 3);
    for (let i = 0; i < 800 * 600; i++) pixels[i * 3 + (i % 800 < 400 ? 0 : 2)] = 255;
    const original = await sharp(pixels, { raw: { width: 800, height: 600, channels: 3 } })
      .jpeg({ quality: 92 })
      .withMetadata({ orientation: 6 })
      .withExifMerge({
        IFD0: { Make: 'PhoneMaker' },
        IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '48/1 51/1 2400/100', GPSLongitudeRef: 'E', GPSLongitude: '2/1 21/1 300/100' },
      })
      .withXmp(
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" dc:creator="Someone"/></rdf:RDF></x:xmpmeta>',
      )
      .withIccProfile('p3')
      .toBuffer();
    const before = await sharp(original).metadata();
    expect(before).toMatchObject({ width: 800, height: 600, orientation: 6 });
    expect(before.xmp).toBeDefined();
    expect(before.icc).toBeDefined();
    // The GPS IFD pointer, tag 0x8825, little-endian.
    expect(before.exif!.includes(Buffer.from([0x25, 0x88]))).toBe(true);

    const complaint = await openComplaint();
    const evidence = await added(consumer, complaint.id, fileOf(original, 'IMG_0001.jpg', 'image/jpeg'));
    expect(evidence).toMatchObject({ uploadedByRole: 'CONSUMER', contentType: 'image/jpeg', width: 600, height: 800 });

    const stored = await download(evidence.url);
    expect(stored.equals(original)).toBe(false);
    expect(sha256(stored)).toBe(evidence.sha256);
    expect(stored.length).toBe(evidence.byteSize);
    const meta = await sharp(stored).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', width: 600, height: 800, space: 'srgb' });
    expect({ exif: meta.exif, xmp: meta.xmp, icc: meta.icc, iptc: meta.iptc, orientation: meta.orientation }).toEqual({
      exif: undefined,
      xmp: undefined,
      icc: undefined,
      iptc: undefined,
      orientation: undefined,
    });
    const colourAt = async (left: number, top: number) => {
      const [r = 0, g = 0, b = 0] = await sharp(stored).extract({ left, top, width: 1, height: 1 }).raw().toBuffer();
      return r > 200 && g < 60 && b < 60 ? 'red' : b > 200 && r < 60 && g < 60 ? 'blue' : `rgb(${r},${g},${b})`;
    };
    expect([await colourAt(300, 100), await colourAt(300, 700)]).toEqual(['red', 'blue']);

    const thumbnail = await sharp(await download(evidence.thumbnailUrl)).metadata();
    expect(thumbnail).toMatchObject({ format: 'jpeg', width: 240, height: 320 });
    expect(thumbnail.exif).toBeUndefined();

    // Only the sanitized image and its thumbnail are stored, under keys that don't reveal the original.
    const id = rowId(evidence.id);
    const mine = (await evidenceKeys()).filter((key) => key.includes(id));
    expect(mine.sort()).toEqual([`evidence-thumbnails/${id}`, `evidence/${id}`]);
    const everything = await objects();
    expect(everything.filter((o) => o.key.includes(sha256(original)))).toEqual([]);
    expect(everything.filter((o) => o.etag === md5(original))).toEqual([]);
  });

  it('is at most 4096 px on its long side', async () => {
    const complaint = await openComplaint();
    const evidence = await added(consumer, complaint.id, await photo(5, 6000, 4000));
    expect(evidence.width).toBe(4096);
    expect(Math.abs(evidence.height - (4000 * 4096) / 6000)).toBeLessThanOrEqual(1);
    const meta = await sharp(await download(evidence.url)).metadata();
    expect({ width: meta.width, height: meta.height }).toEqual({ width: evidence.width, height: evidence.height });
  });
});

describe('photo formats', () => {
  it.each([
    ['PNG', 'png', 'image/png'],
    ['WebP', 'webp', 'image/webp'],
    ['AVIF', 'avif', 'image/avif'],
  ] as const)('accepts %s', async (_name, format, type) => {
    const complaint = await openComplaint();
    const bytes = await sharp(await bytesOf(await photo(6)))
      .toFormat(format)
      .toBuffer();
    const evidence = await added(consumer, complaint.id, fileOf(bytes, `photo.${format}`, type));
    expect(evidence).toMatchObject({ contentType: 'image/jpeg', width: 800, height: 600 });
  });

  it('goes by the bytes, not the declared type or name', async () => {
    const complaint = await openComplaint();
    const png = await sharp(await bytesOf(await photo(7)))
      .png()
      .toBuffer();
    const evidence = await added(consumer, complaint.id, fileOf(png, 'notes.txt', 'text/plain'));
    expect(evidence).toMatchObject({ contentType: 'image/jpeg', width: 800, height: 600 });
  });

  const refusals: Array<[string, () => Promise<File>, string]> = [
    [
      'an SVG',
      async () =>
        fileOf(
          Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'),
          'logo.svg',
          'image/svg+xml',
        ),
      'UNSUPPORTED_MEDIA',
    ],
    [
      'an SVG named .jpg',
      async () => fileOf(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'), 'photo.jpg', 'image/jpeg'),
      'UNSUPPORTED_MEDIA',
    ],
    [
      'a GIF',
      async () =>
        fileOf(
          await sharp(await bytesOf(await photo(8)))
            .gif()
            .toBuffer(),
          'photo.gif',
          'image/gif',
        ),
      'UNSUPPORTED_MEDIA',
    ],
    [
      'a text file named .jpg',
      async () => fileOf(Buffer.from('This is not a photo, just some text.\n'.repeat(20)), 'photo.jpg', 'image/jpeg'),
      'UNSUPPORTED_MEDIA',
    ],
    // A valid JPEG with trailing bytes: decoders ignore them, the size limit must not.
    [
      'a JPEG over 15 MB',
      async () => fileOf(Buffer.concat([await bytesOf(await photo(9)), Buffer.alloc(15 * 1024 * 1024 + 1)]), 'big.jpg', 'image/jpeg'),
      'LIMIT_EXCEEDED',
    ],
    [
      'an 8000×6000 (48 MP) JPEG',
      async () =>
        fileOf(
          await sharp({ create: { width: 8000, height: 6000, channels: 3, background: '#808080' } })
            .jpeg()
            .toBuffer(),
          'huge.jpg',
          'image/jpeg',
        ),
      'LIMIT_EXCEEDED',
    ],
  ];

  describe.each(refusals)('%s', (_name, make, code) => {
    it(`is refused as ${code} and leaves no evidence and no stored object`, async () => {
      const complaint = await openComplaint();
      const keysBefore = await objectKeys(stack, EVIDENCE_PREFIXES);
      const res = await addPhoto(stack, consumer, complaint.id, await make());
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.addEvidence).toEqual({
        evidence: null,
        userErrors: [{ code, field: ['input', 'photo'], message: expect.any(String) }],
      });
      expect(await stack.db.evidence.count({ where: { complaintId: rowId(complaint.id) } })).toBe(0);
      // Others may upload evidence meanwhile: a new object is ours only if no Evidence row or upload in flight owns it.
      expect(await strayObjects(stack, keysBefore, EVIDENCE_PREFIXES)).toEqual([]);
    });
  });
});

describe('similarEvidence', () => {
  const EVIDENCE_VIEW = /* GraphQL */ `
    query ($id: ID!) {
      node(id: $id) {
        ... on Evidence {
          id
          similarEvidence {
            id
          }
        }
      }
    }
  `;
  const similarTo = async (evidenceId: string, who: Actor) => {
    const res = await stack.gql(EVIDENCE_VIEW, { id: evidenceId }, { token: who.token });
    expect(res.body.errors).toBeUndefined();
    return (res.body.data.node.similarEvidence as Array<{ id: string }>).map((e) => e.id);
  };
  // A photo no earlier run has filed, so matches come from this test only.
  const seed = 1_000 + Math.floor(Math.random() * 1_000_000);

  it('lists a re-encoded, resized copy filed in another complaint to a reviewer, but not a different photo', async () => {
    const otherConsumer = await actor(stack, 'consumer-b', ['CONSUMER']);
    const originalPhoto = await bytesOf(await photo(seed));
    const first = await added(consumer, (await openComplaint()).id, fileOf(originalPhoto, 'a.jpg', 'image/jpeg'));

    const copy = await sharp(originalPhoto).resize(560).jpeg({ quality: 55 }).toBuffer();
    const secondComplaint = await fileComplaint(stack, otherConsumer, (await createStore(stack, merchant)).id);
    const reused = await added(otherConsumer, secondComplaint.id, fileOf(copy, 'b.jpg', 'image/jpeg'));
    // Mirrored, so its light-to-dark gradient runs the other way: a different picture to a perceptual hash.
    const otherPicture = await sharp(await bytesOf(await photo(seed + 1)))
      .flop()
      .jpeg()
      .toBuffer();
    const different = await added(otherConsumer, secondComplaint.id, fileOf(otherPicture, 'c.jpg', 'image/jpeg'));
    expect(hamming(first.perceptualHash, reused.perceptualHash)).toBeLessThanOrEqual(6);
    expect(hamming(first.perceptualHash, different.perceptualHash)).toBeGreaterThan(SIMILAR_EVIDENCE_DISTANCE);

    expect(await similarTo(reused.id, reviewer)).toContain(first.id);
    expect(await similarTo(first.id, reviewer)).toContain(reused.id);
    expect(await similarTo(different.id, reviewer)).not.toContain(first.id);
    expect(await similarTo(first.id, reviewer)).not.toContain(different.id);

    // Each consumer sees only their own complaints, so not each other's photos.
    expect(reused.similarEvidence).toEqual([]);
    expect(await similarTo(reused.id, otherConsumer)).toEqual([]);
    expect(await similarTo(first.id, consumer)).toEqual([]);
  });

  it("shows a consumer their own reused photo even when other consumers' complaints hold many copies of it", async () => {
    const photoBytes = await bytesOf(await photo(seed + 2));
    const other = await actor(stack, 'consumer-c', ['CONSUMER']);
    const othersComplaint = await fileComplaint(stack, other, (await createStore(stack, merchant)).id);
    for (let i = 0; i < 21; i++) await added(other, othersComplaint.id, fileOf(photoBytes, `copy-${i}.jpg`, 'image/jpeg'));

    const earlier = await added(consumer, (await openComplaint()).id, fileOf(photoBytes, 'mine-1.jpg', 'image/jpeg'));
    const later = await added(consumer, (await openComplaint()).id, fileOf(photoBytes, 'mine-2.jpg', 'image/jpeg'));
    expect(await similarTo(later.id, consumer)).toEqual([earlier.id]);
  }, 120_000);
});

describe('who may add evidence, and when', () => {
  let brandMember: Actor;
  let otherBrandMember: Actor;
  let stranger: Actor;
  let complaintId: string;
  let brandId: string;

  beforeAll(async () => {
    brandMember = await actor(stack, 'brand-member', ['BRAND']);
    otherBrandMember = await actor(stack, 'other-brand-member', ['BRAND']);
    stranger = await actor(stack, 'stranger', ['CONSUMER', 'MERCHANT']);
    brandId = (await registerBrand(stack, brandMember.token, unique('brand'))).id;
    await registerBrand(stack, otherBrandMember.token, unique('brand'));
    complaintId = (await openComplaint(merchant, brandId)).id;
  });

  const accepted = async (who: Actor, role: string) => expect((await added(who, complaintId)).uploadedByRole).toBe(role);

  async function refusedInState(who: Actor) {
    const before = await stack.db.evidence.count({ where: { complaintId: rowId(complaintId) } });
    const res = await addPhoto(stack, who, complaintId);
    expect(res.body.data.addEvidence).toEqual({
      evidence: null,
      userErrors: [{ code: 'NOT_ALLOWED_IN_STATE', field: ['input', 'complaintId'], message: expect.any(String) }],
    });
    expect(await stack.db.evidence.count({ where: { complaintId: rowId(complaintId) } })).toBe(before);
  }

  async function forbidden(who: Actor | null, code = 'FORBIDDEN') {
    const res = await stack.gql(
      `mutation ($input: AddEvidenceInput!) { addEvidence(input: $input) { evidence { id } userErrors { code } } }`,
      { input: { complaintId, photo: null } },
      { token: who?.token, files: { 'input.photo': await photo() } },
    );
    if (who) {
      // addEvidence is non-null, so the error nulls the whole response.
      expect(res.body).toMatchObject({ data: null, errors: [{ path: ['addEvidence'], extensions: { code } }] });
    } else {
      // Without a token the upload is refused before its body is read: no field ran.
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ errors: [expect.objectContaining({ extensions: { code } })] });
    }
    expect(res.body.errors).toHaveLength(1);
  }

  it('awaiting evidence: the consumer and the brand, not the merchant', async () => {
    await accepted(consumer, 'CONSUMER');
    await accepted(brandMember, 'BRAND');
    await refusedInState(merchant);
  });

  it('nobody else, ever', async () => {
    await forbidden(stranger);
    await forbidden(reviewer);
    await forbidden(otherBrandMember);
    await forbidden(null, 'UNAUTHENTICATED');
  });

  it('in the response window: the merchant and the brand, no longer the consumer', async () => {
    await step(SUBMIT_COMPLAINT, consumer, { complaintId });
    await accepted(merchant, 'MERCHANT');
    await accepted(brandMember, 'BRAND');
    await refusedInState(consumer);
  });

  it('under review: only the brand', async () => {
    await step(RESPOND_TO_COMPLAINT, merchant, { complaintId, statement: 'Genuine stock, invoices attached.' });
    await accepted(brandMember, 'BRAND');
    await refusedInState(merchant);
    await refusedInState(consumer);
  });

  it('once decided: nobody', async () => {
    await step(CLAIM_COMPLAINT, reviewer, { complaintId });
    await step(DECIDE_COMPLAINT, reviewer, { complaintId, verdict: 'NOT_COUNTERFEIT', note: 'The photos show a genuine bag.' });
    await refusedInState(brandMember);
    await refusedInState(consumer);
    await refusedInState(merchant);
  });
});
