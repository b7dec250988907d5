import { randomUUID } from 'node:crypto';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { signDevToken, type Role } from '../../src/auth/tokens.js';
import type { Config } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { createRuntime } from '../../src/runtime.js';
import { graphqlClient } from './graphql-client.js';
import { testConfig } from './test-env.js';
import { startWorkerProcess, type WorkerProcess } from './worker-process.js';

export interface StackOptions {
  /** Start a worker process for this stack's own task queue. */
  worker?: boolean;
  config?: Record<string, string>;
}

/**
 * The API in-process against the real PostgreSQL, Temporal and S3, with its
 * own task queue so each test file's workflows run on its own worker.
 */
export async function startStack(options: StackOptions = {}) {
  const taskQueue = `test-${randomUUID()}`;
  const config: Config = testConfig({ TEMPORAL_TASK_QUEUE: taskQueue, ...options.config });
  const sql: string[] = [];
  const runtime = await createRuntime(config, { logger: createLogger('silent'), onQuery: (q) => sql.push(q) });
  const workers: WorkerProcess[] = [];
  const s3 = new S3Client({
    endpoint: config.S3_ENDPOINT,
    region: config.S3_REGION,
    forcePathStyle: true,
    credentials: { accessKeyId: config.S3_ACCESS_KEY_ID, secretAccessKey: config.S3_SECRET_ACCESS_KEY },
  });

  const stack = {
    config,
    taskQueue,
    runtime,
    db: runtime.services.db,
    gql: graphqlClient(runtime.app),
    /** SQL statements run by the API since the last reset. */
    sql,
    /** Worker processes started for this stack, oldest first. */
    workers,
    token(sub: string, roles: Role[]) {
      return signDevToken(config.AUTH_HS256_SECRET!, { sub, roles });
    },
    /** `env` adds variables, e.g. TEST_FAULTS for injected activity failures. */
    async startWorker(env: Record<string, string> = {}) {
      const worker = await startWorkerProcess(taskQueue, env);
      workers.push(worker);
      return worker;
    },
    async objectKeys(prefix = ''): Promise<string[]> {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const page = await s3.send(new ListObjectsV2Command({ Bucket: config.S3_BUCKET, Prefix: prefix, ContinuationToken: token }));
        keys.push(...(page.Contents ?? []).map((o) => o.Key!));
        token = page.NextContinuationToken;
      } while (token);
      return keys;
    },
    async close() {
      await Promise.all(workers.map((w) => w.kill('SIGTERM')));
      s3.destroy();
      await runtime.close();
    },
  };
  if (options.worker) await stack.startWorker();
  return stack;
}

export type Stack = Awaited<ReturnType<typeof startStack>>;

/** Unique per call, so tests never collide on slugs or subjects. */
export const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

export const pdfFile = (name = 'certificate.pdf', body = 'trademark registration certificate') =>
  new File([`%PDF-1.4\n% ${body}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`], name, { type: 'application/pdf' });

/** The row id behind an opaque global ID, for checking the database directly. */
export const rowId = (globalId: string) => Buffer.from(globalId, 'base64').toString('utf8').split(':').slice(1).join(':');
