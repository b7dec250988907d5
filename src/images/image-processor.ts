import { createHash } from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type';
import sharp, { type Metadata } from 'sharp';
import { fail, ok, type Result } from '../errors.js';
import { perceptualHash } from './perceptual-hash.js';

export const EVIDENCE_TYPES: readonly string[] = Object.freeze(['image/jpeg', 'image/png', 'image/webp', 'image/avif']);

export interface ImageLimits {
  maxBytes: number;
  maxPixels: number;
  maxLongSide: number;
  thumbnailLongSide: number;
}

export const DEFAULT_IMAGE_LIMITS: ImageLimits = Object.freeze({
  maxBytes: 15 * 1024 * 1024,
  maxPixels: 40_000_000,
  maxLongSide: 4096,
  thumbnailLongSide: 320,
});

export interface ProcessedImage {
  contentType: string;
  width: number;
  height: number;
  byteSize: number;
  body: Buffer;
  sha256: string;
  originalSha256: string;
  perceptualHash: string;
  thumbnail: { contentType: string; width: number; height: number; body: Buffer };
}

/** An image document (certificate, letter) rebuilt from its pixels alone. */
export interface SanitizedDocumentImage {
  contentType: string;
  width: number;
  height: number;
  body: Buffer;
}

export interface ImageProcessor {
  process(input: Buffer, field: string[]): Promise<Result<ProcessedImage>>;
  /**
   * Re-encodes a JPEG or PNG document in its own format from its decoded
   * pixels, so nothing of the upload but the picture survives: no EXIF, GPS,
   * XMP, comments, text chunks, or bytes appended after the image.
   */
  sanitizeDocument(input: Buffer, field: string[]): Promise<Result<SanitizedDocumentImage>>;
}

/** Image formats accepted for documents; PDFs are checked apart (src/documents). */
export const DOCUMENT_IMAGE_TYPES: readonly string[] = Object.freeze(['image/jpeg', 'image/png']);

// libvips' loader name for each accepted type. Both sniffers must agree, so a
// polyglot file that file-type reads as one format and libvips as another is refused.
const LOADER: Record<string, string> = { 'image/jpeg': 'jpeg', 'image/png': 'png', 'image/webp': 'webp', 'image/avif': 'heif' };

const ACCEPTED = 'JPEG, PNG, WebP or AVIF';
const OUTPUT_TYPE = 'image/jpeg';
// Evidence is always viewed on a page, never composited, so transparency carries
// no meaning; flattening onto white lets every output be one bounded-size JPEG.
const BACKGROUND = '#ffffff';
// 'error' rejects truncated and undecodable data but tolerates the libjpeg
// warnings (stray bytes before a marker) that many phone cameras produce.
const FAIL_ON = 'error' as const;
// mozjpeg's quantisation table and deringing, baseline (not progressive), no
// trellis. Measured on a noisy 12 MP photo on this 2-core machine: the full
// `mozjpeg: true` preset took ~6 s to encode for 2.3 MB; this takes ~0.35 s for
// 2.8 MB. Progressive alone doubled encode time for 3% fewer bytes and made
// re-reading the output (thumbnail, hash) 4× slower, as shrink-on-load then has
// to decode every scan.
const JPEG_OUTPUT = { quality: 85, quantisationTable: 3, overshootDeringing: true, optimiseCoding: true } as const;

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const megabytes = (n: number): string => `${(n / (1024 * 1024)).toFixed(1)} MB`;
const megapixels = (n: number): string => `${(n / 1_000_000).toFixed(1)} megapixels`;

export function createSharpImageProcessor(overrides: Partial<ImageLimits> = {}): ImageProcessor {
  const limits: ImageLimits = { ...DEFAULT_IMAGE_LIMITS, ...overrides };

  async function process(input: Buffer, field: string[]): Promise<Result<ProcessedImage>> {
    if (input.length === 0) return fail('INVALID', 'The photo is empty.', field);
    if (input.length > limits.maxBytes) {
      return fail('LIMIT_EXCEEDED', `The photo is ${megabytes(input.length)}; photos may be at most ${megabytes(limits.maxBytes)}.`, field);
    }

    // The declared type and file name are never consulted: only the bytes decide.
    const sniffed = await fileTypeFromBuffer(input).catch(() => undefined);
    if (!sniffed || !EVIDENCE_TYPES.includes(sniffed.mime)) {
      const what = sniffed ? `${sniffed.mime} content` : 'not an image format we recognise';
      return fail('UNSUPPORTED_MEDIA', `The photo is ${what}; send a ${ACCEPTED} image.`, field);
    }

    // metadata() parses the header only, so an oversized image is refused before
    // a single pixel is decoded.
    let header: Metadata;
    try {
      header = await sharp(input, { failOn: FAIL_ON }).metadata();
    } catch (error) {
      if (isBlockedLoader(error)) return fail('UNSUPPORTED_MEDIA', `The photo is not a ${ACCEPTED} image.`, field);
      return unreadable(field);
    }
    if (header.format !== LOADER[sniffed.mime] || (header.format === 'heif' && header.compression !== 'av1')) {
      return unreadable(field);
    }
    const pixels = header.width * header.height;
    if (!(pixels > 0)) return unreadable(field);
    if (pixels > limits.maxPixels) {
      return fail(
        'LIMIT_EXCEEDED',
        `The photo is ${header.width}×${header.height} (${megapixels(pixels)}); photos may be at most ${megapixels(limits.maxPixels)}.`,
        field,
      );
    }

    try {
      // The one decode of the untrusted input. limitInputPixels repeats the header
      // check inside libvips in case a loader reports different dimensions.
      const { data: body, info } = await sharp(input, {
        failOn: FAIL_ON,
        limitInputPixels: limits.maxPixels,
        autoOrient: true,
        sequentialRead: true,
      })
        .resize({ width: limits.maxLongSide, height: limits.maxLongSide, fit: 'inside', withoutEnlargement: true })
        .flatten({ background: BACKGROUND })
        .toColourspace('srgb')
        // Without keepMetadata/withMetadata sharp writes no EXIF, XMP, IPTC or ICC
        // (pixels are converted to sRGB first), which is what we want.
        .jpeg(JPEG_OUTPUT)
        .toBuffer({ resolveWithObject: true });

      // The thumbnail and hash are derived from the sanitized output rather than
      // the original: it is already upright, sRGB and at most 4096 px, JPEG
      // shrink-on-load makes re-reading it cheap, and both then describe exactly
      // what is stored.
      const [thumbnail, hash] = await Promise.all([makeThumbnail(body), perceptualHash(body)]);
      return ok({
        contentType: OUTPUT_TYPE,
        width: info.width,
        height: info.height,
        byteSize: body.length,
        body,
        sha256: sha256(body),
        originalSha256: sha256(input),
        perceptualHash: hash,
        thumbnail,
      });
    } catch (error) {
      if (error instanceof Error && /pixel limit/i.test(error.message)) {
        return fail('LIMIT_EXCEEDED', `The photo has more than ${megapixels(limits.maxPixels)}.`, field);
      }
      return unreadable(field);
    }
  }

  async function makeThumbnail(body: Buffer): Promise<ProcessedImage['thumbnail']> {
    const side = limits.thumbnailLongSide;
    const { data, info } = await sharp(body, { failOn: FAIL_ON })
      .resize({ width: side, height: side, fit: 'inside', withoutEnlargement: true })
      .jpeg({ ...JPEG_OUTPUT, quality: 80 })
      .toBuffer({ resolveWithObject: true });
    return { contentType: OUTPUT_TYPE, width: info.width, height: info.height, body: data };
  }

  async function sanitizeDocument(input: Buffer, field: string[]): Promise<Result<SanitizedDocumentImage>> {
    const sniffed = await fileTypeFromBuffer(input).catch(() => undefined);
    if (!sniffed || !DOCUMENT_IMAGE_TYPES.includes(sniffed.mime)) {
      return fail(
        'UNSUPPORTED_MEDIA',
        `The file is ${sniffed ? `a ${sniffed.mime} file` : 'not a recognised format'}; accepted: PDF, JPEG, PNG.`,
        field,
      );
    }
    let header: Metadata;
    try {
      header = await sharp(input, { failOn: FAIL_ON }).metadata();
    } catch (error) {
      return isBlockedLoader(error) ? unsupportedDocument(field) : unreadableDocument(field);
    }
    if (header.format !== LOADER[sniffed.mime]) return unreadableDocument(field);
    const pixels = header.width * header.height;
    if (!(pixels > 0)) return unreadableDocument(field);
    if (pixels > limits.maxPixels) {
      return fail(
        'LIMIT_EXCEEDED',
        `The image is ${header.width}×${header.height} (${megapixels(pixels)}); document images may be at most ${megapixels(limits.maxPixels)}.`,
        field,
      );
    }
    try {
      // Full size: a reviewer reads the fine print of a certificate. PNG stays
      // PNG, losslessly, because scans of documents are text and line art that
      // a lossy re-encode would blur; a JPEG was lossy already and stays JPEG.
      const pipeline = sharp(input, {
        failOn: FAIL_ON,
        limitInputPixels: limits.maxPixels,
        autoOrient: true,
        sequentialRead: true,
      }).toColourspace('srgb');
      const encoded = sniffed.mime === 'image/png' ? pipeline.png() : pipeline.jpeg({ ...JPEG_OUTPUT, quality: 90 });
      const { data: body, info } = await encoded.toBuffer({ resolveWithObject: true });
      return ok({ contentType: sniffed.mime, width: info.width, height: info.height, body });
    } catch (error) {
      if (error instanceof Error && /pixel limit/i.test(error.message)) {
        return fail('LIMIT_EXCEEDED', `The image has more than ${megapixels(limits.maxPixels)}.`, field);
      }
      return unreadableDocument(field);
    }
  }

  return { process, sanitizeDocument };
}

/** libvips answers this for input whose loader is blocked (src/images/image-loaders.ts) or absent. */
const isBlockedLoader = (error: unknown) => error instanceof Error && /unsupported image format/i.test(error.message);

function unreadable(field: string[]) {
  return fail('INVALID', `The photo could not be read; it may be damaged or incomplete. Send a ${ACCEPTED} image.`, field);
}

function unreadableDocument(field: string[]) {
  return fail('INVALID', 'The image could not be read; it may be damaged or incomplete. Send a PDF, JPEG or PNG file.', field);
}

function unsupportedDocument(field: string[]) {
  return fail('UNSUPPORTED_MEDIA', 'The file is not a format we accept; accepted: PDF, JPEG, PNG.', field);
}
