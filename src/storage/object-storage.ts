import { Readable } from 'node:stream';
import { DeleteObjectCommand, GetObjectCommand, HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { Config } from '../config.js';

/** The private bucket where documents and evidence live. */
export interface ObjectStorage {
  put(key: string, body: Readable | Buffer, contentType: string): Promise<void>;
  remove(key: string): Promise<void>;
  /**
   * A short-lived download URL. With `filename` the answer is an attachment (saved, never rendered by the
   * browser); with `contentType` it carries that type whatever the object's metadata says.
   */
  presignGet(key: string, options: { filename?: string; contentType?: string; expiresInSeconds: number }): Promise<string>;
  checkReachable(): Promise<void>;
  destroy(): void;
}

export function createS3Storage(
  config: Pick<Config, 'S3_ENDPOINT' | 'S3_REGION' | 'S3_ACCESS_KEY_ID' | 'S3_SECRET_ACCESS_KEY' | 'S3_BUCKET' | 'S3_FORCE_PATH_STYLE'>,
): ObjectStorage {
  const bucket = config.S3_BUCKET;
  const client = new S3Client({
    endpoint: config.S3_ENDPOINT,
    region: config.S3_REGION,
    forcePathStyle: config.S3_FORCE_PATH_STYLE,
    credentials: { accessKeyId: config.S3_ACCESS_KEY_ID, secretAccessKey: config.S3_SECRET_ACCESS_KEY },
  });

  return {
    async put(key, body, contentType) {
      // Multipart upload keeps memory bounded to one part whatever the body size.
      const upload = new Upload({ client, params: { Bucket: bucket, Key: key, Body: body, ContentType: contentType }, queueSize: 1 });
      await upload.done();
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
