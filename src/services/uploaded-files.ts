import { createHash, randomUUID } from 'node:crypto';
import type { Prisma } from '@prisma/client';
import { fileTypeFromBuffer } from 'file-type';
import type { Db } from '../db/client.js';
import { inspectPdf } from '../documents/pdf-inspection.js';
import { fail, ok, type Result } from '../errors.js';
import { DOCUMENT_IMAGE_TYPES, type ImageProcessor } from '../images/image-processor.js';
import type { Logger } from '../logger.js';
import type { ObjectStorage } from '../storage/object-storage.js';
import { recordUploadIntent, settleUploadIntent } from '../storage/upload-intents.js';

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

const megabytes = (bytes: number) => `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;

function cleanFilename(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const printable = base.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return (printable || 'upload').slice(0, 200);
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

interface UploadDeps {
  storage: ObjectStorage;
  db: Db;
  images: ImageProcessor;
  logger: Logger;
}

/**
 * Checks an uploaded document and stores what is safe to hand to a reviewer:
 * its type is read from the bytes (not the declared type or name); a PDF must
 * pass inspectPdf and is stored as uploaded; a JPEG or PNG is rebuilt from its
 * pixels, which drops EXIF/GPS and anything appended. Nothing is stored when a
 * check fails. Documents are at most 15 MB, so the file is read whole: its end
 * matters as much as its start.
 *
 * The object is announced by an upload intent before it is written; the caller
 * settles the intent when it commits the row (withStoredDocument does).
 */
export async function storeUpload(deps: UploadDeps, file: UploadedFile, rules: UploadRules): Promise<Result<StoredFile>> {
  if (file.size === 0) return fail('INVALID', 'The file is empty.', rules.field);
  if (file.size > rules.maxBytes) {
    return fail('LIMIT_EXCEEDED', `The file is ${megabytes(file.size)}; at most ${megabytes(rules.maxBytes)} is accepted.`, rules.field);
  }
  const input = Buffer.from(await file.arrayBuffer());
  // The declared size comes from the client; the bytes decide.
  if (input.length > rules.maxBytes) {
    return fail('LIMIT_EXCEEDED', `The file is over ${megabytes(rules.maxBytes)}, the most accepted.`, rules.field);
  }
  const detected = await fileTypeFromBuffer(input).catch(() => undefined);
  if (!detected || !rules.accept.includes(detected.mime)) {
    const kinds = rules.accept.map((mime) => mime.split('/')[1]!.toUpperCase()).join(', ');
    return fail(
      'UNSUPPORTED_MEDIA',
      `The file's content is ${detected ? detected.mime : 'not a recognised format'}; accepted: ${kinds}.`,
      rules.field,
    );
  }

  const content = await safeContent(deps.images, input, detected.mime, rules.field);
  if (!content.ok) return content;
  const { body, contentType } = content.value;
  const storageKey = `${rules.keyPrefix}/${randomUUID()}`;
  await recordUploadIntent(deps.db, [storageKey]);
  try {
    await deps.storage.put(storageKey, body, contentType);
  } catch (error) {
    // A failed put may still have left the object (or some of its parts) behind.
    await discardUpload(deps, [storageKey]);
    throw error;
  }
  return ok({ storageKey, filename: cleanFilename(file.name), contentType, byteSize: body.length, sha256: sha256(body) });
}

/**
 * Removes objects that no committed row refers to, then their intent. When the
 * store can't remove them now, the failure is logged and the intent stays, so
 * the orphan sweep (src/services/orphan-uploads.ts) removes them later.
 */
export async function discardUpload(deps: { storage: ObjectStorage; db: Db; logger: Logger }, storageKeys: string[]): Promise<void> {
  try {
    await Promise.all(storageKeys.map((key) => deps.storage.remove(key)));
    await deps.db.uploadIntent.deleteMany({ where: { storageKey: { in: storageKeys } } });
  } catch (error) {
    deps.logger.warn({ err: error, storageKeys }, 'an unused upload could not be removed; the orphan sweep will retry');
  }
}

async function safeContent(
  images: ImageProcessor,
  input: Buffer,
  mime: string,
  field: string[],
): Promise<Result<{ body: Buffer; contentType: string }>> {
  if (mime === 'application/pdf') {
    const verdict = await inspectPdf(input);
    if (verdict.ok) return ok({ body: input, contentType: mime });
    return verdict.kind === 'refused'
      ? fail('UNSUPPORTED_MEDIA', `The PDF is not accepted: ${verdict.reason}. Send a plain PDF, or a JPEG or PNG scan.`, field)
      : fail('INVALID', `The PDF is damaged: ${verdict.reason}.`, field);
  }
  if (DOCUMENT_IMAGE_TYPES.includes(mime)) {
    const image = await images.sanitizeDocument(input, field);
    return image.ok ? ok({ body: image.value.body, contentType: image.value.contentType }) : image;
  }
  return fail('UNSUPPORTED_MEDIA', `Files of type ${mime} are not accepted as documents.`, field);
}

/**
 * Stores an uploaded document, then writes its row, whatever refers to it and
 * the settlement of its upload intent in one transaction. If that transaction
 * fails, the object is removed; if even that fails, its intent names it to the
 * orphan sweep, so no object outlives a row that was never written.
 */
export async function withStoredDocument<T>(
  deps: UploadDeps,
  uploadedById: string,
  file: UploadedFile,
  rules: UploadRules,
  write: (tx: Prisma.TransactionClient, documentId: string) => Promise<T>,
): Promise<Result<T>> {
  const stored = await storeUpload(deps, file, rules);
  if (!stored.ok) return stored;
  const { storageKey } = stored.value;
  try {
    return ok(
      await deps.db.$transaction(async (tx) => {
        const document = await tx.document.create({ data: { ...stored.value, uploadedById } });
        await settleUploadIntent(tx, [storageKey]);
        return write(tx, document.id);
      }),
    );
  } catch (error) {
    await discardUpload(deps, [storageKey]);
    throw error;
  }
}
