// Builds and runs the Go cross-check program (test/tlog/crosscheck): the same
// questions answered by golang.org/x/mod/sumdb and github.com/transparency-dev.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cachedGoBuild } from './go-build.js';

const moduleDir = path.dirname(fileURLToPath(import.meta.url));

let built: string | null = null;

/** Path of the built program; builds it if this source version has not been built on this machine. */
export function crosscheckBinary(): string {
  return (built ??= cachedGoBuild({
    moduleDir,
    sources: ['go.mod', 'go.sum', 'crosscheck/main.go'],
    pkg: './crosscheck',
    name: 'tlog-crosscheck',
  }));
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
