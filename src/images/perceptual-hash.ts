import sharp, { type Sharp } from 'sharp';

// pHash: the sign of the lowest 8×8 DCT frequencies of a 32×32 grey thumbnail,
// relative to their median. Low frequencies describe the layout of light and
// dark, which survives re-encoding, resizing and mild compression, while the
// detail those operations change lives in the discarded high frequencies.
const SIZE = 32;
const KEEP = 8;
// sharp's resize yields whole grey levels; rounding 32×32 samples is enough noise
// to flip the bits of coefficients near the median. Sampling at 4× and averaging
// 4×4 blocks in floating point keeps a sixteenth of that rounding noise.
const OVERSAMPLE = 4;
const SAMPLED = SIZE * OVERSAMPLE;

// COS[u][x] = cos((2x + 1)uπ / 2N); only the KEEP lowest frequencies are needed.
const COS: Float64Array[] = Array.from({ length: KEEP }, (_, u) =>
  Float64Array.from({ length: SIZE }, (_, x) => Math.cos(((2 * x + 1) * u * Math.PI) / (2 * SIZE))),
);

/**
 * 64-bit perceptual hash as 16 lowercase hex chars. A Buffer is decoded with its
 * EXIF orientation applied; a sharp pipeline is cloned and used as the caller
 * configured it (its own resize, if any, is replaced).
 */
export async function perceptualHash(image: Sharp | Buffer): Promise<string> {
  const pipeline = Buffer.isBuffer(image) ? sharp(image, { autoOrient: true, failOn: 'error' }) : image.clone();
  const { data, info } = await pipeline
    // Transparent areas would otherwise hash as whatever colour sits under the alpha.
    .flatten({ background: '#ffffff' })
    .greyscale()
    .resize(SAMPLED, SAMPLED, { fit: 'fill' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.width !== SAMPLED || info.height !== SAMPLED || info.channels !== 1) {
    throw new Error(`perceptualHash: expected ${SAMPLED}x${SAMPLED}x1 grey pixels, got ${info.width}x${info.height}x${info.channels}`);
  }
  return hashFromGrey(averageDown(data));
}

function averageDown(sampled: Uint8Array): Float64Array {
  const grey = new Float64Array(SIZE * SIZE);
  for (let y = 0; y < SAMPLED; y++) {
    const row = ((y / OVERSAMPLE) | 0) * SIZE;
    for (let x = 0; x < SAMPLED; x++) grey[row + ((x / OVERSAMPLE) | 0)]! += sampled[y * SAMPLED + x]!;
  }
  return grey.map((sum) => sum / (OVERSAMPLE * OVERSAMPLE));
}

function hashFromGrey(grey: Float64Array): string {
  // Separable 2-D DCT-II, rows first, keeping only the low frequencies of each pass.
  const rows = new Float64Array(SIZE * KEEP);
  for (let y = 0; y < SIZE; y++) {
    for (let u = 0; u < KEEP; u++) {
      let sum = 0;
      for (let x = 0; x < SIZE; x++) sum += grey[y * SIZE + x]! * COS[u]![x]!;
      rows[y * KEEP + u] = sum;
    }
  }
  const coeffs = new Float64Array(KEEP * KEEP);
  for (let v = 0; v < KEEP; v++) {
    for (let u = 0; u < KEEP; u++) {
      let sum = 0;
      for (let y = 0; y < SIZE; y++) sum += rows[y * KEEP + u]! * COS[v]![y]!;
      coeffs[v * KEEP + u] = sum;
    }
  }
  // The DC term is the mean brightness, far above every other coefficient, so it
  // would drag the median up; it is left out of the median (its bit is always 1).
  const median = medianOf(coeffs.subarray(1));
  let hex = '';
  for (let nibble = 0; nibble < 16; nibble++) {
    let value = 0;
    for (let bit = 0; bit < 4; bit++) value = (value << 1) | (coeffs[nibble * 4 + bit]! > median ? 1 : 0);
    hex += value.toString(16);
  }
  return hex;
}

function medianOf(values: Float64Array): number {
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const HEX64 = /^[0-9a-f]{16}$/i;
const POPCOUNT = [0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4];

/** Number of differing bits between two 16-hex-char hashes (0 = same, 64 = opposite). */
export function hammingDistance(a: string, b: string): number {
  if (!HEX64.test(a) || !HEX64.test(b)) {
    throw new RangeError('hammingDistance: both hashes must be 16 hex characters');
  }
  let distance = 0;
  for (let i = 0; i < 16; i++) distance += POPCOUNT[parseInt(a[i]!, 16) ^ parseInt(b[i]!, 16)]!;
  return distance;
}
