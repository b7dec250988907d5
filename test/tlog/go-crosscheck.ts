// Builds and runs the Go cross-check program (test/tlog/crosscheck): the same
// questions answered by golang.org/x/mod/sumdb and github.com/transparency-dev.
// The binary is built once per source version into the user cache, keyed by a
// hash of its sources, so repeated runs start it in milliseconds.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const moduleDir = path.dirname(fileURLToPath(import.meta.url));
const sources = ['go.mod', 'go.sum', 'crosscheck/main.go'];

function goBinary(): string {
  if (process.env.GO) return process.env.GO;
  const standard = '/usr/local/go/bin/go';
  return existsSync(standard) ? standard : 'go';
}

let built: string | null = null;

/** Path of the built program; builds it if this source version has not been built on this machine. */
export function crosscheckBinary(): string {
  if (built) return built;
  const hash = createHash('sha256');
  for (const file of sources) hash.update(file).update(readFileSync(path.join(moduleDir, file)));
  const cacheDir = path.join(process.env.XDG_CACHE_HOME ?? path.join(homedir(), '.cache'), 'brand-auth', 'bin');
  const binary = path.join(cacheDir, `tlog-crosscheck-${hash.digest('hex').slice(0, 16)}`);
  if (!existsSync(binary)) {
    mkdirSync(cacheDir, { recursive: true });
    // Build beside the target and rename, so parallel test files never run a half-written binary.
    const partial = `${binary}.${process.pid}.tmp`;
    execFileSync(goBinary(), ['build', '-o', partial, './crosscheck'], {
      cwd: moduleDir,
      env: { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=readonly' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    renameSync(partial, binary);
  }
  return (built = binary);
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Byte strings cross as standard base64, as Go's encoding/json spells []byte. */
export function toJson(value: unknown): Json {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(toJson);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJson(v)]));
  return value as Json;
}

export const fromBase64 = (value: string | null): Buffer => Buffer.from(value ?? '', 'base64');

/** Sends one request to the Go program and returns its parsed answer. */
export function runCrosscheck<T>(request: Record<string, unknown>): T {
  const out = execFileSync(crosscheckBinary(), {
    input: JSON.stringify(toJson(request)),
    maxBuffer: 256 * 1024 * 1024,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  return JSON.parse(out.toString()) as T;
}
