import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { recordLogEvents, type LogEvent } from '../../src/transparency/entries.js';
import { isolatedLogConfig } from '../support/isolated-log.js';
import { startStack, type Stack } from '../support/stack.js';
import { servedCheckpoint } from '../support/transparency-log.js';
import { fsckBinary, fsckSuccess, runFsck } from '../tlog/tessera-fsck.js';

// Tessera's fsck reads the log as the API serves it and re-derives every tile
// and the root from the entry bundles. The sizes straddle the 256-entry tile
// edge and, at thousands, fill level-1 tiles.
const SIZES = [1, 255, 256, 257, 3_000];

let stack: Stack;
let origin: string;
let vkey: string;

beforeAll(async () => {
  // Built (or found in the cache) before the API listens: the build blocks this process.
  fsckBinary();
  const config = await isolatedLogConfig('tlog_fsck');
  stack = await startStack({ worker: true, config: { ...config, TLOG_CHECKPOINT_INTERVAL_SECONDS: '1' } });
  const res = await stack.http('/tlog/vkey');
  expect(res.status).toBe(200);
  vkey = await res.text();
  origin = vkey.slice(0, vkey.indexOf('+'));
});

afterAll(async () => {
  await stack?.close();
});

/** Pending entries, written in one transaction by the services' own log write, for the integration workflow to take in. */
async function appendEntries(count: number): Promise<void> {
  const events: LogEvent[] = Array.from({ length: count }, (_, n) => {
    const badge = randomUUID();
    return {
      type: 'badge.granted',
      at: new Date(),
      eventId: `badge:${badge}:granted`,
      ids: { badge, store: randomUUID(), brand: randomUUID() },
      reason: 'ISSUED',
      credential: `credential-${badge}`,
      status: { list: 0, index: n, revoked: 0, suspended: 0 },
    };
  });
  await stack.db.$transaction((tx) => recordLogEvents(tx, events), { timeout: 30_000 });
}

/** The served checkpoint once it covers exactly `size` entries. */
const checkpointAt = (size: number) =>
  vi.waitFor(
    async () => {
      const { verified } = await servedCheckpoint(stack);
      if (verified.checkpoint.size !== size) throw new Error(`the served checkpoint is at ${verified.checkpoint.size}, not ${size}`);
      return verified.checkpoint;
    },
    { timeout: 30_000, interval: 100 },
  );

/** Serves the API's log with one byte of one object flipped, as a faulty mirror or a tampering server would. */
async function corruptingMirror(target: string): Promise<{ url: string; server: Server; served: () => boolean }> {
  let flipped = false;
  const relay = async (path: string) => {
    const upstream = await fetch(`${stack.baseUrl}${path}`);
    const body = Buffer.from(await upstream.arrayBuffer());
    if (path === `/tlog/${target}` && upstream.status === 200) {
      // The last byte is hash or entry data in every kind of object, never a length prefix.
      body[body.length - 1]! ^= 0x01;
      flipped = true;
    }
    return { status: upstream.status, type: upstream.headers.get('content-type') ?? 'application/octet-stream', body };
  };
  const server = createServer((req, res) => {
    relay(req.url ?? '/').then(
      ({ status, type, body }) => res.writeHead(status, { 'content-type': type }).end(body),
      () => res.writeHead(502).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/tlog/`, server, served: () => flipped };
}

describe("Tessera's fsck over the served log", () => {
  let size = 0;

  for (const target of SIZES) {
    it(`re-derives every tile and the checkpoint's root at size ${target}`, async () => {
      await appendEntries(target - size);
      const checkpoint = await checkpointAt(target);
      size = target;
      const run = await runFsck(`${stack.baseUrl}/tlog/`, origin, vkey);
      expect(run.timedOut).toBe(false);
      expect(run.output).not.toMatch(/fsck failed/);
      expect(run.output).toContain(fsckSuccess(target, checkpoint.root));
    });
  }

  const corruptions = [
    // A hash tile that does not match the one re-derived from the entries, full or partial.
    { target: 'tile/0/000', failure: /fsck failed: failed: tile\/0\/000: log has:/ },
    { target: 'tile/1/000.p/11', failure: /fsck failed: failed: tile\/1\/000\.p\/11: log has:/ },
    // An entry altered in its bundle: the leaf hashes re-derived from it no longer match the served level-0 tile.
    { target: 'tile/entries/011.p/184', failure: /fsck failed: failed: tile\/0\/011\.p\/184: log has:/ },
  ];
  for (const { target, failure } of corruptions) {
    it(`finds the log broken when a mirror flips one byte of ${target}`, async () => {
      expect(size).toBe(3_000);
      const mirror = await corruptingMirror(target);
      try {
        const run = await runFsck(mirror.url, origin, vkey);
        expect(mirror.served()).toBe(true);
        expect(run.timedOut).toBe(false);
        expect(run.output).toMatch(failure);
        expect(run.output).not.toMatch(/Successfully fsck'd/);
      } finally {
        await new Promise<void>((resolve) => mirror.server.close(() => resolve()));
      }
    });
  }
});
