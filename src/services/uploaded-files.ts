import { createHash, randomUUID } from 'node:crypto';
import { Readable, Transform } from 'node:stream';
import type { Prisma } from '@prisma/client';
import { fileTypeStream } from 'file-type';
import type { Db } from '../db/client.js';
import { fail, ok, type Result } from '../errors.js';
import type { ObjectStorage } from '../storage/object-storage.js';

/**
 * A file part of a multipart request, as the services read it.
 *
 * The HTTP layer decides which File class arrives: Node's own for `fetch`-built
 * requests, @whatwg-node's for the node:http listener. Nothing here may depend
 * on which one, so an upload is recognised by the members the services use.
 */
export interface UploadedFile {
  readonly name: string;
  readonly type: string;
  readonly size: number;
  arrayBuffer(): Promise<ArrayBuffer>;
  stream(): ReadableStream<Uint8Array>;
}

export function isUploadedFile(value: unknown): value is UploadedFile {
  if (typeof value !== 'object' || value === null) return false;
  const file = value as Record<string, unknown>;
  return (
    typeof file.name === 'string' &&
    typeof file.size === 'number' &&
    typeof file.arrayBuffer === 'function' &&
    typeof file.stream === 'function'
  );
}

export interface StoredFile {
  storageKey: string;
  filename: string;
  contentType: string;
  byteSize: number;
  sha256: string;
}

export interface UploadRules {
  /** Content types accepted, as detected from the bytes. */
  accept: readonly string[];
  maxBytes: number;
  keyPrefix: string;
  field: string[];
}

// file-type needs at most this many leading bytes to recognise any format it knows.
const SNIFF_BYTES = 4100;

const megabytes = (bytes: number) => `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;

function cleanFilename(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const printable = base.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return (printable || 'upload').slice(0, 200);
}

/** Counts and hashes the bytes as they stream past, refusing to go beyond the cap. */
function meter(maxBytes: number) {
  const hash = createHash('sha256');
  let bytes = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      if (bytes > maxBytes) return done(new Error('upload exceeded its size cap while streaming'));
      hash.update(chunk);
      done(null, chunk);
    },
  });
  return { stream, bytes: () => bytes, digest: () => hash.digest('hex') };
}

/**
 * Checks an uploaded file's size and real type (from its bytes, not the declared
 * type or name), then streams it into the private bucket. Nothing is stored
 * when a check fails.
 */
export async function storeUpload(storage: ObjectStorage, file: UploadedFile, rules: UploadRules): Promise<Result<StoredFile>> {
  if (file.size === 0) return fail('INVALID', 'The file is empty.', rules.field);
  if (file.size > rules.maxBytes) {
    return fail('LIMIT_EXCEEDED', `The file is ${megabytes(file.size)}; at most ${megabytes(rules.maxBytes)} is accepted.`, rules.field);
  }
  // The type is read from the first bytes as they stream past; the stream then goes on whole.
  // Readable.from, not Readable.fromWeb: the latter accepts only Node's own ReadableStream class.
  const sniffed = await fileTypeStream(Readable.from(file.stream() as unknown as AsyncIterable<Uint8Array>), { sampleSize: SNIFF_BYTES });
  const detected = sniffed.fileType;
  if (!detected || !rules.accept.includes(detected.mime)) {
    sniffed.destroy();
    const kinds = rules.accept.map((mime) => mime.split('/')[1]!.toUpperCase()).join(', ');
    return fail(
      'UNSUPPORTED_MEDIA',
      `The file's content is ${detected ? detected.mime : 'not a recognised format'}; accepted: ${kinds}.`,
      rules.field,
    );
  }

  const storageKey = `${rules.keyPrefix}/${randomUUID()}`;
  const metered = meter(rules.maxBytes);
  const body = sniffed.pipe(metered.stream);
  try {
    await storage.put(storageKey, body, detected.mime);
  } catch (error) {
    await storage.remove(storageKey).catch(() => undefined);
    throw error;
  }
  return ok({
    storageKey,
    filename: cleanFilename(file.name),
    contentType: detected.mime,
    byteSize: metered.bytes(),
    sha256: metered.digest(),
  });
}

/**
 * Stores an uploaded document, then writes its row and whatever refers to it in
 * one transaction; if that transaction fails, the object is removed, so no
 * object outlives a row that was never written.
 */
export async function withStoredDocument<T>(
  deps: { storage: ObjectStorage; db: Db },
  uploadedById: string,
  file: UploadedFile,
  rules: UploadRules,
  write: (tx: Prisma.TransactionClient, documentId: string) => Promise<T>,
): Promise<Result<T>> {
  const stored = await storeUpload(deps.storage, file, rules);
  if (!stored.ok) return stored;
  try {
    return ok(
      await deps.db.$transaction(async (tx) => {
        const document = await tx.document.create({ data: { ...stored.value, uploadedById } });
        return write(tx, document.id);
      }),
    );
  } catch (error) {
    await deps.storage.remove(stored.value.storageKey).catch(() => undefined);
    throw error;
  }
}
