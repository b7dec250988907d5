import { spawn } from 'node:child_process';
import { closeSync, fstatSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import isPortReachable from 'is-port-reachable';
import pWaitFor from 'p-wait-for';
import lockfile from 'proper-lockfile';

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

export const isPortOpen = (host: string, port: number) => isPortReachable(port, { host, timeout: 500 });

/** A port from the environment (local servers listen on fixed ports unless told otherwise). */
export function portSetting(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = env[name];
  if (!value) return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1024 || port > 64535) {
    throw new SetupError(`${name}=${value} is not a usable port; set it to a number from 1024 to 64535 or unset it.`);
  }
  return port;
}

/** The last lines of a tool's output or log, indented for quoting under a message. */
export function tail(text: string, count = 15): string {
  const lines = text.split('\n').filter((l) => l.trim());
  return lines.length === 0 ? '  (nothing was written)' : `  ${lines.slice(-count).join('\n  ')}`;
}

/** Whether `condition` holds within `timeoutMs`. */
export const becomes = (condition: () => boolean | Promise<boolean>, timeoutMs: number, interval = 250) =>
  pWaitFor(condition, { interval, timeout: timeoutMs }).then(
    () => true,
    () => false,
  );

/**
 * Runs `fn` while holding the lock `<path>.lock`, so that set-ups started together do not both start
 * a server or both run a build. The lock of a holder that died goes stale and is taken over.
 */
export async function withLock<T>(
  path: string,
  opts: { what: string; timeoutMs?: number; onWait?: () => void },
  fn: () => Promise<T>,
): Promise<T> {
  mkdirSync(dirname(path), { recursive: true });
  // The holder refreshes the lock every 10 s, so a lock untouched for 20 s was left by a process that died.
  const options = { realpath: false, stale: 20_000, onCompromised: () => undefined };
  if (await lockfile.check(path, options)) opts.onWait?.();
  const tries = opts.timeoutMs === undefined ? { forever: true } : { retries: Math.ceil(opts.timeoutMs / 1000) };
  const release = await lockfile.lock(path, { ...options, retries: { ...tries, factor: 1, minTimeout: 1000 } }).catch((error) => {
    if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
    throw new SetupError(`Another set-up has been ${opts.what} for too long; wait for it to finish or stop it, then run this again.`);
  });
  try {
    return await fn();
  } finally {
    await release().catch(() => undefined);
  }
}

/** How a port answers: 'foreign' is another kind of program, 'failing' the right kind of server answering with errors. */
export interface Probe {
  state: 'ready' | 'closed' | 'foreign' | 'failing';
  reason?: string;
}

export interface LocalServer {
  /** Used in messages, e.g. 'the Temporal dev server'. */
  label: string;
  /** Names its lock and log in `stateDir`, e.g. 'temporal-7233'. */
  id: string;
  /** Per-user directory (outside any checkout) holding the server's data, log and lock. */
  stateDir: string;
  /** Where it keeps its data, inside `stateDir`; made before each start. */
  dataDir: string;
  port: number;
  probe: () => Promise<Probe>;
  /** Said when the port is held by something that is not this kind of server. */
  portTaken: string;
  /** Other ports the server binds; some servers answer on their main port before failing on these. */
  otherPorts: { port: number; use: string }[];
  binary: () => Promise<string>;
  args: string[];
  /** Arguments that tell this server's process from others started from the same binary. */
  listenArgs: string[];
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
}

const READY_TIMEOUT_MS = 60_000;

export const serverLogFile = (stateDir: string, id: string) => join(stateDir, 'logs', `${id}.log`);

/**
 * Reuses a server that answers real requests; else restarts one of ours that does not, or starts one
 * detached so it outlives this process (dev, tests and workers of every checkout share it).
 */
export async function ensureLocalServer(server: LocalServer): Promise<void> {
  if ((await server.probe()).state === 'ready') return;
  const binary = await server.binary();
  const label = server.label.charAt(0).toUpperCase() + server.label.slice(1);
  const logFile = serverLogFile(server.stateDir, server.id);
  await withLock(join(server.stateDir, server.id), { what: `starting ${server.label}`, timeoutMs: 2 * READY_TIMEOUT_MS }, async () => {
    const probe = await server.probe();
    if (probe.state === 'ready') return;
    const running = await findServerProcess(binary, server.listenArgs);
    if (running !== undefined) {
      const how = probe.state === 'closed' ? 'does not answer' : `answers but fails requests (${probe.reason})`;
      server.log(`${label} (pid ${running}) ${how}; restarting it…`);
      await stopProcess(running);
    } else if (probe.state === 'failing') {
      throw new SetupError(
        `${label} on 127.0.0.1:${server.port} answers but fails requests (${probe.reason}) and was not started by this set-up; stop the program on port ${server.port} (for example: kill $(lsof -t -iTCP:${server.port} -sTCP:LISTEN)) and run this again.`,
      );
    } else if (probe.state === 'foreign') {
      throw new SetupError(server.portTaken);
    }
    for (const { port, use } of server.otherPorts) {
      if (await isPortOpen('127.0.0.1', port)) {
        throw new SetupError(`Port ${port} (${use}) is taken by another program; stop it so that ${server.label} can start.`);
      }
    }

    mkdirSync(server.dataDir, { recursive: true });
    mkdirSync(dirname(logFile), { recursive: true });
    const fd = openSync(logFile, 'a');
    writeSync(fd, `\n--- ${new Date().toISOString()} ${binary} ${server.args.join(' ')}\n`);
    const logOffset = fstatSync(fd).size;
    // Node's own way to start a daemon (execa would pipe a log file through this process): its own
    // process group, and the log file as its output, so it outlives this process.
    const child = spawn(binary, server.args, { cwd: server.stateDir, env: server.env, detached: true, stdio: ['ignore', fd, fd] });
    closeSync(fd);
    let exited: string | undefined;
    child.once('error', (error) => (exited = `could not be started (${error.message})`));
    child.once('exit', (code, signal) => (exited = signal ? `was stopped by ${signal}` : `exited with code ${code}`));
    child.unref();
    server.log(`Starting ${server.label} in the background (log: ${logFile})…`);

    const started = Date.now();
    let last: Probe = { state: 'closed' };
    const ready = await becomes(async () => {
      if (exited !== undefined) return true;
      last = await server.probe();
      return last.state === 'ready';
    }, READY_TIMEOUT_MS);
    if (ready && exited === undefined) {
      server.log(`${label} is ready (${((Date.now() - started) / 1000).toFixed(1)} s).`);
      return;
    }
    // A half-started server would hold the port and make the next attempt wait on it again.
    if (child.pid !== undefined) await stopProcess(child.pid);
    const what =
      exited !== undefined
        ? `${exited} before it was ready`
        : `was not ready within ${READY_TIMEOUT_MS / 1000} s (${last.reason ?? 'it never answered'})`;
    throw new SetupError(`${label} ${what}; the end of ${logFile} says why:\n${logTail(logFile, logOffset)}`);
  });
}

/** The pid of a running `binary` whose command line holds `listenArgs`: a server this set-up started, from whichever checkout. */
export async function findServerProcess(binary: string, listenArgs: string[]): Promise<number | undefined> {
  const { stdout } = await execa('ps', ['-A', '-ww', '-o', 'pid=', '-o', 'args='], { reject: false });
  const ours = (args: string) => args.startsWith(`${binary} `) && `${args} `.includes(` ${listenArgs.join(' ')} `);
  const found = String(stdout)
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(.*)$/.exec(line))
    .find((match) => match && ours(match[2]!));
  return found ? Number(found[1]) : undefined;
}

/** Stops a detached server and everything in its process group: politely, then by force. */
export async function stopProcess(pid: number): Promise<void> {
  for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
    try {
      process.kill(-pid, signal);
    } catch {
      try {
        process.kill(pid, signal);
      } catch {
        return; // Already gone.
      }
    }
    if (await becomes(() => !isAlive(pid), 15_000, 100)) return;
  }
}

function logTail(file: string, fromOffset: number): string {
  try {
    return tail(readFileSync(file).subarray(fromOffset).toString('utf8'));
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
