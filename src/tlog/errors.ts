/**
 * Why a log artefact was refused. Callers branch on `code`; the message is for logs.
 * - MALFORMED: bytes that do not follow the format (note, checkpoint, proof, tile, path).
 * - BAD_SIGNATURE: a signature by a known key that does not verify.
 * - UNVERIFIED: no signature (or not enough cosignatures) from the keys the caller trusts.
 * - BAD_PROOF: an inclusion or consistency proof that does not lead to the signed root.
 * - FORK: two signed trees of one log that cannot both be true.
 * - OUT_OF_RANGE: an index or size outside the tree.
 */
export type TlogErrorCode = 'MALFORMED' | 'BAD_SIGNATURE' | 'UNVERIFIED' | 'BAD_PROOF' | 'FORK' | 'OUT_OF_RANGE';

export class TlogError extends Error {
  constructor(
    readonly code: TlogErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'TlogError';
  }
}

export function malformed(message: string): TlogError {
  return new TlogError('MALFORMED', message);
}
