import type { Logger } from '../logger.js';
import { cosignatureVerifier, openNote } from '../tlog/index.js';
import { parseVkey } from '../tlog/note.js';

// C2SP tlog-witness: the log POSTs each new checkpoint to a witness's
// add-checkpoint with the size the witness last saw and a consistency proof
// from it. 409 answers with the size the witness really knows (resend with the
// proof from there); 422 means it rejected the proof.

export interface Witness {
  url: string;
  vkey: string;
}

export interface WitnessAnswer {
  name: string;
  /** The cosignature lines it returned that verify under its key. */
  lines: string[];
  /** The size it now holds, when it cosigned. */
  size?: number;
  error?: string;
}

const REQUEST_TIMEOUT_MS = 10_000;

export const witnessName = (witness: Witness) => parseVkey(witness.vkey).name;

export function addCheckpointBody(oldSize: number, proof: readonly Uint8Array[], checkpoint: string): string {
  const lines = [`old ${oldSize}`, ...proof.map((h) => Buffer.from(h).toString('base64'))];
  return `${lines.join('\n')}\n\n${checkpoint}`;
}

/** Keeps the signature lines of the witness's answer that verify as its cosignature of `checkpoint`. */
function verifiedLines(witness: Witness, checkpoint: string, body: string): string[] {
  const verifier = cosignatureVerifier(witness.vkey);
  const text = checkpoint.slice(0, checkpoint.indexOf('\n\n') + 1);
  return body
    .split('\n')
    .filter((line) => line.startsWith('— '))
    .filter((line) => {
      try {
        return openNote(`${text}\n${line}\n`, [verifier]).verified.some((s) => s.keyId === verifier.keyId);
      } catch {
        return false;
      }
    });
}

/**
 * Asks one witness to cosign `checkpoint` (size `size`), starting from the
 * size we believe it holds. `proofFrom(old)` gives the consistency proof from
 * `old` to `size`. One 409 is followed by a resend from the size it names.
 */
export async function requestCosignature(
  witness: Witness,
  checkpoint: string,
  size: number,
  believedSize: number,
  proofFrom: (oldSize: number) => Promise<Uint8Array[]>,
  logger: Logger,
): Promise<WitnessAnswer> {
  const name = witnessName(witness);
  let oldSize = believedSize;
  for (let attempt = 0; attempt < 2; attempt++) {
    const proof = oldSize === 0 || oldSize === size ? [] : await proofFrom(oldSize);
    let response: Response;
    try {
      response = await fetch(witness.url, {
        method: 'POST',
        body: addCheckpointBody(oldSize, proof, checkpoint),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      return { name, lines: [], error: `unreachable: ${error instanceof Error ? error.message : String(error)}` };
    }
    const body = await response.text();
    if (response.status === 200) {
      const lines = verifiedLines(witness, checkpoint, body);
      return lines.length > 0 ? { name, lines, size } : { name, lines: [], error: 'answered without a valid cosignature' };
    }
    if (response.status === 409) {
      const known = /^(0|[1-9][0-9]*)\n?$/.exec(body)?.[1];
      if (known === undefined || Number(known) > size) return { name, lines: [], error: `409 with an unusable size: ${body.slice(0, 40)}` };
      logger.info({ witness: name, believed: oldSize, known: Number(known) }, 'witness holds another size; resending');
      oldSize = Number(known);
      continue;
    }
    if (response.status === 422) return { name, lines: [], error: 'rejected the consistency proof (422)' };
    return { name, lines: [], error: `answered ${response.status}` };
  }
  return { name, lines: [], error: 'kept answering 409' };
}
