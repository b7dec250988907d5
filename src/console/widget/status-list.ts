import { base64url } from 'jose';

/**
 * The bits of a W3C Bitstring Status List's `encodedList`: multibase "u"
 * (base64url without padding) of the gzipped bitstring.
 */
export async function decodeStatusList(encodedList: string): Promise<Uint8Array> {
  if (!encodedList.startsWith('u')) throw new Error('The status list is not multibase base64url.');
  const gzipped = base64url.decode(encodedList.slice(1));
  const stream = new Blob([gzipped as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Bit `index`, most significant bit of each byte first; an index outside the list is an error, not "not set". */
export function isBitSet(bits: Uint8Array, index: number): boolean {
  if (!Number.isInteger(index) || index < 0 || index >= bits.length * 8) {
    throw new RangeError(`Index ${index} is outside a list of ${bits.length * 8} bits.`);
  }
  return (bits[index >> 3]! & (0x80 >> (index & 7))) !== 0;
}
