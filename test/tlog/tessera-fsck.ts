// Tessera's fsck (github.com/transparency-dev/tessera/cmd/fsck, pinned in
// fsck/go.mod): an independent reader that fetches a tlog-tiles log over HTTP,
// re-derives every tile and the root from the entry bundles, and compares them
// with what the log serves and what its checkpoint claims.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cachedGoBuild } from './go-build.js';

const moduleDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fsck');

export const FSCK_VERSION = 'v1.0.4';

let built: string | null = null;

/** Path of the built fsck; builds it once per version of the pin. */
export function fsckBinary(): string {
  return (built ??= cachedGoBuild({
    moduleDir,
    sources: ['go.mod', 'go.sum'],
    pkg: 'github.com/transparency-dev/tessera/cmd/fsck',
    name: 'tessera-fsck',
  }));
}

/**
 * The line fsck logs once the root it re-derived matches the checkpoint's
 * (fsck/fsck.go). It exits 0 whether or not the check failed, so this line is
 * the only sign of success.
 */
export const fsckSuccess = (size: number, root: Buffer) =>
  `Successfully fsck'd log with size ${size} and root ${root.toString('base64')} (${root.toString('hex')})`;

export interface FsckRun {
  output: string;
  timedOut: boolean;
}

/**
 * Runs fsck over the log at `url` (its tlog-tiles prefix, ending in '/'),
 * trusting `vkey` for `origin`. Asynchronous, so a server in this process can
 * answer it; killed after `timeoutMs`, as a check that cannot reach its end
 * may wait forever.
 */
export async function runFsck(url: string, origin: string, vkey: string, timeoutMs = 30_000): Promise<FsckRun> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tlog-fsck-'));
  const keyFile = path.join(dir, 'log.vkey');
  writeFileSync(keyFile, vkey.trim());
  try {
    return await new Promise<FsckRun>((resolve) => {
      execFile(
        fsckBinary(),
        [`--storage_url=${url}`, `--origin=${origin}`, `--public_key=${keyFile}`, '--ui=false', '--N=4'],
        { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024 },
        (error, stdout, stderr) => {
          const timedOut = Boolean(error && 'killed' in error && error.killed);
          resolve({ output: `${stdout}${stderr}`, timedOut });
        },
      );
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
