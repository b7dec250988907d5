// The load generator, in a process of its own so that it can be pinned to a
// core apart from the server's: `load-runner.ts <plan.json>` runs autocannon
// with the plan and prints one JSON line with what it measured.
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import type { LoadPlan, LoadResult } from './load.js';

const plan = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as LoadPlan;
let next = 0;

const result = await autocannon({
  url: plan.url,
  connections: plan.connections,
  duration: plan.seconds,
  // On a busy shared machine an answer may take seconds; only one that never comes is a failure.
  timeout: 60,
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  // Bodies in turn, so that a write path spreads over many rows as real clients would.
  requests: [{ setupRequest: (request) => ({ ...request, body: plan.bodies[next++ % plan.bodies.length] }) }],
});

const answer: LoadResult = {
  requests: result.requests.total,
  seconds: result.duration,
  reqPerSec: result.requests.total / result.duration,
  p50: result.latency.p50,
  p99: result.latency.p99,
  non2xx: result.non2xx,
  errors: result.errors,
  timeouts: result.timeouts,
  bytesPerRequest: result.requests.total > 0 ? result.throughput.total / result.requests.total : 0,
};
console.log(JSON.stringify({ load: answer }));
