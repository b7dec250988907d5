// Complaint workflow throughput: complaints taken from filing to coupon through
// the API (file, photo, submit, respond, claim, decide COUNTERFEIT; the
// worker then issues the warning and the coupon), against a workflow with the
// same Updates and activities whose activities do nothing, driven straight
// through the Temporal client on a worker of its own. Both with the same number
// of complaints in flight, in this process, in rounds that alternate between
// the two (BENCH_ROUNDS, 5 by default), so a slow spell of the shared machine
// weighs on both alike; throughput is pooled over the rounds.
// Run: `tsx test/bench/complaint-workflows.bench.ts [complaints per round] [in flight]`.
import { randomUUID } from 'node:crypto';
import { Session } from 'node:inspector/promises';
import { mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WithStartWorkflowOperation } from '@temporalio/client';
import { NativeConnection, Worker, bundleWorkflowCode } from '@temporalio/worker';
import pLimit from 'p-limit';
import pg from 'pg';
import {
  ADD_EVIDENCE,
  CLAIM_COMPLAINT,
  DECIDE_COMPLAINT,
  FILE_COMPLAINT,
  RESPOND_TO_COMPLAINT,
  SUBMIT_COMPLAINT,
  photo,
  send,
} from '../support/complaint-operations.js';
import { rowId, startStack, type Stack } from '../support/stack.js';
import { projectRoot } from '../support/test-env.js';
import { actor, createStore, type Actor } from '../support/store-operations.js';
import { ensureWorkflowBundle, percent, quietTemporal, report, runBench, summarize, timed, until, type PathRow } from './bench-support.js';
import { STEPS, noopComplaintWorkflow, noopStepUpdate } from './workflows/noop-complaint.workflow.js';

const COMPLAINTS = Number(process.argv[2] ?? 20);
const IN_FLIGHT = Number(process.argv[3] ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const PATH = 'complaint workflows (file → coupon)';

// What the journey's mutations ask back. The subject is the workflow's path, so by default each step asks
// only for what a client driving it needs (the complaint's id and status, or the photo's id);
// BENCH_COMPLAINT_PAYLOAD=full asks for the whole complaint (photos' presigned URLs, timeline…) as the API tests do.
const FULL_PAYLOAD = process.env.BENCH_COMPLAINT_PAYLOAD === 'full';
const lean = (name: string, input: string) =>
  `mutation ($input: ${input}!) { ${name}(input: $input) { complaint { id status } userErrors { code field message } } }`;
const MUTATIONS = FULL_PAYLOAD
  ? { FILE_COMPLAINT, ADD_EVIDENCE, SUBMIT_COMPLAINT, RESPOND_TO_COMPLAINT, CLAIM_COMPLAINT, DECIDE_COMPLAINT }
  : {
      FILE_COMPLAINT: lean('fileComplaint', 'FileComplaintInput'),
      ADD_EVIDENCE:
        'mutation ($input: AddEvidenceInput!) { addEvidence(input: $input) { evidence { id } userErrors { code field message } } }',
      SUBMIT_COMPLAINT: lean('submitComplaint', 'ComplaintRefInput'),
      RESPOND_TO_COMPLAINT: lean('respondToComplaint', 'RespondToComplaintInput'),
      CLAIM_COMPLAINT: lean('claimComplaint', 'ComplaintRefInput'),
      DECIDE_COMPLAINT: lean('decideComplaint', 'DecideComplaintInput'),
    };
const noopSource = fileURLToPath(new URL('./workflows/noop-complaint.workflow.ts', import.meta.url));
const noopBundle = path.join(projectRoot, '.data', 'bench-noop-workflow-bundle.js');

async function bundleNoop(): Promise<string> {
  const mtime = (file: string) => {
    try {
      return statSync(file).mtimeMs;
    } catch {
      return 0;
    }
  };
  if (mtime(noopBundle) > mtime(noopSource)) return noopBundle;
  const { code } = await bundleWorkflowCode({
    workflowsPath: noopSource,
    logger: { trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error, log() {} },
  });
  mkdirSync(path.dirname(noopBundle), { recursive: true });
  writeFileSync(`${noopBundle}.${process.pid}`, code);
  renameSync(`${noopBundle}.${process.pid}`, noopBundle);
  return noopBundle;
}

async function step(stack: Stack, mutation: string, who: Actor, input: Record<string, unknown>) {
  const { res, payload } = await send(stack, mutation, who, input);
  if (!payload || payload.userErrors.length > 0) throw new Error(`step failed: ${JSON.stringify(res.body)}`);
}

/**
 * Journeys per second, each journey's milliseconds, and this process's CPU
 * milliseconds per journey (API, worker and driver together), with `inFlight`
 * at a time. With BENCH_CPU_PROFILE_DIR the main thread's V8 profile of the
 * run is written there as `complaint-workflows-<name>.cpuprofile`.
 */
async function throughput(name: string, count: number, inFlight: number, journey: (i: number) => Promise<void>) {
  const limit = pLimit(inFlight);
  const each: number[] = [];
  const profiling = await startProfile();
  const cpuBefore = process.cpuUsage();
  const statementsBefore = statements;
  const total = await timed(() =>
    Promise.all(Array.from({ length: count }, (_, i) => limit(async () => each.push(await timed(() => journey(i)))))),
  );
  const cpu = process.cpuUsage(cpuBefore);
  const statementsEach = (statements - statementsBefore) / count;
  await profiling?.stop(`complaint-workflows-${name}.cpuprofile`);
  return { perSecond: count / (total / 1000), each, cpuMsEach: (cpu.user + cpu.system) / 1000 / count, statementsEach };
}

type Throughput = Awaited<ReturnType<typeof throughput>>;

/** Rounds of the same journeys taken as one run: complaints over the rounds' total time, per-complaint figures averaged. */
function pooled(rounds: Throughput[]): Throughput {
  const count = rounds.reduce((sum, r) => sum + r.each.length, 0);
  const seconds = rounds.reduce((sum, r) => sum + r.each.length / r.perSecond, 0);
  const weighted = (pick: (r: Throughput) => number) => rounds.reduce((sum, r) => sum + pick(r) * r.each.length, 0) / count;
  return {
    perSecond: count / seconds,
    each: rounds.flatMap((r) => r.each),
    cpuMsEach: weighted((r) => r.cpuMsEach),
    statementsEach: weighted((r) => r.statementsEach),
  };
}

// Statements sent to PostgreSQL by the service in this process (API and worker), counted per journey:
// every one is a round trip on a busy machine.
let statements = 0;
const clientQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  statements += 1;
  return (clientQuery as (...a: unknown[]) => unknown).apply(this, args);
} as typeof clientQuery;

async function startProfile() {
  const dir = process.env.BENCH_CPU_PROFILE_DIR;
  if (!dir) return null;
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    async stop(file: string) {
      const { profile } = await session.post('Profiler.stop');
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, file), JSON.stringify(profile));
      session.disconnect();
    },
  };
}

await runBench(async () => {
  quietTemporal();
  await ensureWorkflowBundle();
  const bundle = await bundleNoop();
  const stack = await startStack({
    worker: true,
    config: { SIGNED_IN_RATE_LIMIT_PER_MINUTE: '100000', OPEN_COMPLAINTS_MAX_PER_CONSUMER: '1000' },
  });
  const noopQueue = `bench-noop-${randomUUID()}`;
  const connection = await NativeConnection.connect({ address: stack.config.TEMPORAL_ADDRESS });
  const noopWorker = await Worker.create({
    connection,
    namespace: stack.config.TEMPORAL_NAMESPACE,
    taskQueue: noopQueue,
    workflowBundle: { codePath: bundle },
    activities: { noop: async () => undefined },
    stickyQueueScheduleToStartTimeout: '3s',
  });
  const noopRunning = noopWorker.run();
  try {
    const reviewer = await actor(stack, 'bench-reviewer', ['REVIEWER']);
    const picture = await photo(3);
    // Each complaint against a store of its own owner, so no strike policy suspends a store mid-run.
    const parties = async () => {
      const [owner, consumer] = await Promise.all([
        actor(stack, 'bench-owner', ['MERCHANT']),
        actor(stack, 'bench-consumer', ['CONSUMER']),
      ]);
      return { owner, consumer, store: await createStore(stack, owner) };
    };
    // Each step's milliseconds, to tell where a journey's time goes.
    const stepMs = new Map<string, number[]>();
    // With one complaint in flight, each step's statements too (with more, steps overlap).
    const stepStatements = new Map<string, number[]>();
    const timedStep = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
      const started = performance.now();
      const statementsBefore = statements;
      const result = await run();
      stepMs.set(name, [...(stepMs.get(name) ?? []), performance.now() - started]);
      stepStatements.set(name, [...(stepStatements.get(name) ?? []), statements - statementsBefore]);
      return result;
    };
    const complaint = async ({ owner, consumer, store }: Awaited<ReturnType<typeof parties>>) => {
      const filed = await timedStep('file', async () => {
        const { res, payload } = await send(stack, MUTATIONS.FILE_COMPLAINT, consumer, {
          storeId: store.id,
          orderReference: 'ORD-1001',
          description: 'The handbag arrived with a misspelt logo.',
        });
        if (!payload?.complaint) throw new Error(`fileComplaint failed: ${JSON.stringify(res.body)}`);
        return payload.complaint as { id: string };
      });
      const added = await timedStep('photo', () =>
        stack.gql(
          MUTATIONS.ADD_EVIDENCE,
          { input: { complaintId: filed.id, photo: null } },
          { token: consumer.token, files: { 'input.photo': picture } },
        ),
      );
      if (added.body.data?.addEvidence.userErrors.length !== 0) throw new Error(`addEvidence failed: ${JSON.stringify(added.body)}`);
      await timedStep('submit', () => step(stack, MUTATIONS.SUBMIT_COMPLAINT, consumer, { complaintId: filed.id }));
      await timedStep('respond', () =>
        step(stack, MUTATIONS.RESPOND_TO_COMPLAINT, owner, { complaintId: filed.id, statement: 'Our stock comes from the brand.' }),
      );
      await timedStep('claim', () => step(stack, MUTATIONS.CLAIM_COMPLAINT, reviewer, { complaintId: filed.id }));
      await timedStep('decide', () =>
        step(stack, MUTATIONS.DECIDE_COMPLAINT, reviewer, {
          complaintId: filed.id,
          verdict: 'COUNTERFEIT',
          note: 'The logo does not match.',
        }),
      );
      const complaintId = rowId(filed.id);
      await timedStep('coupon', () =>
        until(
          () => {
            // The bench's own reads, not the service's: left out of the statements counted.
            statements -= 1;
            return stack.db.coupon.findUnique({ where: { complaintId } });
          },
          { timeout: 30_000, interval: 50 },
        ),
      );
    };
    const noop = async () => {
      const client = stack.runtime.temporal.client;
      const workflowId = `bench-noop-${randomUUID()}`;
      await client.workflow.executeUpdateWithStart(noopStepUpdate, {
        args: ['file'],
        startWorkflowOperation: new WithStartWorkflowOperation(noopComplaintWorkflow, {
          workflowId,
          taskQueue: noopQueue,
          args: [],
          workflowIdConflictPolicy: 'USE_EXISTING',
        }),
      });
      const handle = client.workflow.getHandle(workflowId);
      for (const name of STEPS.slice(1)) await handle.executeUpdate(noopStepUpdate, { args: [name] });
      if ((await handle.result()) !== 'coupon') throw new Error('the no-op workflow did not finish');
    };

    // Warm-up of both with as many in flight as measured (so the pools hold their connections and
    // the code is compiled), then the measured runs; parties are made beforehand so only the journeys are timed.
    const warmParties = await Promise.all(Array.from({ length: IN_FLIGHT }, parties));
    await Promise.all(warmParties.map(complaint));
    await Promise.all(Array.from({ length: IN_FLIGHT }, () => noop()));
    const everyone: Awaited<ReturnType<typeof parties>>[] = [];
    for (let i = 0; i < COMPLAINTS * ROUNDS; i++) everyone.push(await parties());
    stepMs.clear();
    stepStatements.clear();
    // Alternating, and in turn which goes first, so drift in the machine's load falls on both.
    const serviceRounds: Throughput[] = [];
    const noopRounds: Throughput[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const runService = async () =>
        serviceRounds.push(await throughput('service', COMPLAINTS, IN_FLIGHT, (i) => complaint(everyone[round * COMPLAINTS + i]!)));
      const runNoop = async () => noopRounds.push(await throughput('noop', COMPLAINTS, IN_FLIGHT, () => noop()));
      if (round % 2 === 0) await runService().then(runNoop);
      else await runNoop().then(runService);
      console.error(`round ${round + 1}: ${percent(serviceRounds[round]!.perSecond / noopRounds[round]!.perSecond)} of the no-op workflow`);
    }
    const service = pooled(serviceRounds);
    const stepMedians = Object.fromEntries([...stepMs].map(([name, ms]) => [name, Math.round(summarize(name, ms).median)]));
    console.error(
      `median ms per step: ${JSON.stringify(stepMedians)}; CPU ms per complaint: ${Math.round(service.cpuMsEach)}; SQL statements per complaint: ${service.statementsEach}`,
    );
    if (IN_FLIGHT === 1)
      console.error(
        `statements per step (API, and the worker's while the step waits): ${JSON.stringify(Object.fromEntries([...stepStatements].map(([name, counts]) => [name, Math.round(summarize(name, counts).median)])))}`,
      );
    const floor = pooled(noopRounds);

    const share = service.perSecond / floor.perSecond;
    const rowOf = (subject: string, r: typeof service): PathRow => {
      const s = summarize(subject, r.each);
      return {
        path: PATH,
        subject,
        unit: 'complaint',
        reqPerSec: Math.round(r.perSecond * 100) / 100,
        p50: s.median,
        p99: s.max,
        cpuMsPerRequest: Math.round(r.cpuMsEach),
      };
    };
    const serviceRow = { ...rowOf('service (API + worker)', service), ratios: { 'complaints/s vs no-op workflow': share } };
    report(
      'complaint-workflows',
      [
        summarize('complaint through the API, file → coupon', service.each),
        summarize('no-op workflow, same Updates and activities', floor.each),
      ],
      {
        complaints: COMPLAINTS,
        rounds: ROUNDS,
        roundRatios: serviceRounds.map((r, i) => r.perSecond / noopRounds[i]!.perSecond),
        inFlight: IN_FLIGHT,
        payload: FULL_PAYLOAD ? 'full complaint' : 'id and status',
        stepMedians,
        paths: [serviceRow, rowOf('no-op workflow', floor)],
        targets: [{ path: PATH, goal: '≥ 70% of no-op workflow throughput', measured: percent(share), met: share >= 0.7 }],
      },
    );
  } finally {
    noopWorker.shutdown();
    await noopRunning.catch(() => undefined);
    await connection.close().catch(() => undefined);
    await stack.close();
  }
});
