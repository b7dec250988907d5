// Go programs the tests run are built once per source version into the user
// cache, keyed by a hash of their sources, so repeated runs start them in
// milliseconds and a changed pin or program is rebuilt.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

function goBinary(): string {
  if (process.env.GO) return process.env.GO;
  const standard = '/usr/local/go/bin/go';
  return existsSync(standard) ? standard : 'go';
}

export interface GoProgram {
  /** The Go module's directory. */
  moduleDir: string;
  /** Files (relative to moduleDir) whose contents name the version built. */
  sources: readonly string[];
  /** Package to build, as `go build` takes it: './crosscheck' or a dependency's import path. */
  pkg: string;
  /** File name prefix in the cache. */
  name: string;
}

/** Path of the built program; builds it if this source version has not been built on this machine. */
export function cachedGoBuild(program: GoProgram): string {
  const hash = createHash('sha256');
  for (const file of program.sources) hash.update(file).update(readFileSync(path.join(program.moduleDir, file)));
  const cacheDir = path.join(process.env.XDG_CACHE_HOME ?? path.join(homedir(), '.cache'), 'brand-auth', 'bin');
  const binary = path.join(cacheDir, `${program.name}-${hash.digest('hex').slice(0, 16)}`);
  if (!existsSync(binary)) {
    mkdirSync(cacheDir, { recursive: true });
    // Build beside the target and rename, so parallel test files never run a half-written binary.
    const partial = `${binary}.${process.pid}.tmp`;
    execFileSync(goBinary(), ['build', '-o', partial, program.pkg], {
      cwd: program.moduleDir,
      env: { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=readonly' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    renameSync(partial, binary);
  }
  return binary;
}
