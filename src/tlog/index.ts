// The transparency log core: pure functions and classes on node:crypto, no I/O.
// Storage, signing keys and serving are wired by the caller.
export { TlogError, type TlogErrorCode } from './errors.js';
export {
  EMPTY_ROOT,
  HASH_SIZE,
  MemoryTree,
  consistencyProof,
  inclusionProof,
  leafHash,
  nodeHash,
  nodesRead,
  rootFromInclusionProof,
  subtreeRoot,
  treeRoot,
  verifyConsistency,
  verifyInclusion,
  type Hash,
  type NodeId,
  type NodeReader,
} from './hashing.js';
export {
  MAX_ENTRY_SIZE,
  TILE_WIDTH,
  bundlePath,
  computeFromTiles,
  decodeBundle,
  encodeBundle,
  newBundles,
  newTiles,
  parseTilePath,
  partialTiles,
  tileData,
  tilePath,
  type Bundle,
  type Tile,
  type TilePath,
  type TileSource,
} from './tiles.js';
export { TileAppender, type AppendResult, type TileWrite } from './appender.js';
export { verifyBundle } from './bundle-check.js';
export {
  addSignatures,
  generateNoteKey,
  noteSigner,
  noteVerifier,
  openNote,
  signNote,
  type NoteSignature,
  type NoteSigner,
  type NoteVerifier,
  type OpenedNote,
} from './note.js';
export { cosignatureTimestamp, cosignatureVerifier, cosigner } from './cosignature.js';
export {
  formatCheckpoint,
  openCheckpoint,
  parseCheckpoint,
  signCheckpoint,
  type Checkpoint,
  type LogPolicy,
  type VerifiedCheckpoint,
} from './checkpoint.js';
export {
  CheckpointFollower,
  formatTlogProof,
  parseTlogProof,
  verifyCheckpointConsistency,
  verifyTlogProof,
  type TlogProof,
} from './proof.js';
