import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findServerProcess, isPortOpen, stopProcess } from '../../src/setup/background-process.js';
import { ensureGoBinary } from '../../src/setup/go-binaries.js';
import { MINIO, type S3Env, ensureS3 } from '../../src/setup/minio-server.js';
import { TEMPORAL_CLI, ensureTemporal } from '../../src/setup/temporal-server.js';

// Fault tests stop and restart servers. They get servers of their own, on
// ports and state directories nobody else uses, so stopping one never touches
// the servers the rest of the suite (or another checkout) is using.

export interface PrivateServer {
  /** Stops the server (SIGTERM, then SIGKILL) as an outage would; its data stays. */
  stop(): Promise<void>;
  /** Starts it again on the same port with the same data; resolves once it serves requests. */
  start(): Promise<void>;
  /** Stops it and deletes its data. */
  dispose(): Promise<void>;
}

const quiet = () => undefined;

/** A port `base` with `base + gap` free too (the servers bind a second port: a web UI or console). */
async function freePorts(gap: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    // Below Linux's ephemeral range (32768 and up), where every outgoing connection takes a port.
    const port = 20_000 + Math.floor(Math.random() * 11_000);
    if (!(await isPortOpen('127.0.0.1', port)) && !(await isPortOpen('127.0.0.1', port + gap))) return port;
  }
  throw new Error('No two free ports were found for a private server.');
}

function privateServer(
  binaryPath: () => Promise<string>,
  listenArgs: string[],
  stateDir: string,
  start: () => Promise<unknown>,
): PrivateServer {
  const stop = async () => {
    const pid = await findServerProcess(await binaryPath(), listenArgs);
    if (pid !== undefined) await stopProcess(pid);
  };
  return {
    stop,
    start: async () => {
      await start();
    },
    dispose: async () => {
      await stop();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

export interface PrivateTemporal extends PrivateServer {
  /** host:port of its frontend, for TEMPORAL_ADDRESS. */
  address: string;
}

/** A Temporal dev server of the caller's own (the binary the set-up built), with its data in a temporary directory. */
export async function startPrivateTemporal(): Promise<PrivateTemporal> {
  const stateDir = mkdtempSync(join(tmpdir(), 'brand-auth-temporal-'));
  return onFreePorts(1000, async (port) => {
    const start = () => ensureTemporal({ env: { BRAND_AUTH_TEMPORAL_PORT: String(port) }, stateDir, log: quiet });
    const address = await start();
    const binary = () => ensureGoBinary(TEMPORAL_CLI, { env: process.env, log: quiet });
    return { address, ...privateServer(binary, ['--ip', '127.0.0.1', '--port', String(port)], stateDir, start) };
  });
}

/**
 * Starts a server on ports found free; another process may bind one of them
 * before the server does, and then the server starts again on others.
 */
async function onFreePorts<T>(gap: number, startOn: (port: number) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePorts(gap);
    try {
      return await startOn(port);
    } catch (error) {
      if (attempt >= 3 || !/address already in use/i.test(String(error))) throw error;
    }
  }
}

export interface PrivateMinio extends PrivateServer {
  /** S3_* settings that reach it, with its bucket created. */
  s3: S3Env;
}

/** A MinIO of the caller's own, with one bucket, its data in a temporary directory. */
export async function startPrivateMinio(bucket = 'brand-auth-faults'): Promise<PrivateMinio> {
  const stateDir = mkdtempSync(join(tmpdir(), 'brand-auth-minio-'));
  return onFreePorts(1, async (port) => {
    const start = () => ensureS3({ env: { BRAND_AUTH_MINIO_PORT: String(port) }, bucket, stateDir, log: quiet });
    const s3 = await start();
    const binary = () => ensureGoBinary(MINIO, { env: process.env, log: quiet });
    return { s3, ...privateServer(binary, ['--address', `127.0.0.1:${port}`], stateDir, start) };
  });
}
