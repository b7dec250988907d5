import { spawn } from 'node:child_process';
import { closeSync, fstatSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import net from 'node:net';
import { basename, dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** A problem the person running set-up can fix; its message says what and how, so callers print it without a stack. */
export class SetupError extends Error {
  override name = 'SetupError';
}

/**
 * Service settings come only from the caller's env, but tools such as `go` also need the machine's
 * PATH, HOME and caches, which a caller passing a trimmed env (tests pass `{}`) would otherwise hide.
 */
export function machineEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...process.env, ...env };
}

export function errorText(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return errorText(error.errors[0]);
  if (error instanceof Error) return error.message || (error as NodeJS.ErrnoException).code || error.name;
  return String(error);
}

export function isPortOpen(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** The pid recorded in `pidFile`, if that process is still alive and still runs `binary` (pids get reused). */
function recordedPid(pidFile: string, binary: string): number | undefined {
  let pid: number;
  try {
    pid = Number.parseInt(readFileSync(pidFile, 'utf8'), 10);
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return undefined;
  try {
    if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(basename(binary))) return undefined;
  } catch {
    // Without /proc (macOS) liveness is the best available signal.
  }
  return pid;
}

/** A detached child leads its own process group, which also holds anything it spawned. */
function stopProcessGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
  }
}

function lastLines(file: string, fromOffset: number, count = 15): string {
  try {
    const lines = readFileSync(file)
      .subarray(fromOffset)
      .toString('utf8')
      .split('\n')
      .filter((l) => l.trim());
    if (lines.length === 0) return '  (the log is empty)';
    return lines
      .slice(-count)
      .map((l) => `  ${l}`)
      .join('\n');
  } catch {
    return '  (no log was written)';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Runs `fn` while holding an O_EXCL lock file, so two set-ups started together do not both start a
 * server or both run a build. A lock left by a process that died is taken over.
 */
export async function withFileLock<T>(
  lockFile: string,
  opts: { what: string; timeoutMs: number; onWait?: () => void },
  fn: () => Promise<T>,
): Promise<T> {
  mkdirSync(dirname(lockFile), { recursive: true });
  const deadline = Date.now() + opts.timeoutMs;
  let waiting = false;
  for (;;) {
    try {
      const fd = openSync(lockFile, 'wx');
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = lockHolder(lockFile);
    if (holder === undefined) {
      rmSync(lockFile, { force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new SetupError(
        `Another set-up (process ${holder}) has been ${opts.what} for too long; if none is running, delete ${lockFile} and try again.`,
      );
    }
    if (!waiting) opts.onWait?.();
    waiting = true;
    await sleep(250);
  }
  try {
    return await fn();
  } finally {
    rmSync(lockFile, { force: true });
  }
}

/** The live holder's pid (or '?' while it is still writing it), or undefined when the lock is stale. */
function lockHolder(lockFile: string): number | '?' | undefined {
  try {
    const pid = Number.parseInt(readFileSync(lockFile, 'utf8'), 10);
    if (Number.isInteger(pid) && pid > 0) return isAlive(pid) ? pid : undefined;
    return Date.now() - statSync(lockFile).mtimeMs < 5000 ? '?' : undefined;
  } catch {
    return undefined;
  }
}

export type ProbeResult = 'ready' | 'closed' | 'foreign';

export interface LocalServer {
  /** File-name stem for `<dataDir>/<name>.pid`, `<dataDir>/<name>.lock` and `<dataDir>/logs/<name>.log`. */
  name: string;
  label: string;
  dataDir: string;
  /** Said when the port is held by something that is not this server. */
  portTaken: string;
  probe: () => Promise<ProbeResult>;
  /** Other ports the server binds; some servers answer on their main port before failing on these. */
  otherPorts: { port: number; use: string }[];
  binary: () => Promise<string>;
  args: string[];
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
}

const READY_TIMEOUT_MS = 60_000;

/**
 * Reuses a server that already answers, else starts one detached so it outlives this process
 * (dev, tests and workers all share it), then waits until it answers.
 */
export async function ensureLocalServer(server: LocalServer): Promise<void> {
  if ((await server.probe()) === 'ready') return;
  const binary = await server.binary();
  const pidFile = `${server.dataDir}/${server.name}.pid`;
  const logFile = `${server.dataDir}/logs/${server.name}.log`;
  const lock = `${server.dataDir}/${server.name}.lock`;
  await withFileLock(lock, { what: `starting ${server.label}`, timeoutMs: 120_000 }, async () => {
    const state = await server.probe();
    if (state === 'ready') return;
    const earlier = recordedPid(pidFile, binary);
    if (earlier !== undefined) {
      // Started by an earlier set-up that gave up waiting; give it the chance to finish rather than clash on the port.
      server.log(`Waiting for ${server.label} started earlier (pid ${earlier})…`);
      return stopIfNotReady(earlier, pidFile, () => waitUntilReady(server, earlier, logFile, 0));
    }
    if (state === 'foreign') throw new SetupError(server.portTaken);
    for (const { port, use } of server.otherPorts) {
      if (await isPortOpen('127.0.0.1', port)) {
        throw new SetupError(`Port ${port} (${use}) is taken by another program; stop it so that ${server.label} can start.`);
      }
    }

    mkdirSync(dirname(logFile), { recursive: true });
    const fd = openSync(logFile, 'a');
    let logOffset = 0;
    let exitReason: string | undefined;
    let pid: number | undefined;
    try {
      writeSync(fd, `\n--- ${new Date().toISOString()} ${basename(binary)} ${server.args.join(' ')}\n`);
      logOffset = fstatSync(fd).size;
      const child = spawn(binary, server.args, { cwd: server.dataDir, env: server.env, detached: true, stdio: ['ignore', fd, fd] });
      child.once('error', (error) => (exitReason = `could not be started (${error.message})`));
      child.once('exit', (code, signal) => (exitReason = signal ? `was stopped by ${signal}` : `exited with code ${code}`));
      child.unref();
      pid = child.pid;
    } finally {
      closeSync(fd);
    }
    if (pid !== undefined) writeFileSync(pidFile, `${pid}\n`);
    server.log(`Starting ${server.label} in the background (log: ${logFile})…`);
    const started = Date.now();
    await stopIfNotReady(pid, pidFile, () => waitUntilReady(server, pid, logFile, logOffset, () => exitReason));
    server.log(`${capitalize(server.label)} is ready (${((Date.now() - started) / 1000).toFixed(1)} s).`);
  });
}

async function stopIfNotReady(pid: number | undefined, pidFile: string, wait: () => Promise<void>): Promise<void> {
  try {
    await wait();
  } catch (error) {
    // A half-started server would hold the port and make the next attempt wait on it again.
    if (pid !== undefined && isAlive(pid)) stopProcessGroup(pid);
    rmSync(pidFile, { force: true });
    throw error;
  }
}

async function waitUntilReady(
  server: LocalServer,
  pid: number | undefined,
  logFile: string,
  logOffset: number,
  exited: () => string | undefined = () => (pid !== undefined && !isAlive(pid) ? 'exited' : undefined),
): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    await sleep(250);
    const reason = exited();
    if (reason !== undefined) {
      throw new SetupError(
        `${capitalize(server.label)} ${reason} before it was ready; the end of ${logFile} says why:\n${lastLines(logFile, logOffset)}`,
      );
    }
    if ((await server.probe()) === 'ready') return;
    if (Date.now() > deadline) {
      throw new SetupError(
        `${capitalize(server.label)} did not answer within ${READY_TIMEOUT_MS / 1000} s; the end of ${logFile} may say why:\n${lastLines(logFile, logOffset)}`,
      );
    }
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
