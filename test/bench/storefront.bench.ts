// The storefront and code-check paths under load, against baselines measured
// in the same run on the same data:
//   storeBadges for 100 stores (150 badges with credentials): the service
//     (src/main.ts in its own process, with its storefront cache and without)
//     against bare graphql-yoga + Pothos
//     answering from memory and node:http + pg doing one JOIN;
//   verifyProductCode: the service against node:http + pg doing the same
//     SELECT, HMAC and UPDATE … RETURNING.
// Every server is a process pinned to one core, the load generator (autocannon,
// 50 connections) to the other. Every answer is checked before timing; then,
// after a warm-up, rounds of 10 s alternate between the servers.
// Run: `tsx test/bench/storefront.bench.ts [storeBadges,verifyProductCode]`;
// BENCH_SECONDS, BENCH_ROUNDS and BENCH_CONNECTIONS change the load.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStack } from '../support/stack.js';
import { testEnv } from '../support/test-env.js';
import { median, percent, report, runBench, summarize, type PathRow, type Target } from './bench-support.js';
import { measure, warmUp, type LoadPlan, type MeasuredRun } from './load/load.js';
import { placement, startPinned, type PinnedProcess } from './load/pinned-process.js';
import { seedStorefront } from './storefront/storefront-data.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const paths = (process.argv[2] ?? 'storeBadges,verifyProductCode').split(',');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const WARM_UP_SECONDS = Math.min(3, SECONDS);

const BADGE_FIELDS = 'id kind status label issuedAt expiresAt revokedReason credential store { id name } brand { id slug name }';
const STORE_BADGES = `query ($ids: [ID!]!) { storeBadges(storeIds: $ids) { storeId badges { ${BADGE_FIELDS} } } }`;
const VERIFY = `query ($brandSlug: String!, $code: String!) { verifyProductCode(brandSlug: $brandSlug, code: $code) { result sku firstVerifiedAt verificationCount brand { slug name } } }`;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function post(url: string, body: string): Promise<{ status: number; text: string; json: any }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const text = await res.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    // Left null: the check below names the answer.
  }
  return { status: res.status, text, json };
}

/** Status 200 and no `errors`, else throws naming the server. */
function answered(name: string, answer: { status: number; text: string; json: any }) {
  if (answer.status !== 200 || !answer.json || answer.json.errors)
    throw new Error(`${name} answered ${answer.status}: ${answer.text.slice(0, 500)}`);
  return answer;
}

interface Subject {
  name: string;
  server: PinnedProcess;
  url: string;
}

/** Warm-up, then ROUNDS rounds in which every subject gets SECONDS of load in turn. */
async function compare(subjects: Subject[], bodies: string[]): Promise<Map<string, MeasuredRun[]>> {
  const plan = (url: string, seconds: number): LoadPlan => ({ url, bodies, connections: CONNECTIONS, seconds });
  for (const s of subjects) await warmUp(s.server, plan(s.url, WARM_UP_SECONDS), placement.load);
  const runs = new Map(subjects.map((s) => [s.name, [] as MeasuredRun[]]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const s of subjects) {
      const run = await measure(s.server, plan(s.url, SECONDS), placement.load);
      console.error(`  ${s.name}: ${Math.round(run.reqPerSec)} req/s, p99 ${run.p99} ms`);
      runs.get(s.name)!.push(run);
    }
  }
  return runs;
}

const row = (pathName: string, subject: string, runs: MeasuredRun[]): PathRow => ({
  path: pathName,
  subject,
  reqPerSec: Math.round(median(runs.map((r) => r.reqPerSec))),
  p50: median(runs.map((r) => r.p50)),
  p99: median(runs.map((r) => r.p99)),
  cpuMsPerRequest: Math.round(median(runs.map((r) => r.cpuMsPerRequest)) * 1000) / 1000,
});

await runBench(async () => {
  const env = testEnv();
  const seeding = await startStack({ worker: true, config: { SIGNED_IN_RATE_LIMIT_PER_MINUTE: '100000' } });
  let data: Awaited<ReturnType<typeof seedStorefront>>;
  try {
    const started = performance.now();
    data = await seedStorefront(seeding);
    console.error(
      `seeded ${data.storeIds.length} stores, ${data.badges} badges, ${data.codes.codes.length} codes in ${Math.round(performance.now() - started)} ms`,
    );
  } finally {
    await seeding.close();
  }

  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-storefront-'));
  const [servicePort, rawPort, yogaPort] = [await freePort(), await freePort(), await freePort()];
  const serviceUrl = `http://127.0.0.1:${servicePort}`;
  const servers: PinnedProcess[] = [];
  try {
    const serviceEnv = {
      ...process.env,
      ...env,
      HOST: '127.0.0.1',
      PORT: String(servicePort),
      // Credentials name the issuer: every service process answers as the first one, so answers compare byte for byte.
      PUBLIC_BASE_URL: serviceUrl,
      TEMPORAL_TASK_QUEUE: `bench-${randomUUID()}`,
      LOG_LEVEL: 'warn',
      // Every request comes from one address here; the limit is for many clients each.
      PUBLIC_RATE_LIMIT_PER_MINUTE: String(1_000_000_000),
    };
    const service = await startPinned({
      name: 'service',
      entry: 'src/main.ts',
      cpu: placement.server,
      baseUrl: serviceUrl,
      readyPath: '/readyz',
      env: serviceEnv,
    });
    servers.push(service);
    const rawPg = await startPinned({
      name: 'raw pg',
      entry: path.join(here, 'baselines', 'raw-pg-server.ts'),
      cpu: placement.server,
      baseUrl: `http://127.0.0.1:${rawPort}`,
      readyPath: '/healthz',
      env: {
        ...process.env,
        DATABASE_URL: env.DATABASE_URL,
        PRODUCT_CODE_HMAC_SECRET: env.PRODUCT_CODE_HMAC_SECRET,
        PORT: String(rawPort),
      },
    });
    servers.push(rawPg);

    const rows: PathRow[] = [];
    const targets: Target[] = [];
    const summaries = [];
    const details: Record<string, unknown> = {
      connections: CONNECTIONS,
      seconds: SECONDS,
      rounds: ROUNDS,
      placement,
      data: { stores: data.storeIds.length, badges: data.badges, codes: data.codes.codes.length },
    };

    if (paths.includes('storeBadges')) {
      const body = JSON.stringify({ query: STORE_BADGES, variables: { ids: data.storeIds } });
      const reference = answered('service', await post(`${serviceUrl}/graphql`, body));
      const entries = reference.json.data.storeBadges as Array<{ badges: unknown[] }>;
      const badges = entries.reduce((n, e) => n + e.badges.length, 0);
      if (entries.length !== data.storeIds.length || badges !== data.badges)
        throw new Error(`service answered ${entries.length} stores, ${badges} badges`);
      const answerFile = path.join(dir, 'store-badges.json');
      writeFileSync(answerFile, JSON.stringify(reference.json.data.storeBadges));
      const yoga = await startPinned({
        name: 'bare yoga',
        entry: path.join(here, 'baselines', 'bare-yoga-server.ts'),
        cpu: placement.server,
        baseUrl: `http://127.0.0.1:${yogaPort}`,
        readyPath: '/health',
        env: { ...process.env, BENCH_STORE_BADGES: answerFile, PORT: String(yogaPort) },
      });
      servers.push(yoga);
      // The same service with its storefront cache off: what a read costs when the cache has just been cleared.
      const uncachedPort = await freePort();
      const uncached = await startPinned({
        name: 'service, uncached',
        entry: 'src/main.ts',
        cpu: placement.server,
        baseUrl: `http://127.0.0.1:${uncachedPort}`,
        readyPath: '/readyz',
        env: { ...serviceEnv, PORT: String(uncachedPort), STOREFRONT_CACHE_SECONDS: '0' },
      });
      servers.push(uncached);
      const subjects: Subject[] = [
        { name: 'service', server: service, url: `${serviceUrl}/graphql` },
        { name: 'bare yoga', server: yoga, url: `${yoga.baseUrl}/graphql` },
        { name: 'raw pg JOIN', server: rawPg, url: `${rawPg.baseUrl}/store-badges` },
        { name: 'service, uncached', server: uncached, url: `${uncached.baseUrl}/graphql` },
      ];
      for (const s of subjects.slice(1)) {
        const answer = answered(s.name, await post(s.url, body));
        if (answer.text !== reference.text)
          throw new Error(
            `${s.name} answers storeBadges differently from the service:\n${answer.text.slice(0, 300)}\n${reference.text.slice(0, 300)}`,
          );
      }
      console.error(`storeBadges(${data.storeIds.length}): ${reference.text.length} bytes, the same from all four; loading…`);
      const runs = await compare(subjects, [body]);
      const [svc, bare, raw, cold] = subjects.map((s) => row('storeBadges(100)', s.name, runs.get(s.name)!));
      const ratiosOf = (subject: PathRow) => ({
        'req/s vs bare yoga': subject.reqPerSec! / bare!.reqPerSec!,
        'p99 vs raw pg': subject.p99! / raw!.p99!,
        'req/s vs raw pg': subject.reqPerSec! / raw!.reqPerSec!,
      });
      const cachedRatios = ratiosOf(svc!);
      const uncachedRatios = ratiosOf(cold!);
      svc!.ratios = cachedRatios;
      cold!.ratios = uncachedRatios;
      rows.push(svc!, cold!, bare!, raw!);
      targets.push(
        {
          path: 'storeBadges(100)',
          goal: '≥ 50% of bare yoga req/s',
          measured: `${percent(cachedRatios['req/s vs bare yoga'])} cached, ${percent(uncachedRatios['req/s vs bare yoga'])} uncached`,
          met: cachedRatios['req/s vs bare yoga'] >= 0.5,
        },
        {
          path: 'storeBadges(100)',
          goal: 'p99 ≤ 3× raw pg JOIN p99',
          measured: `${cachedRatios['p99 vs raw pg'].toFixed(2)}× cached, ${uncachedRatios['p99 vs raw pg'].toFixed(2)}× uncached`,
          met: cachedRatios['p99 vs raw pg'] <= 3,
        },
      );
      details.storeBadgesAnswerBytes = reference.text.length;
      for (const s of subjects)
        summaries.push(
          summarize(
            `storeBadges(100) ${s.name}`,
            runs.get(s.name)!.map((r) => r.reqPerSec),
            'req/s',
          ),
        );
      details.storeBadgesRuns = Object.fromEntries(runs);
    }

    if (paths.includes('verifyProductCode')) {
      const { brandSlug, codes } = data.codes;
      const bodies = codes.map((code) => JSON.stringify({ query: VERIFY, variables: { brandSlug, code } }));
      const subjects: Subject[] = [
        { name: 'service', server: service, url: `${serviceUrl}/graphql` },
        { name: 'raw pg', server: rawPg, url: `${rawPg.baseUrl}/verify-product-code` },
      ];
      // The first check of a code says GENUINE, the next GENUINE_REPEATED with one more: otherwise the two answer alike.
      const first = answered('service', await post(subjects[0]!.url, bodies[0]!)).json.data.verifyProductCode;
      const second = answered('raw pg', await post(subjects[1]!.url, bodies[0]!)).json.data.verifyProductCode;
      const expected = { ...first, result: 'GENUINE_REPEATED', verificationCount: 2 };
      if (first.result !== 'GENUINE' || JSON.stringify(second) !== JSON.stringify(expected))
        throw new Error(`verifyProductCode answers differ: service ${JSON.stringify(first)}, raw pg ${JSON.stringify(second)}`);
      for (const s of subjects) for (const b of bodies.slice(1, 50)) answered(s.name, await post(s.url, b));
      console.error(`verifyProductCode over ${codes.length} codes: the same answers from both; loading…`);
      const runs = await compare(subjects, bodies);
      const [svc, raw] = subjects.map((s) => row('verifyProductCode', s.name, runs.get(s.name)!));
      svc!.ratios = { 'req/s vs raw pg': svc!.reqPerSec! / raw!.reqPerSec!, 'p99 vs raw pg': svc!.p99! / raw!.p99! };
      rows.push(svc!, raw!);
      targets.push({
        path: 'verifyProductCode',
        goal: '≥ 60% of raw pg req/s',
        measured: percent(svc!.ratios['req/s vs raw pg']!),
        met: svc!.ratios['req/s vs raw pg']! >= 0.6,
      });
      for (const s of subjects)
        summaries.push(
          summarize(
            `verifyProductCode ${s.name}`,
            runs.get(s.name)!.map((r) => r.reqPerSec),
            'req/s',
          ),
        );
      details.verifyProductCodeRuns = Object.fromEntries(runs);
    }

    report('storefront', summaries, { paths: rows, targets, ...details });
  } finally {
    for (const s of servers.reverse()) await s.stop();
  }
});
