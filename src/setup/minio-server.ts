import { mkdirSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { CreateBucketCommand, HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { type ProbeResult, SetupError, ensureLocalServer, errorText, isPortOpen, machineEnv } from './background-process.js';
import { type GoBinary, ensureGoBinary } from './go-binaries.js';

// MinIO publishes no tagged Go module versions, so the pin is a pseudo-version of one commit.
const MINIO: GoBinary = {
  name: 'minio',
  pkg: 'github.com/minio/minio',
  version: 'v0.0.0-20260212201848-7aac2a2c5b7c',
  label: 'MinIO',
  buildTime: '~10–15 min',
};

const HOST = '127.0.0.1';
const PORT = 9000;
const CONSOLE_PORT = 9001;
// Fixed rather than generated: the server listens on loopback only, and fixed values keep working
// when the data directory is wiped while the server keeps running.
const LOCAL_ACCESS_KEY = 'brandauth';
const LOCAL_SECRET_KEY = 'brandauth-dev-secret';

export interface S3Env {
  S3_ENDPOINT: string;
  S3_ACCESS_KEY_ID: string;
  S3_SECRET_ACCESS_KEY: string;
  S3_BUCKET: string;
  S3_REGION: string;
}

function healthStatus(): Promise<number | undefined> {
  return new Promise((resolve) => {
    // agent: false so no kept-alive socket holds the caller's process open afterwards.
    const request = http.get({ host: HOST, port: PORT, path: '/minio/health/live', agent: false, timeout: 1500 }, (response) => {
      response.resume();
      resolve(response.statusCode);
    });
    request.once('timeout', () => request.destroy());
    request.once('error', () => resolve(undefined));
  });
}

async function probeLocal(): Promise<ProbeResult> {
  if (!(await isPortOpen(HOST, PORT))) return 'closed';
  return (await healthStatus()) === 200 ? 'ready' : 'foreign';
}

async function ensureLocalMinio(opts: { env: NodeJS.ProcessEnv; dataDir: string; log: (line: string) => void }): Promise<void> {
  const storage = join(opts.dataDir, 'minio');
  mkdirSync(storage, { recursive: true });
  // The caller's own MINIO_* settings (volumes, credentials) must not reconfigure the dev server.
  const env = Object.fromEntries(Object.entries(machineEnv(opts.env)).filter(([key]) => !key.startsWith('MINIO_')));
  await ensureLocalServer({
    name: 'minio',
    label: 'MinIO',
    dataDir: opts.dataDir,
    portTaken: `Port ${PORT} is taken by another program that is not MinIO; stop it or set S3_ENDPOINT.`,
    probe: probeLocal,
    otherPorts: [{ port: CONSOLE_PORT, use: 'the MinIO console' }],
    binary: () => ensureGoBinary(MINIO, opts),
    args: ['server', storage, '--address', `${HOST}:${PORT}`, '--console-address', `${HOST}:${CONSOLE_PORT}`, '--quiet'],
    env: { ...env, MINIO_ROOT_USER: LOCAL_ACCESS_KEY, MINIO_ROOT_PASSWORD: LOCAL_SECRET_KEY, MINIO_UPDATE: 'off' },
    log: opts.log,
  });
}

/** S3 settings to use: S3_ENDPOINT and its keys if set, else a local MinIO started on demand; the bucket is created if missing. */
export async function ensureS3(opts: {
  env: NodeJS.ProcessEnv;
  bucket: string;
  dataDir: string;
  log: (line: string) => void;
}): Promise<S3Env> {
  const { env } = opts;
  let s3: S3Env;
  if (env.S3_ENDPOINT) {
    if (!env.S3_ACCESS_KEY_ID || !env.S3_SECRET_ACCESS_KEY) {
      throw new SetupError(
        'S3_ENDPOINT is set but S3_ACCESS_KEY_ID or S3_SECRET_ACCESS_KEY is not; set both, or unset S3_ENDPOINT to use a local MinIO.',
      );
    }
    s3 = {
      S3_ENDPOINT: env.S3_ENDPOINT,
      S3_ACCESS_KEY_ID: env.S3_ACCESS_KEY_ID,
      S3_SECRET_ACCESS_KEY: env.S3_SECRET_ACCESS_KEY,
      S3_BUCKET: env.S3_BUCKET || opts.bucket,
      S3_REGION: env.S3_REGION || 'us-east-1',
    };
  } else {
    await ensureLocalMinio(opts);
    s3 = {
      S3_ENDPOINT: `http://${HOST}:${PORT}`,
      S3_ACCESS_KEY_ID: LOCAL_ACCESS_KEY,
      S3_SECRET_ACCESS_KEY: LOCAL_SECRET_KEY,
      S3_BUCKET: env.S3_BUCKET || opts.bucket,
      S3_REGION: env.S3_REGION || 'us-east-1',
    };
  }
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(s3.S3_BUCKET)) {
    throw new SetupError(`"${s3.S3_BUCKET}" is not a valid S3 bucket name; use 3–63 lowercase letters, digits, dots and hyphens.`);
  }
  await ensureBucket(s3, opts.log, env.S3_ENDPOINT ? 'S3_ENDPOINT' : undefined);
  return s3;
}

async function ensureBucket(s3: S3Env, log: (line: string) => void, fromEnv: string | undefined): Promise<void> {
  const client = new S3Client({
    endpoint: s3.S3_ENDPOINT,
    region: s3.S3_REGION,
    credentials: { accessKeyId: s3.S3_ACCESS_KEY_ID, secretAccessKey: s3.S3_SECRET_ACCESS_KEY },
    forcePathStyle: true,
    maxAttempts: 2,
    requestHandler: { connectionTimeout: 3000, requestTimeout: 10_000 },
  });
  const where = fromEnv ? `The S3 server at ${s3.S3_ENDPOINT} (S3_ENDPOINT)` : `The MinIO at ${s3.S3_ENDPOINT}`;
  const badKeys = fromEnv
    ? 'check S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY'
    : 'it was probably started by another program with other credentials: stop it or set S3_ENDPOINT';
  const otherwise = fromEnv ? 'check S3_ENDPOINT and that the server is running' : 'see logs/minio.log in the data directory';
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
