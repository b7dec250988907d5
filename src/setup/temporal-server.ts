import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Connection, isGrpcServiceError } from '@temporalio/client';
import { type Probe, SetupError, ensureLocalServer, errorText, isPortOpen, machineEnv, portSetting } from './background-process.js';
import { type GoBinary, ensureGoBinary } from './go-binaries.js';

// Later tags of the CLI cannot be built with `go install` (they use replace directives).
export const TEMPORAL_CLI: GoBinary = {
  name: 'temporal',
  pkg: 'github.com/temporalio/cli/cmd/temporal',
  version: 'v1.5.1',
  label: 'the Temporal dev server',
  buildTime: '~8 min',
};

const HOST = '127.0.0.1';
const GRPC_NOT_FOUND = 5;

const reasonOf = (error: unknown) => (isGrpcServiceError(error) && error.details ? error.details : errorText(error));

/**
 * Whether Temporal at `address` serves requests. A dev server whose database file was deleted keeps
 * answering reads (from memory and the open file) but fails every write, then every workflow call,
 * with "shard status unknown"; so this reads a workflow through a history shard and, on a server of
 * our own (`write`), also starts and deletes one.
 */
async function probeTemporal(address: string, namespace: string, write: boolean): Promise<Probe> {
  let connection: Connection;
  try {
    // Without the retry interceptor a failing server says why at once instead of running out the deadline.
    connection = await Connection.connect({ address, connectTimeout: '2s', interceptors: [] });
  } catch (error) {
    return { state: 'foreign', reason: reasonOf(error) };
  }
  const service = connection.workflowService;
  const call = (fn: () => Promise<unknown>) => connection.withDeadline(Date.now() + 3000, fn);
  try {
    try {
      await call(() => service.getSystemInfo({}));
    } catch (error) {
      return { state: 'foreign', reason: reasonOf(error) };
    }
    await call(() => service.describeNamespace({ namespace }));
    const execution = { workflowId: `brand-auth-setup-probe-${randomUUID()}` };
    await call(() => service.describeWorkflowExecution({ namespace, execution })).catch((error: unknown) => {
      if (!isGrpcServiceError(error) || error.code !== GRPC_NOT_FOUND) throw error;
    });
    if (write) {
      const probe = { name: 'brand-auth-setup-probe' };
      const { workflowId } = execution;
      await call(() =>
        service.startWorkflowExecution({ namespace, workflowId, workflowType: probe, taskQueue: probe, requestId: randomUUID() }),
      );
      await call(() => service.deleteWorkflowExecution({ namespace, workflowExecution: { workflowId } }));
    }
    return { state: 'ready' };
  } catch (error) {
    return { state: 'failing', reason: reasonOf(error) };
  } finally {
    await connection.close().catch(() => undefined);
  }
}

/** The Temporal frontend address to use: TEMPORAL_ADDRESS if set, else a local dev server started on demand. */
export async function ensureTemporal(opts: { env: NodeJS.ProcessEnv; stateDir: string; log: (line: string) => void }): Promise<string> {
  const given = opts.env.TEMPORAL_ADDRESS;
  if (given) {
    const probe = await probeTemporal(given, opts.env.TEMPORAL_NAMESPACE || 'default', false);
    if (probe.state !== 'ready') {
      const how = probe.state === 'failing' ? 'answers but fails requests' : 'is not answering';
      throw new SetupError(
        `Temporal at ${given} (TEMPORAL_ADDRESS) ${how} (${probe.reason}); fix that server or unset TEMPORAL_ADDRESS to use a local dev server.`,
      );
    }
    return given;
  }

  const port = portSetting(opts.env, 'BRAND_AUTH_TEMPORAL_PORT', 7233);
  const uiPort = port + 1000;
  const id = `temporal-${port}`;
  const dataDir = join(opts.stateDir, id);
  const listenArgs = ['--ip', HOST, '--port', String(port)];
  await ensureLocalServer({
    label: 'the Temporal dev server',
    id,
    stateDir: opts.stateDir,
    dataDir,
    port,
    // The dev server has only the default namespace.
    probe: async () => ((await isPortOpen(HOST, port)) ? probeTemporal(`${HOST}:${port}`, 'default', true) : { state: 'closed' }),
    portTaken: `Port ${port} is taken by another program that is not a Temporal server; stop it, set BRAND_AUTH_TEMPORAL_PORT to a free port, or set TEMPORAL_ADDRESS.`,
    otherPorts: [{ port: uiPort, use: 'the Temporal web UI' }],
    binary: () => ensureGoBinary(TEMPORAL_CLI, opts),
    // Workflows survive restarts of the dev server in its database file.
    args: [
      'server',
      'start-dev',
      ...listenArgs,
      '--ui-port',
      String(uiPort),
      '--db-filename',
      join(dataDir, 'temporal.db'),
      '--log-level',
      'warn',
      '--color',
      'never',
    ],
    listenArgs,
    env: machineEnv(opts.env),
    log: opts.log,
  });
  return `${HOST}:${port}`;
}
