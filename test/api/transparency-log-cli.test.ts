import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMPTY_ROOT, generateNoteKey, noteSigner, noteVerifier, openCheckpoint, signCheckpoint } from '../../src/tlog/index.js';
import { logIdentity } from '../../src/transparency/log-keys.js';
import {
  REQUEST_OFFICIAL_BADGE,
  REVOKE_BADGE,
  actor,
  createStore,
  publishedBadge,
  verifiedBrand,
  type Actor,
} from '../support/store-operations.js';
import { projectRoot } from '../support/test-env.js';
import { rowId, startStack, type Stack } from '../support/stack.js';
import { servedCheckpoint, waitForLogged } from '../support/transparency-log.js';

let stack: Stack;
let owner: Actor;
let reviewer: Actor;
let dir: string;

beforeAll(async () => {
  stack = await startStack({ worker: true, config: { TLOG_CHECKPOINT_INTERVAL_SECONDS: '1' } });
  owner = await actor(stack, 'owner', ['BRAND', 'MERCHANT']);
  reviewer = await actor(stack, 'reviewer', ['REVIEWER']);
  dir = mkdtempSync(path.join(tmpdir(), 'tlog-cli-'));
});

afterAll(async () => {
  await stack?.close();
});

/** Runs the CLI as a user would, pinned to the log's key. */
const tlog = (...args: string[]) =>
  execa('npx', ['tsx', 'src/cli/tlog.ts', ...args, '--url', stack.baseUrl, '--vkey', logIdentity(stack.config)!.vkey], {
    cwd: projectRoot,
    reject: false,
    all: true,
  });

async function grantBadge() {
  const brand = await verifiedBrand(stack, owner, reviewer);
  const store = await createStore(stack, owner);
  const res = await stack.gql(REQUEST_OFFICIAL_BADGE, { input: { storeId: store.id, brandId: brand.id } }, { token: owner.token });
  expect(res.body.errors).toBeUndefined();
  const badge = res.body.data.requestOfficialBadge.badge as { id: string };
  await waitForLogged(stack, `badge:${rowId(badge.id)}:granted`);
  // The credential is handed out once the checkpoint covers its grant.
  return publishedBadge(stack, badge.id);
}

const file = (name: string, content: string) => {
  const at = path.join(dir, name);
  writeFileSync(at, content);
  return at;
};

describe('npm run tlog', () => {
  it('makes a log key whose signatures verify under the verifier key it prints', async () => {
    const run = await execa('npx', ['tsx', 'src/cli/tlog.ts', 'keygen', 'auth.example/transparency-log'], { cwd: projectRoot });
    const [, skey] = /^TLOG_SIGNING_KEY=(.+)$/m.exec(run.stdout)!;
    const [, vkey] = /^TLOG_VKEY=(.+)$/m.exec(run.stdout)!;
    const note = signCheckpoint({ origin: 'auth.example/transparency-log', size: 0, root: EMPTY_ROOT, extensions: [] }, [
      noteSigner(skey!),
    ]);
    expect(openCheckpoint(note, { origin: 'auth.example/transparency-log', log: noteVerifier(vkey!) }).checkpoint.size).toBe(0);
  });

  it('verifies a badge credential against its tlog-proof, and refuses another credential', async () => {
    const badge = await grantBadge();
    const proof = await (await stack.http(`/badges/${encodeURIComponent(badge.id)}/tlog-proof`)).text();
    const ok = await tlog('verify', file('credential.jws', badge.credential), file('badge.tlog-proof', proof));
    expect(ok.exitCode, ok.all).toBe(0);
    expect(ok.stdout).toContain(`OK: badge ${rowId(badge.id)} was granted`);

    const other = await grantBadge();
    const refused = await tlog('verify', file('other.jws', other.credential), file('badge.tlog-proof', proof));
    expect(refused.exitCode).not.toBe(0);
    expect(refused.all).toContain('the proven grant is of another credential');
  });

  it('requires every witness named unless --quorum says fewer, and refuses a quorum it cannot meet', async () => {
    const badge = await grantBadge();
    const proof = file('witnessed.tlog-proof', await (await stack.http(`/badges/${encodeURIComponent(badge.id)}/tlog-proof`)).text());
    const credential = file('witnessed.jws', badge.credential);
    // This log has no witnesses, so a checkpoint naming one to require has too few cosignatures.
    const witness = generateNoteKey('witness.example', 0x04).vkey;
    const required = await tlog('verify', credential, proof, '--witness', witness);
    expect(required.exitCode).toBe(1);
    expect(required.all).toContain('checkpoint has 0 witness cosignatures, 1 required');

    for (const quorum of ['0', '2', 'one']) {
      const bad = await tlog('verify', credential, proof, '--witness', witness, '--quorum', quorum);
      expect(bad.exitCode, quorum).toBe(2);
      expect(bad.all).toContain(`--quorum must be a whole number from 1 to the number of --witness keys given (1); got ${quorum}`);
    }
    const withoutWitnesses = await tlog('verify', credential, proof, '--quorum', '1');
    expect(withoutWitnesses.exitCode).toBe(2);
  });

  it('proves a later checkpoint extends an earlier one', async () => {
    const older = (await servedCheckpoint(stack)).note;
    const badge = await grantBadge();
    const newer = (await waitForLogged(stack, `badge:${rowId(badge.id)}:granted`)).note;
    const run = await tlog('consistency', file('old.checkpoint', older), file('new.checkpoint', newer));
    expect(run.exitCode, run.all).toBe(0);
    expect(run.stdout).toContain('OK: the newer checkpoint extends the older one');
  });

  it('audits: a logged revocation passes, a revocation with no log entry is reported, a fork is a loud error', async () => {
    const state = path.join(dir, 'audit-state.json');
    const logged = await grantBadge();
    const unlogged = await grantBadge();
    const first = await tlog('audit', '--state', state);
    expect(first.all).toMatch(/log size \d+/);

    const revoked = await stack.gql(REVOKE_BADGE, { input: { id: logged.id, reason: 'Counterfeit stock' } }, { token: reviewer.token });
    expect(revoked.body.errors).toBeUndefined();
    const entry = await stack.db.transparencyLogEntry.findFirstOrThrow({
      where: { badgeId: rowId(logged.id), eventType: 'badge.revoked' },
    });
    await waitForLogged(stack, entry.eventId);
    // A revocation written behind the log's back, as a compromised or buggy service might.
    const hidden = await stack.db.badge.update({ where: { id: rowId(unlogged.id) }, data: { status: 'REVOKED' } });
    const shown = await stack.db.badge.findUniqueOrThrow({ where: { id: rowId(logged.id) } });

    const second = await tlog('audit', '--state', state);
    expect(second.exitCode).toBe(1);
    expect(second.stdout).toContain(
      `PROBLEM unlogged-revocation: status list ${hidden.statusListId} position ${hidden.statusListIndex} (badge ${hidden.id})`,
    );
    expect(second.stdout).not.toContain(`position ${shown.statusListIndex} (badge ${shown.id})`);

    // The state now holds a checkpoint; a second root signed for its size is a fork.
    const seen = JSON.parse(readFileSync(state, 'utf8')) as { checkpoint: string; size: number };
    const identity = logIdentity(stack.config)!;
    const forked = signCheckpoint({ origin: identity.origin, size: seen.size, root: Buffer.alloc(32, 1), extensions: [] }, [
      noteSigner(identity.skey),
    ]);
    writeFileSync(state, JSON.stringify({ ...seen, checkpoint: forked }));
    const fork = await tlog('audit', '--state', state);
    expect(fork.exitCode).toBe(3);
    expect(fork.stderr).toContain('FORK OR BAD PROOF');
  });
});
