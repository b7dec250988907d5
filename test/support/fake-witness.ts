import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  addSignatures,
  cosigner,
  generateNoteKey,
  openCheckpoint,
  verifyCheckpointConsistency,
  type Checkpoint,
  type LogPolicy,
} from '../../src/tlog/index.js';
import { decodeBase64Strict } from '../../src/tlog/note.js';

/**
 * A witness speaking C2SP tlog-witness add-checkpoint for one log: it checks
 * the log's signature and the consistency proof from the size it holds,
 * answers 409 with that size when the log's `old` is not it, 422 when the
 * proof does not hold, and otherwise cosigns and remembers the new checkpoint.
 */
export interface FakeWitness {
  url: string;
  vkey: string;
  name: string;
  /** The checkpoint it holds, as if it had cosigned it before. */
  holds(checkpoint: Checkpoint): void;
  held(): Checkpoint | null;
  /** Status codes it answered, in order. */
  answers: number[];
  close(): Promise<void>;
}

export async function startFakeWitness(name: string, logPolicy: LogPolicy): Promise<FakeWitness> {
  const { skey, vkey } = generateNoteKey(name, 0x04);
  const signer = cosigner(skey);
  let latest: Checkpoint | null = null;
  const answers: number[] = [];

  function answer(body: string): { status: number; body: string; type?: string } {
    const blank = body.indexOf('\n\n');
    const head = body.slice(0, blank).split('\n');
    const note = body.slice(blank + 2);
    const old = /^old (0|[1-9][0-9]*)$/.exec(head[0] ?? '')?.[1];
    if (old === undefined) return { status: 400, body: 'bad request' };
    const proof = head.slice(1).map((line) => decodeBase64Strict(line));
    if (proof.some((h) => !h)) return { status: 400, body: 'bad proof line' };
    let checkpoint: Checkpoint;
    try {
      checkpoint = openCheckpoint(note, { ...logPolicy, witnesses: [], quorum: 0 }).checkpoint;
    } catch {
      return { status: 403, body: 'not signed by the log' };
    }
    const known = latest?.size ?? 0;
    if (Number(old) !== known) return { status: 409, body: `${known}\n`, type: 'text/x.tlog.size' };
    if (latest) {
      try {
        verifyCheckpointConsistency(latest, checkpoint, proof as Buffer[]);
      } catch {
        return { status: 422, body: 'consistency proof does not verify' };
      }
    }
    latest = checkpoint;
    const signed = addSignatures(note, [signer]);
    return {
      status: 200,
      body:
        signed
          .split('\n')
          .filter((l) => l.startsWith(`— ${name} `))
          .join('\n') + '\n',
    };
  }

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const out = answer(Buffer.concat(chunks).toString('utf8'));
      answers.push(out.status);
      res.writeHead(out.status, { 'content-type': out.type ?? 'text/plain; charset=utf-8' }).end(out.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/add-checkpoint`,
    vkey,
    name,
    holds(checkpoint) {
      latest = checkpoint;
    },
    held: () => latest,
    answers,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
