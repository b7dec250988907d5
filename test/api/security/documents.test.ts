import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { letterInput, submitLetter } from '../../support/authorization-chain.js';
import { registerBrand, submitTrademark } from '../../support/brand-operations.js';
import { addPhoto, fileComplaint } from '../../support/complaint-operations.js';
import { pdfBytes, type PdfParts } from '../../support/pdf-files.js';
import { HTML_PAYLOAD, ZIP_LOCAL_HEADER, zipOf } from '../../support/polyglots.js';
import { rowId, startStack, unique, type Stack } from '../../support/stack.js';
import { actor, createStore, verifiedBrand, type Actor } from '../../support/store-operations.js';
import { DOCUMENT_PREFIXES, EVIDENCE_PREFIXES, objectKeys, strayObjects } from '../../support/stored-objects.js';

// Documents as uploaded: certificates and letters are handed to reviewers, so
// the service stores only what is safe to open. PDFs are parsed and refused
// with active content, encryption or bytes after their end; JPEG and PNG
// documents are rebuilt from their pixels (no EXIF/GPS, nothing appended);
// anything else is UNSUPPORTED_MEDIA. Image formats the service never reads
// can't reach a libvips decoder at all.

let stack: Stack;
let brandOwner: Actor;

beforeAll(async () => {
  stack = await startStack({ worker: true });
  brandOwner = await actor(stack, 'brand-owner', ['BRAND', 'MERCHANT']);
});

afterAll(async () => {
  await stack?.close();
});

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const upload = (bytes: Uint8Array, name: string, type: string) => new File([new Uint8Array(bytes)], name, { type });
const download = async (url: string) => Buffer.from(await (await fetch(url)).arrayBuffer());

/** Submits a trademark with this certificate, for a brand of its own; returns the answer and the brand's row id. */
async function certify(file: File) {
  const brand = await registerBrand(stack, brandOwner.token, unique('brand'));
  const res = await submitTrademark(stack, brandOwner.token, brand.id, {}, file);
  return { res, brandRowId: rowId(brand.id) };
}

/** The refusal, and nothing written: no trademark, no document row, no stored object. */
async function expectRefused(file: File, code: string, message: RegExp) {
  const keysBefore = await objectKeys(stack, DOCUMENT_PREFIXES);
  const documentsBefore = await stack.db.document.count({ where: { uploadedBy: { subject: brandOwner.subject } } });
  const { res, brandRowId } = await certify(file);
  expect(res.status).toBe(200);
  expect(res.body).toEqual({
    data: {
      submitTrademark: {
        trademark: null,
        userErrors: [{ code, field: ['input', 'certificate'], message: expect.stringMatching(message) }],
      },
    },
  });
  expect(await stack.db.trademark.count({ where: { brandId: brandRowId } })).toBe(0);
  expect(await stack.db.document.count({ where: { uploadedBy: { subject: brandOwner.subject } } })).toBe(documentsBefore);
  expect(await strayObjects(stack, keysBefore, DOCUMENT_PREFIXES)).toEqual([]);
}

async function accepted(file: File) {
  const { res } = await certify(file);
  expect(res.body.data?.submitTrademark.userErrors, JSON.stringify(res.body)).toEqual([]);
  const document = res.body.data.submitTrademark.trademark.document as {
    contentType: string;
    byteSize: number;
    sha256: string;
    url: string;
  };
  const stored = await download(document.url);
  expect(sha256(stored)).toBe(document.sha256);
  expect(stored.length).toBe(document.byteSize);
  return { document, stored };
}

describe('PDF certificates', () => {
  const pdf = (parts: PdfParts) => upload(pdfBytes(parts), 'certificate.pdf', 'application/pdf');

  it('are stored byte for byte when they are plain documents (a signature over the bytes stays valid)', async () => {
    const bytes = pdfBytes({ text: 'EUIPO 018000001', catalogExtra: '/OpenAction [3 0 R /Fit]' });
    const { document, stored } = await accepted(upload(bytes, 'certificate.pdf', 'application/pdf'));
    expect(document.contentType).toBe('application/pdf');
    expect(stored.equals(bytes)).toBe(true);
  });

  it.each([
    ['followed by an HTML page (a PDF+HTML polyglot)', { after: HTML_PAYLOAD }, /data after its end/],
    ['followed by a ZIP archive', { after: zipOf('payload.js', 'alert(1)').toString('latin1') }, /data after its end/],
    [
      'running JavaScript when opened',
      { catalogExtra: '/OpenAction 6 0 R', objects: ['<< /S /JavaScript /JS (app.alert\\(1\\)) >>'] },
      /active content \(\/OpenAction\)/,
    ],
    [
      'with JavaScript in its name tree, the name hex-escaped',
      { catalogExtra: '/Names << /J#61vaScript 6 0 R >>', objects: ['<< /Names [(x) 7 0 R] >>', '<< /S /JS /JS (app.alert\\(1\\)) >>'] },
      /active content \(\/JavaScript\)/,
    ],
    [
      'launching a program from a link',
      {
        objects: ['<< /Type /Annot /Subtype /Link /Rect [0 0 100 100] /A << /S /Launch /F (cmd.exe) >> >>'],
      },
      /active content \(\/Launch\)/,
    ],
    [
      'carrying an embedded file',
      {
        catalogExtra: '/Names << /EmbeddedFiles 6 0 R >>',
        objects: ['<< /Names [(invoice.exe) 7 0 R] >>', '<< /Type /Filespec /F (invoice.exe) >>'],
      },
      /active content \(\/EmbeddedFiles\)/,
    ],
    [
      'carrying RichMedia (Flash, video)',
      { objects: ['<< /Type /Annot /Subtype /RichMedia /Rect [0 0 10 10] >>'] },
      /active content \(\/RichMedia\)/,
    ],
    [
      'encrypted',
      { trailerExtra: '/Encrypt 6 0 R /ID [<00> <00>]', objects: ['<< /Filter /Standard /V 1 /R 2 /O (x) /U (x) /P -4 >>'] },
      /encrypted/,
    ],
  ])('are refused as UNSUPPORTED_MEDIA when %s, and nothing is stored', async (_case, parts, message) => {
    await expectRefused(pdf(parts), 'UNSUPPORTED_MEDIA', message);
  });

  it('are refused as INVALID when they start like a PDF but are not one', async () => {
    await expectRefused(
      upload(Buffer.from('%PDF-1.7\nnot really a document\n%%EOF\n'), 'certificate.pdf', 'application/pdf'),
      'INVALID',
      /damaged/,
    );
  });

  it('are checked the same way as authorization letters', async () => {
    const reviewer = await actor(stack, 'reviewer', ['REVIEWER']);
    const brand = await verifiedBrand(stack, brandOwner, reviewer);
    const reseller = await actor(stack, 'reseller', ['MERCHANT']);
    const store = await createStore(stack, reseller);
    const keysBefore = await objectKeys(stack, DOCUMENT_PREFIXES);
    const res = await submitLetter(stack, reseller, letterInput(store.id, brand.id), pdf({ after: HTML_PAYLOAD }));
    expect(res.body).toEqual({
      data: {
        submitAuthorizationLetter: {
          letter: null,
          userErrors: [{ code: 'UNSUPPORTED_MEDIA', field: ['input', 'letter'], message: expect.stringMatching(/data after its end/) }],
        },
      },
    });
    expect(await stack.db.authorizationLetter.count({ where: { storeId: rowId(store.id) } })).toBe(0);
    expect(await strayObjects(stack, keysBefore, DOCUMENT_PREFIXES)).toEqual([]);
  });
});

describe('image certificates', () => {
  const base = () => sharp({ create: { width: 640, height: 480, channels: 3, background: '#2a6' } });

  it('lose a ZIP appended to a JPEG: the stored file is the re-encoded picture alone', async () => {
    const jpeg = await base().jpeg({ quality: 90 }).toBuffer();
    const polyglot = Buffer.concat([jpeg, zipOf('payload.html', HTML_PAYLOAD)]);
    expect(polyglot.includes(ZIP_LOCAL_HEADER)).toBe(true);
    const { document, stored } = await accepted(upload(polyglot, 'certificate.jpg', 'image/jpeg'));
    expect(document.contentType).toBe('image/jpeg');
    expect(stored.includes(ZIP_LOCAL_HEADER)).toBe(false);
    expect(stored.includes(Buffer.from('<script>'))).toBe(false);
    expect(await sharp(stored).metadata()).toMatchObject({ format: 'jpeg', width: 640, height: 480 });
  });

  it('lose their EXIF and GPS, and a PNG stays a (lossless) PNG', async () => {
    const png = await base()
      .png()
      .withExif({
        IFD0: { Make: 'ScannerCo' },
        IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '48/1 51/1 2400/100', GPSLongitudeRef: 'E', GPSLongitude: '2/1 21/1 300/100' },
      })
      .toBuffer();
    const before = await sharp(png).metadata();
    // The GPS IFD pointer, tag 0x8825, little-endian.
    expect(before.exif?.includes(Buffer.from([0x25, 0x88]))).toBe(true);

    const { document, stored } = await accepted(upload(png, 'certificate.png', 'image/png'));
    expect(document.contentType).toBe('image/png');
    const after = await sharp(stored).metadata();
    expect(after).toMatchObject({ format: 'png', width: 640, height: 480 });
    expect(after.exif).toBeUndefined();
    expect(after.xmp).toBeUndefined();
    expect(stored.includes(Buffer.from('ScannerCo'))).toBe(false);
    // Lossless: the same pixels.
    const pixels = async (bytes: Buffer) => (await sharp(bytes).raw().toBuffer()).toString('base64');
    expect(await pixels(stored)).toBe(await pixels(png));
  });

  it.each([
    ['TIFF', () => base().tiff().toBuffer(), 'certificate.tiff', 'image/tiff'],
    ['GIF', () => base().gif().toBuffer(), 'certificate.gif', 'image/gif'],
    [
      'SVG',
      async () => Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>'),
      'certificate.svg',
      'image/svg+xml',
    ],
    [
      'SVG named .png',
      async () => Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'),
      'certificate.png',
      'image/png',
    ],
  ])('refuse a %s as UNSUPPORTED_MEDIA, and nothing is stored', async (_kind, make, name, type) => {
    await expectRefused(upload(await make(), name, type), 'UNSUPPORTED_MEDIA', /accepted: PDF, JPEG, PNG/);
  });
});

describe('image loaders the service never needs', () => {
  const samples = {
    TIFF: () =>
      sharp({ create: { width: 32, height: 32, channels: 3, background: '#888' } })
        .tiff()
        .toBuffer(),
    GIF: () =>
      sharp({ create: { width: 32, height: 32, channels: 3, background: '#888' } })
        .gif()
        .toBuffer(),
    SVG: async () => Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32"><rect width="32" height="32"/></svg>'),
  };

  it.each(Object.keys(samples) as Array<keyof typeof samples>)(
    'are unreachable for a %s evidence photo: UNSUPPORTED_MEDIA, no evidence, no object',
    async (kind) => {
      const bytes = await samples[kind]();
      // The API runs in this process: libvips itself refuses these bytes here, so no decoder can be reached.
      await expect(sharp(bytes).metadata()).rejects.toThrow(/unsupported image format/);

      const [consumer, merchant] = await Promise.all([actor(stack, 'consumer', ['CONSUMER']), actor(stack, 'merchant', ['MERCHANT'])]);
      const complaint = await fileComplaint(stack, consumer, (await createStore(stack, merchant)).id);
      const keysBefore = await objectKeys(stack, EVIDENCE_PREFIXES);
      const res = await addPhoto(stack, consumer, complaint.id, upload(bytes, 'photo.jpg', 'image/jpeg'));
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        data: {
          addEvidence: {
            evidence: null,
            userErrors: [{ code: 'UNSUPPORTED_MEDIA', field: ['input', 'photo'], message: expect.any(String) }],
          },
        },
      });
      expect(await stack.db.evidence.count({ where: { complaintId: rowId(complaint.id) } })).toBe(0);
      expect(await strayObjects(stack, keysBefore, EVIDENCE_PREFIXES)).toEqual([]);
    },
  );
});
