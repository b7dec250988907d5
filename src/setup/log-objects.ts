import { DeleteObjectsCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { LOG_PREFIX } from '../transparency/log-storage.js';

/**
 * Removes the transparency log's tiles and checkpoint from a bucket. The log's
 * indexes live in the database, so a database started afresh needs a log
 * started afresh: old tiles would be different bytes at the same paths.
 */
export async function removeLogObjects(env: Record<string, string>): Promise<number> {
  const client = new S3Client({
    endpoint: env.S3_ENDPOINT,
    region: env.S3_REGION,
    forcePathStyle: true,
    credentials: { accessKeyId: env.S3_ACCESS_KEY_ID!, secretAccessKey: env.S3_SECRET_ACCESS_KEY! },
  });
  let removed = 0;
  try {
    for (;;) {
      const page = await client.send(new ListObjectsV2Command({ Bucket: env.S3_BUCKET, Prefix: LOG_PREFIX }));
      const keys = (page.Contents ?? []).map((object) => ({ Key: object.Key! }));
      if (keys.length === 0) return removed;
      await client.send(new DeleteObjectsCommand({ Bucket: env.S3_BUCKET, Delete: { Objects: keys } }));
      removed += keys.length;
    }
  } finally {
    client.destroy();
  }
}
