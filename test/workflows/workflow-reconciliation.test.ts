import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { maintenanceScheduleId } from '../../src/temporal/maintenance-schedule.js';
import { badgeWorkflowId, brandWorkflowId } from '../../src/temporal/workflow-gateway.js';
import type { MaintenanceReport } from '../../workflows/index.js';
import { rowId, startStack, type Stack } from '../support/stack.js';
import { REQUEST_OFFICIAL_BADGE, actor, createStore, verifiedBrand, type Actor } from '../support/store-operations.js';

// The maintenance schedule's sweep finds brands and badges whose workflow is
// not running and starts it again. The stack's worker sweeps only what its own
// API wrote, so other test files sharing the database do not count here.

let stack: Stack;
let owner: Actor;
let reviewer: Actor;

beforeAll(async () => {
  stack = await startStack({ worker: true });
  owner = await actor(stack, 'owner', ['BRAND', 'MERCHANT']);
  reviewer = await actor(stack, 'reviewer', ['REVIEWER']);
});

afterAll(async () => {
  await stack?.close();
});

const client = () => stack.runtime.temporal.client;
const statusOf = async (workflowId: string) => (await client().workflow.getHandle(workflowId).describe()).status.name;

/** Triggers the task queue's maintenance schedule and waits for the run it started. */
async function sweep(): Promise<MaintenanceReport> {
  const schedule = client().schedule.getHandle(maintenanceScheduleId(stack.taskQueue));
  const taken = (await schedule.describe()).info.recentActions.length;
  await schedule.trigger();
  const action = await vi.waitFor(
    async () => {
      const actions = (await schedule.describe()).info.recentActions;
      expect(actions.length).toBeGreaterThan(taken);
      return actions.at(-1)!.action;
    },
    { timeout: 10_000, interval: 100 },
  );
  return client().workflow.getHandle<() => Promise<MaintenanceReport>>(action.workflow.workflowId).result();
}

it('starts again exactly the badge whose workflow was terminated, and reports what it checked', async () => {
  const brand = await verifiedBrand(stack, owner, reviewer);
  const store = await createStore(stack, owner);
  const res = await stack.gql(REQUEST_OFFICIAL_BADGE, { input: { storeId: store.id, brandId: brand.id } }, { token: owner.token });
  const badgeId = rowId(res.body.data.requestOfficialBadge.badge.id);
  const badgeWorkflow = client().workflow.getHandle(badgeWorkflowId(badgeId));
  await vi.waitFor(async () => expect(await statusOf(badgeWorkflowId(badgeId))).toBe('RUNNING'), { timeout: 10_000 });
  await vi.waitFor(async () => expect(await statusOf(brandWorkflowId(rowId(brand.id)))).toBe('RUNNING'), { timeout: 10_000 });

  // Everything runs: the sweep checks the brand and the badge and repairs nothing.
  expect((await sweep()).workflows).toEqual({
    brands: { checked: 1, repaired: 0 },
    badges: { checked: 1, repaired: 0 },
    complaints: { checked: 0, unrepairable: 0, unrepairableIds: [] },
    // Clone alerts are the whole database's, whatever the sweep's scope: other test files may have some.
    cloneAlerts: { pending: expect.any(Number), published: expect.any(Number) },
  });

  const lostRun = (await badgeWorkflow.describe()).runId;
  await badgeWorkflow.terminate('lost in an operator mistake');
  expect(await statusOf(badgeWorkflowId(badgeId))).toBe('TERMINATED');

  expect((await sweep()).workflows).toEqual({
    brands: { checked: 1, repaired: 0 },
    badges: { checked: 1, repaired: 1 },
    complaints: { checked: 0, unrepairable: 0, unrepairableIds: [] },
    // Clone alerts are the whole database's, whatever the sweep's scope: other test files may have some.
    cloneAlerts: { pending: expect.any(Number), published: expect.any(Number) },
  });
  const restarted = await badgeWorkflow.describe();
  expect(restarted.status.name).toBe('RUNNING');
  expect(restarted.runId).not.toBe(lostRun);
  const badge = await stack.db.badge.findUniqueOrThrow({ where: { id: badgeId } });
  expect(badge.status).toBe('ACTIVE');

  // Repaired once: the next sweep finds it running.
  expect((await sweep()).workflows.badges).toEqual({ checked: 1, repaired: 0 });
});
