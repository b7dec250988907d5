import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { signDevToken, type Role } from '../../src/auth/tokens.js';
import type { Config } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { createRuntime } from '../../src/runtime.js';
import type { InjectedFaults } from './faults.js';
import { graphqlClient, subscribe } from './http-client.js';
import { pdfUpload } from './pdf-files.js';
import { startInProcessWorker, type TestWorker } from './in-process-worker.js';
import { testConfig } from './test-env.js';
import { startWorkerProcess, type WorkerProcess } from './worker-process.js';

export interface StackOptions {
  /** Start an in-process worker for this stack's own task queue. */
  worker?: boolean;
  config?: Record<string, string>;
}

/**
 * The API listening on an ephemeral loopback port, against the real
 * PostgreSQL, Temporal and S3, with its own task queue so each test file's
 * workflows run on its own workers. Tests reach it only over HTTP.
 */
export async function startStack(options: StackOptions = {}) {
  const taskQueue = options.config?.TEMPORAL_TASK_QUEUE ?? `test-${randomUUID()}`;
  const sql: string[] = [];
  // The port is known only once listening, and credentials name the public URL, so listen first.
  let handler: Parameters<typeof createServer>[1] = (_req, res) => res.writeHead(503).end();
  const server = createServer((req, res) => handler!(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const config: Config = testConfig({ PUBLIC_BASE_URL: baseUrl, ...options.config, TEMPORAL_TASK_QUEUE: taskQueue });
  const runtime = await createRuntime(config, {
    logger: createLogger((process.env.TEST_LOG_LEVEL as 'silent') ?? 'silent'),
    onQuery: (q) => sql.push(q),
  });
  handler = (req, res) => runtime.app.handle(req, res);
  const endpoint = `${baseUrl}/graphql`;

  const workers: TestWorker[] = [];
  const processes: WorkerProcess[] = [];
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
    baseUrl,
    endpoint,
    db: runtime.services.db,
    gql: graphqlClient(endpoint),
    /** A plain HTTP request to a path of the API, e.g. '/readyz'. */
    http: (path: string, init?: RequestInit) => fetch(`${baseUrl}${path}`, init),
    /** Opens a subscription over server-sent events. */
    subscribe: <T = any>(query: string, variables: Record<string, unknown> = {}, opts: { token?: string } = {}) =>
      subscribe<T>(endpoint, query, variables, opts),
    /** SQL statements run by the API since the last reset. */
    sql,
    token(sub: string, roles: Role[]) {
      return signDevToken(config.AUTH_HS256_SECRET!, { sub, roles });
    },
    /** A worker in this process, optionally with injected activity faults. */
    async startWorker(faults?: InjectedFaults) {
      const worker = await startInProcessWorker(config, faults);
      workers.push(worker);
      return worker;
    },
    /** A worker in its own process, for tests that kill it as a crash would. */
    async startWorkerProcess(faults?: InjectedFaults) {
      const worker = await startWorkerProcess(taskQueue, faults);
      processes.push(worker);
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
      await Promise.all([...workers.map((w) => w.stop()), ...processes.map((w) => w.kill('SIGTERM'))]);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
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

/** A real one-page PDF (the service parses it); `body` is printed on the page, so files differ by it. */
export const pdfFile = (name = 'certificate.pdf', body = 'trademark registration certificate') => pdfUpload(name, { text: body });

/** The row id behind an opaque global ID, for checking the database directly. */
export const rowId = (globalId: string) => Buffer.from(globalId, 'base64').toString('utf8').split(':').slice(1).join(':');
