import { TlogError } from './errors.js';
import { inclusionProof, leafHash, nodesRead, perfectRoot, verifyInclusion, type NodeReader } from './hashing.js';
import { TILE_HEIGHT, TILE_WIDTH, decodeBundle, fetchTiles, nodeReaderFromTiles, type Bundle, type TileSource } from './tiles.js';
import type { Checkpoint } from './checkpoint.js';

/**
 * Checks an entry bundle against a verified checkpoint and returns its entries.
 * The inclusion proof of the bundle's first entry is built with the hashes
 * below the bundle taken from the bundle itself (not from the stored tile) and
 * the rest from tiles; that proof covers every leaf of the bundle, so if it
 * leads to the signed root, every entry is the one the log committed to.
 */
export async function verifyBundle(source: TileSource, checkpoint: Checkpoint, bundle: Bundle, data: Uint8Array): Promise<Buffer[]> {
  const first = bundle.index * TILE_WIDTH;
  const expectedWidth = Math.min(TILE_WIDTH, checkpoint.size - first);
  if (expectedWidth <= 0 || bundle.width !== expectedWidth) {
    throw new TlogError('OUT_OF_RANGE', `bundle ${bundle.index} of width ${bundle.width} is not part of a tree of size ${checkpoint.size}`);
  }
  const entries = decodeBundle(data, bundle.width);
  const leaves = entries.map((e) => leafHash(e));
  const inBundle = (level: number, index: number): boolean =>
    level < TILE_HEIGHT && index * 2 ** level >= first && (index + 1) * 2 ** level <= first + bundle.width;
  const prove = (tiles: NodeReader): ReturnType<typeof inclusionProof> =>
    inclusionProof(
      {
        node: (level, index) =>
          inBundle(level, index)
            ? perfectRoot(leaves.slice(index * 2 ** level - first, (index + 1) * 2 ** level - first))
            : tiles.node(level, index),
      },
      first,
      checkpoint.size,
    );
  // Only the nodes outside the bundle reach the tile reader, so only their tiles are fetched.
  const tiles = nodeReaderFromTiles(checkpoint.size, await fetchTiles(source, checkpoint.size, nodesRead(prove)));
  verifyInclusion(leaves[0]!, first, checkpoint.size, prove(tiles), checkpoint.root);
  return entries;
}
