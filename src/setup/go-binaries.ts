import { accessSync, constants, existsSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { execa } from 'execa';
import { SetupError, machineEnv, tail, withLock } from './background-process.js';

/** A server distributed only as a Go module: built once with `go install` into a per-user cache. */
export interface GoBinary {
  name: string;
  /** Package path passed to `go install`. */
  pkg: string;
  version: string;
  /** Used in messages, e.g. 'the Temporal dev server'. */
  label: string;
  /** Rough cold build time, so a long silent pause is expected. */
  buildTime: string;
}

/** Outside the repository so that a fresh clone or `git clean` does not cost another long build. */
export function binaryDir(env: NodeJS.ProcessEnv): string {
  if (env.BRAND_AUTH_CACHE_DIR) return env.BRAND_AUTH_CACHE_DIR;
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, 'brand-auth', 'bin');
  return join(homedir(), '.cache', 'brand-auth', 'bin');
}

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function findGo(env: NodeJS.ProcessEnv): string | undefined {
  const candidates = (env.PATH ?? '')
    .split(delimiter)
    .filter(Boolean)
    .map((dir) => join(dir, 'go'));
  if (env.GOROOT) candidates.push(join(env.GOROOT, 'bin', 'go'));
  candidates.push('/usr/local/go/bin/go');
  return candidates.find(isExecutableFile);
}

/** `<pkg>@<version>` a binary was built from, read from the build info Go embeds. */
async function builtFrom(go: string, binary: string): Promise<string | undefined> {
  const { stdout } = await execa(go, ['version', '-m', binary], { timeout: 20_000, reject: false });
  const field = (key: string) => String(stdout).match(new RegExp(`^\\s*${key}\\s+(\\S+)(?:\\s+(\\S+))?`, 'm'));
  const path = field('path')?.[1];
  const version = field('mod')?.[2];
  return path && version ? `${path}@${version}` : undefined;
}

/** Path to the binary, building it first when it is missing or was built from another version. */
export async function ensureGoBinary(spec: GoBinary, opts: { env: NodeJS.ProcessEnv; log: (line: string) => void }): Promise<string> {
  const env = machineEnv(opts.env);
  const dir = binaryDir(env);
  const binary = join(dir, spec.name);
  // The pinned version is recorded next to the binary so that changing the pin triggers a rebuild.
  const versionFile = `${binary}.version`;
  const wanted = `${spec.pkg}@${spec.version}`;
  const isCurrent = () => isExecutableFile(binary) && readText(versionFile) === wanted;
  if (isCurrent()) return binary;

  const go = findGo(env);
  if (isExecutableFile(binary) && !existsSync(versionFile)) {
    // Built by hand or by an older set-up: keep it when its build info shows the pinned version.
    if (go === undefined) return binary;
    if ((await builtFrom(go, binary)) === wanted) {
      writeFileSync(versionFile, `${wanted}\n`);
      return binary;
    }
  }
  if (go === undefined) {
    throw new SetupError(
      `Go is needed once to build ${spec.label} but was not found on PATH or in /usr/local/go/bin; install Go from https://go.dev/dl/ and run this again.`,
    );
  }

  const onWait = () => opts.log(`Waiting for another set-up that is building ${spec.name}…`);
  return withLock(join(dir, `${spec.name}.build`), { what: `building ${spec.name}`, onWait }, async () => {
    if (isCurrent()) return binary;
    const why = existsSync(binary) ? 'the pinned version changed' : 'first run only';
    opts.log(`Building ${spec.label} from Go modules (${why}, ${spec.buildTime})…`);
    const started = Date.now();
    // Build into a private directory and rename, so nobody ever runs a half-written binary.
    const staging = mkdtempSync(join(dir, `.build-${spec.name}-`));
    try {
      await goInstall(go, wanted, staging, env);
      renameSync(join(staging, spec.name), binary);
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
    writeFileSync(versionFile, `${wanted}\n`);
    opts.log(`Built ${spec.name} ${spec.version} in ${Math.round((Date.now() - started) / 1000)} s.`);
    return binary;
  });
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return undefined;
  }
}

async function goInstall(go: string, target: string, gobin: string, env: NodeJS.ProcessEnv): Promise<void> {
  const GOFLAGS = [env.GOFLAGS, '-buildvcs=false'].filter(Boolean).join(' ');
  // cwd is the cache so that whatever go.mod surrounds the caller plays no part.
  const result = await execa(go, ['install', target], { cwd: gobin, env: { ...env, GOBIN: gobin, GOFLAGS }, all: true, reject: false });
  if (!result.failed) return;
  if (result.exitCode === undefined && !result.signal) {
    throw new SetupError(`Could not run ${go} (${result.shortMessage}); check the Go installation.`);
  }
  const how = result.signal ? `was stopped by ${result.signal}` : `failed with exit code ${result.exitCode}`;
  throw new SetupError(
    `"go install ${target}" ${how}; fix the cause in its last lines below and run this again:\n${tail(String(result.all), 20)}`,
  );
}
