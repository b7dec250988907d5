import { join } from 'node:path';
import { CreateBucketCommand, HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { configSchema } from '../config.js';
import {
  type Probe,
  SetupError,
  ensureLocalServer,
  errorText,
  isPortOpen,
  machineEnv,
  portSetting,
  serverLogFile,
} from './background-process.js';
import { type GoBinary, ensureGoBinary } from './go-binaries.js';

// MinIO publishes no tagged Go module versions, so the pin is a pseudo-version of one commit.
export const MINIO: GoBinary = {
  name: 'minio',
  pkg: 'github.com/minio/minio',
  version: 'v0.0.0-20260212201848-7aac2a2c5b7c',
  label: 'MinIO',
  buildTime: '~10–15 min',
};

const HOST = '127.0.0.1';
// Fixed rather than generated: the server listens on loopback only and is shared by every checkout.
const LOCAL_ACCESS_KEY = 'brandauth';
const LOCAL_SECRET_KEY = 'brandauth-dev-secret';

export interface S3Env {
  S3_ENDPOINT: string;
  S3_ACCESS_KEY_ID: string;
  S3_SECRET_ACCESS_KEY: string;
  S3_BUCKET: string;
  S3_REGION: string;
}

const healthStatus = (port: number, check: 'live' | 'cluster') =>
  fetch(`http://${HOST}:${port}/minio/health/${check}`, { signal: AbortSignal.timeout(2000) }).then(
    (response) => response.status,
    () => undefined,
  );

/** `live` answers as long as the process runs; `cluster` fails when its storage is gone (e.g. its data folder was deleted). */
async function probeLocal(port: number): Promise<Probe> {
  if (!(await isPortOpen(HOST, port))) return { state: 'closed' };
  const live = await healthStatus(port, 'live');
  if (live !== 200) return { state: 'foreign', reason: `/minio/health/live answered ${live ?? 'nothing'}` };
  const cluster = await healthStatus(port, 'cluster');
  if (cluster === 200) return { state: 'ready' };
  return { state: 'failing', reason: `its storage is unavailable, /minio/health/cluster answered ${cluster ?? 'nothing'}` };
}

async function ensureLocalMinio(opts: {
  env: NodeJS.ProcessEnv;
  stateDir: string;
  log: (line: string) => void;
}): Promise<{ endpoint: string; logFile: string }> {
  const port = portSetting(opts.env, 'BRAND_AUTH_MINIO_PORT', 9000);
  const id = `minio-${port}`;
  const dataDir = join(opts.stateDir, id);
  // The caller's own MINIO_* settings (volumes, credentials) must not reconfigure the dev server.
  const env = Object.fromEntries(Object.entries(machineEnv(opts.env)).filter(([key]) => !key.startsWith('MINIO_')));
  const listenArgs = ['--address', `${HOST}:${port}`];
  await ensureLocalServer({
    label: 'MinIO',
    id,
    stateDir: opts.stateDir,
    dataDir,
    port,
    probe: () => probeLocal(port),
    portTaken: `Port ${port} is taken by another program that is not MinIO; stop it, set BRAND_AUTH_MINIO_PORT to a free port, or set S3_ENDPOINT.`,
    otherPorts: [{ port: port + 1, use: 'the MinIO console' }],
    binary: () => ensureGoBinary(MINIO, opts),
    args: ['server', dataDir, ...listenArgs, '--console-address', `${HOST}:${port + 1}`, '--quiet'],
    listenArgs,
    env: { ...env, MINIO_ROOT_USER: LOCAL_ACCESS_KEY, MINIO_ROOT_PASSWORD: LOCAL_SECRET_KEY, MINIO_UPDATE: 'off' },
    log: opts.log,
  });
  return { endpoint: `http://${HOST}:${port}`, logFile: serverLogFile(opts.stateDir, id) };
}

/** S3 settings to use: S3_ENDPOINT and its keys if set, else a local MinIO started on demand; the bucket is created if missing. */
export async function ensureS3(opts: {
  env: NodeJS.ProcessEnv;
  bucket: string;
  stateDir: string;
  log: (line: string) => void;
}): Promise<S3Env> {
  const { env } = opts;
  const bucket = env.S3_BUCKET || opts.bucket;
  if (!configSchema.shape.S3_BUCKET.safeParse(bucket).success) {
    throw new SetupError(`"${bucket}" is not a valid S3 bucket name; use 3–63 lowercase letters, digits, dots and hyphens.`);
  }
  if (env.S3_ENDPOINT && (!env.S3_ACCESS_KEY_ID || !env.S3_SECRET_ACCESS_KEY)) {
    throw new SetupError(
      'S3_ENDPOINT is set but S3_ACCESS_KEY_ID or S3_SECRET_ACCESS_KEY is not; set both, or unset S3_ENDPOINT to use a local MinIO.',
    );
  }
  const local = env.S3_ENDPOINT ? undefined : await ensureLocalMinio(opts);
  const s3: S3Env = {
    S3_ENDPOINT: local?.endpoint ?? env.S3_ENDPOINT!,
    S3_ACCESS_KEY_ID: local ? LOCAL_ACCESS_KEY : env.S3_ACCESS_KEY_ID!,
    S3_SECRET_ACCESS_KEY: local ? LOCAL_SECRET_KEY : env.S3_SECRET_ACCESS_KEY!,
    S3_BUCKET: bucket,
    S3_REGION: env.S3_REGION || 'us-east-1',
  };
  await ensureBucket(s3, opts.log, local?.logFile);
  return s3;
}

/** Creates the bucket if missing; every checkout shares the local MinIO, so another set-up may create it at the same moment. */
async function ensureBucket(s3: S3Env, log: (line: string) => void, localLog: string | undefined): Promise<void> {
  const client = new S3Client({
    endpoint: s3.S3_ENDPOINT,
    region: s3.S3_REGION,
    credentials: { accessKeyId: s3.S3_ACCESS_KEY_ID, secretAccessKey: s3.S3_SECRET_ACCESS_KEY },
    forcePathStyle: true,
    maxAttempts: 2,
    requestHandler: { connectionTimeout: 3000, requestTimeout: 10_000 },
  });
  const where = localLog ? `The MinIO at ${s3.S3_ENDPOINT}` : `The S3 server at ${s3.S3_ENDPOINT} (S3_ENDPOINT)`;
  const badKeys = localLog
    ? 'it was probably started by another program with other credentials: stop it or set S3_ENDPOINT'
    : 'check S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY';
  const otherwise = localLog ? `see ${localLog}` : 'check S3_ENDPOINT and that the server is running';
  try {
    try {
      await client.send(new HeadBucketCommand({ Bucket: s3.S3_BUCKET }));
      return;
    } catch (error) {
      if (httpStatus(error) !== 404) throw error;
    }
    try {
      await client.send(new CreateBucketCommand({ Bucket: s3.S3_BUCKET }));
      log(`Created bucket ${s3.S3_BUCKET}.`);
    } catch (error) {
      // Another set-up may have created it a moment ago.
      if ((error as Error).name !== 'BucketAlreadyOwnedByYou') throw error;
    }
  } catch (error) {
    const status = httpStatus(error);
    if (status === 403 || status === 401) {
      throw new SetupError(`${where} refused access to bucket ${s3.S3_BUCKET} (${errorName(error)}); ${badKeys}.`);
    }
    if ((error as Error).name === 'BucketAlreadyExists') {
      throw new SetupError(`Bucket ${s3.S3_BUCKET} belongs to another account at ${s3.S3_ENDPOINT}; choose another name with S3_BUCKET.`);
    }
    throw new SetupError(`${where} could not provide bucket ${s3.S3_BUCKET} (${errorName(error)}); ${otherwise}.`);
  } finally {
    client.destroy();
  }
}

function httpStatus(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
}

function errorName(error: unknown): string {
  const name = (error as Error).name;
  const text = errorText(error);
  // Replies to HEAD have no body, so the SDK can only name the status.
  if (name === 'UnknownError' || text === 'UnknownError') return `HTTP ${httpStatus(error) ?? 'error'}`;
  return name && name !== 'Error' && !text.includes(name) ? `${name}: ${text}` : text;
}
