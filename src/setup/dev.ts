// `npm run dev`: set-up, demo data, then the API and the worker on local defaults, and the web console with hot reload.
import { spawn, type ChildProcess } from 'node:child_process';
import { signDevToken } from '../auth/tokens.js';
import { loadConfig } from '../config.js';
import { createDb } from '../db/client.js';
import { createWorkflowGateway } from '../temporal/workflow-gateway.js';
import type { ViteDevServer } from 'vite';
import { buildConsole } from '../console/build/build-console.js';
import { becomes } from './background-process.js';
import { startConsoleDevServer } from './console-dev-server.js';
import { SetupError } from './components.js';
import { prepareLocalEnvironment } from './local-environment.js';
import { projectRoot } from './project-paths.js';
import { DEMO_ACTORS, seedDemoData } from './seed.js';

const started: ChildProcess[] = [];
let consoleServer: ViteDevServer | undefined;

function startChild(name: string, entry: string, env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], { cwd: projectRoot, env, stdio: 'inherit' });
  child.once('exit', (code, signal) => {
    if (stopping) return;
    console.error(`The ${name} stopped (${signal ?? `exit code ${code}`}); stopping the rest.`);
    void stopAll(1);
  });
  started.push(child);
  return child;
}

let stopping = false;
async function stopAll(code: number) {
  stopping = true;
  await consoleServer?.close();
  for (const child of started) if (child.exitCode === null) child.kill('SIGTERM');
  await Promise.all(started.map((child) => (child.exitCode === null ? new Promise((r) => child.once('exit', r)) : null)));
  process.exit(code);
}

async function main() {
  const started = Date.now();
  const env = await prepareLocalEnvironment('dev', (line) => console.log(line));
  const childEnv = { ...process.env, ...env };
  const config = loadConfig(childEnv);

  // The API serves the built console too: the product-code landing pages (/c/…) and the badge script
  // (/widget/…) on the API's own address, as in production; the dev server below adds hot reload.
  console.log('Seeding demo data and building the web console…');
  const db = createDb({ databaseUrl: config.DATABASE_URL, maxConnections: 2 });
  await Promise.all([
    seedDemoData(
      db,
      createWorkflowGateway({ taskQueue: config.TEMPORAL_TASK_QUEUE, reminderLeadSeconds: config.BADGE_RENEWAL_REMINDER_SECONDS }),
    ),
    buildConsole(),
  ]);
  await db.$disconnect();

  startChild('worker', 'src/worker.ts', childEnv);
  startChild('API', 'src/main.ts', childEnv);
  const base = `http://${config.HOST}:${config.PORT}`;
  const isReady = () =>
    fetch(`${base}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
  if (!(await becomes(isReady, 60_000, 500))) {
    console.error(`The API did not become ready at ${base}/readyz within 60 s; see the log lines above.`);
    return stopAll(1);
  }

  const devConsole = await startConsoleDevServer(config.HOST, base);
  consoleServer = devConsole.server;

  const lines = [
    `GraphQL endpoint: ${base}/graphql   (ready in ${((Date.now() - started) / 1000).toFixed(1)} s)`,
    `Console: ${devConsole.url}   (hot reload; sign in as a demo person)`,
    'Dev tokens (12 h), send as "Authorization: Bearer <token>":',
  ];
  for (const { subject, roles } of DEMO_ACTORS) {
    const token = await signDevToken(config.AUTH_HS256_SECRET!, { sub: subject, roles });
    lines.push(`  ${roles.join(',').padEnd(16)} ${subject.padEnd(14)} ${token}`);
  }
  lines.push('More: npm run token -- --sub alice --roles BRAND,REVIEWER', 'Stop with Ctrl+C.');
  console.log(`\n${lines.join('\n')}\n`);

  process.once('SIGINT', () => void stopAll(0));
  process.once('SIGTERM', () => void stopAll(0));
}

main().catch((error) => {
  console.error(error instanceof SetupError ? error.message : error);
  void stopAll(1);
});
