import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { type ProbeResult, SetupError, ensureLocalServer, errorText, isPortOpen, machineEnv } from './background-process.js';
import { type GoBinary, ensureGoBinary } from './go-binaries.js';

// Later tags of the CLI cannot be built with `go install` (they use replace directives).
const TEMPORAL_CLI: GoBinary = {
  name: 'temporal',
  pkg: 'github.com/temporalio/cli/cmd/temporal',
  version: 'v1.5.1',
  label: 'the Temporal dev server',
  buildTime: '~8 min',
};

const HOST = '127.0.0.1';
const PORT = 7233;
const UI_PORT = 8233;

/** Why Temporal at `address` cannot be used, or undefined when it answers. */
async function temporalProblem(address: string): Promise<string | undefined> {
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect({ address, connectTimeout: '2s' });
    const open = connection;
    // getSystemInfo only succeeds against a real Temporal frontend, unlike a bare TCP or gRPC check.
    await open.withDeadline(Date.now() + 2000, () => open.workflowService.getSystemInfo({}));
    return undefined;
  } catch (error) {
    return errorText(error);
  } finally {
    await connection?.close().catch(() => undefined);
  }
}

async function probeLocal(): Promise<ProbeResult> {
  // A refused TCP connect answers in a millisecond, whereas the gRPC client would wait out its timeout.
  if (!(await isPortOpen(HOST, PORT))) return 'closed';
  return (await temporalProblem(`${HOST}:${PORT}`)) === undefined ? 'ready' : 'foreign';
}

/** The Temporal frontend address to use: TEMPORAL_ADDRESS if set, else a local dev server started on demand. */
export async function ensureTemporal(opts: { env: NodeJS.ProcessEnv; dataDir: string; log: (line: string) => void }): Promise<string> {
  const given = opts.env.TEMPORAL_ADDRESS;
  if (given) {
    const problem = await temporalProblem(given);
    if (problem !== undefined) {
      throw new SetupError(
        `Temporal at ${given} (TEMPORAL_ADDRESS) is not answering (${problem}); start it or unset TEMPORAL_ADDRESS to use a local dev server.`,
      );
    }
    return given;
  }

  const stateDir = join(opts.dataDir, 'temporal');
  mkdirSync(stateDir, { recursive: true });
  await ensureLocalServer({
    name: 'temporal',
    label: 'the Temporal dev server',
    dataDir: opts.dataDir,
    portTaken: `Port ${PORT} is taken by another program that is not a Temporal server; stop it or set TEMPORAL_ADDRESS.`,
    probe: probeLocal,
    otherPorts: [{ port: UI_PORT, use: 'the Temporal web UI' }],
    binary: () => ensureGoBinary(TEMPORAL_CLI, opts),
    args: [
      'server',
      'start-dev',
      '--ip',
      HOST,
      '--port',
      String(PORT),
      '--ui-port',
      String(UI_PORT),
      // Workflows survive restarts of the dev server.
      '--db-filename',
      join(stateDir, 'temporal.db'),
      '--log-level',
      'warn',
      '--color',
      'never',
    ],
    env: machineEnv(opts.env),
    log: opts.log,
  });
  return `${HOST}:${PORT}`;
}
