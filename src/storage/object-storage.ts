import { Readable } from 'node:stream';
import { DeleteObjectCommand, GetObjectCommand, HeadBucketCommand, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { Config } from '../config.js';
import { UnavailableError } from '../errors.js';

/** The private bucket where documents and evidence live. */
export interface ObjectStorage {
  /** Throws UnavailableError when the store can't be reached or answers with a server error. */
  put(key: string, body: Readable | Buffer, contentType: string): Promise<void>;
  /**
   * Writes a small object only where none is (`If-None-Match: *`). 'exists'
   * means another object was already there: the caller compares the bytes.
   */
  putIfAbsent(key: string, body: Buffer, contentType: string): Promise<'created' | 'exists'>;
  /** The object's bytes, or null when there is none. */
  get(key: string): Promise<Buffer | null>;
  /** Succeeds for a key that holds no object: deleting is idempotent. */
  remove(key: string): Promise<void>;
  /**
   * A short-lived download URL. With `filename` the answer is an attachment (saved, never rendered by the
   * browser); with `contentType` it carries that type whatever the object's metadata says.
   */
  presignGet(key: string, options: { filename?: string; contentType?: string; expiresInSeconds: number }): Promise<string>;
  checkReachable(): Promise<void>;
  destroy(): void;
}

// An outage must be answered in seconds, while the client still waits, not
// after minutes of retries: a store that doesn't accept the connection fails
// within connectionTimeout, one that stops answering within socketTimeout. The
// socket timeout counts idle time only, so a large upload that keeps sending
// is never cut off; there is deliberately no limit on a request's total time.
export const S3_TIMEOUTS = { connectionTimeout: 3_000, socketTimeout: 10_000, maxAttempts: 2 } as const;

const NETWORK_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
]);
const TIMEOUT_NAMES = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);

/**
 * Whether a failed S3 call means the store is down (unreachable, timing out,
 * or answering 5xx) rather than refusing this request. Errors from lib-storage
 * and from the HTTP handler wrap one another, so causes are followed.
 */
export function isStorageOutage(error: unknown): boolean {
  for (let current = error, depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
    const e = current as { name?: unknown; code?: unknown; $metadata?: { httpStatusCode?: number }; cause?: unknown };
    if (typeof e.code === 'string' && NETWORK_ERROR_CODES.has(e.code)) return true;
    if (typeof e.name === 'string' && (TIMEOUT_NAMES.has(e.name) || NETWORK_ERROR_CODES.has(e.name))) return true;
    const status = e.$metadata?.httpStatusCode;
    if (typeof status === 'number' && status >= 500) return true;
    current = e.cause;
  }
  return false;
}

const UNAVAILABLE_MESSAGE = 'File storage is unavailable right now, so the file was not saved. Please try again in a few minutes.';

export function createS3Storage(
  config: Pick<Config, 'S3_ENDPOINT' | 'S3_REGION' | 'S3_ACCESS_KEY_ID' | 'S3_SECRET_ACCESS_KEY' | 'S3_BUCKET' | 'S3_FORCE_PATH_STYLE'>,
): ObjectStorage {
  const bucket = config.S3_BUCKET;
  const client = new S3Client({
    endpoint: config.S3_ENDPOINT,
    region: config.S3_REGION,
    forcePathStyle: config.S3_FORCE_PATH_STYLE,
    credentials: { accessKeyId: config.S3_ACCESS_KEY_ID, secretAccessKey: config.S3_SECRET_ACCESS_KEY },
    maxAttempts: S3_TIMEOUTS.maxAttempts,
    requestHandler: { connectionTimeout: S3_TIMEOUTS.connectionTimeout, socketTimeout: S3_TIMEOUTS.socketTimeout },
  });

  return {
    async put(key, body, contentType) {
      // Multipart upload keeps memory bounded to one part whatever the body size.
      const upload = new Upload({ client, params: { Bucket: bucket, Key: key, Body: body, ContentType: contentType }, queueSize: 1 });
      try {
        await upload.done();
      } catch (error) {
        if (isStorageOutage(error)) throw new UnavailableError(UNAVAILABLE_MESSAGE, { cause: error });
        throw error;
      }
    },
    async putIfAbsent(key, body, contentType) {
      try {
        await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType, IfNoneMatch: '*' }));
        return 'created';
      } catch (error) {
        // 412: an object is there; 409: a concurrent conditional write to the key is in flight.
        const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
        if (status === 412 || status === 409) return 'exists';
        if (isStorageOutage(error)) throw new UnavailableError(UNAVAILABLE_MESSAGE, { cause: error });
        throw error;
      }
    },
    async get(key) {
      try {
        const answer = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return Buffer.from(await answer.Body!.transformToByteArray());
      } catch (error) {
        if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return null;
        if (isStorageOutage(error)) throw new UnavailableError(UNAVAILABLE_MESSAGE, { cause: error });
        throw error;
      }
    },
    async remove(key) {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    },
    presignGet(key, { filename, contentType, expiresInSeconds }) {
      // The response-* overrides are part of the signature, so the holder of the URL can't change them.
      const disposition = filename ? `attachment; filename*=UTF-8''${encodeURIComponent(filename)}` : undefined;
      return getSignedUrl(
        client,
        new GetObjectCommand({ Bucket: bucket, Key: key, ResponseContentDisposition: disposition, ResponseContentType: contentType }),
        { expiresIn: Math.min(expiresInSeconds, 900) },
      );
    },
    async checkReachable() {
      await client.send(new HeadBucketCommand({ Bucket: bucket }));
    },
    destroy() {
      client.destroy();
    },
  };
}
