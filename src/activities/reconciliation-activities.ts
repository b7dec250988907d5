import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { Prisma } from '@prisma/client';
import pLimit from 'p-limit';
import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import type { Logger } from '../logger.js';
import { signalBrandVerification, startBadgeLifecycle } from '../outbox/deliver.js';
import { badgeWorkflowId, brandWorkflowId } from '../outbox/messages.js';
import { publishPendingCloneAlerts } from '../services/clone-alerts.js';
import { OPEN_COMPLAINT_STATUSES } from '../../workflows/complaint-rules.js';
import { complaintWorkflowId } from '../../workflows/index.js';

export interface ReconciliationDeps {
  db: Db;
  temporal: Client;
  clock: () => Date;
  logger: Logger;
  config: Pick<Config, 'TEMPORAL_TASK_QUEUE' | 'BADGE_RENEWAL_REMINDER_SECONDS' | 'RECONCILE_SCOPE'>;
}

/** What one sweep found: how many needed a running workflow, and how many of those it restarted or could not. */
export interface WorkflowReconciliation {
  brands: { checked: number; repaired: number };
  badges: { checked: number; repaired: number };
  /** A complaint's workflow holds its state and deadlines: one that ended early cannot be started again. */
  complaints: { checked: number; unrepairable: number; unrepairableIds: string[] };
  /** Clone alerts recorded but not announced (their webhook event was never written), and how many were announced now. */
  cloneAlerts?: { pending: number; published: number };
}

const PAGE = 200;
const DESCRIBES_AT_ONCE = 8;
// A complaint row commits just before its workflow starts; a younger one may not have it yet.
const COMPLAINT_GRACE_MS = 60_000;
const NO_ID = '00000000-0000-0000-0000-000000000000';
const COMPLAINT_STATUSES_WITH_WORKFLOW = [...OPEN_COMPLAINT_STATUSES, 'DECIDED'];

interface Execution {
  running: boolean;
  taskQueue: string;
}

/** The newest run of each workflow id, or none for an id Temporal never saw (visibility, then describe to be sure). */
async function executionsOf(client: Client, workflowIds: string[]): Promise<Map<string, Execution | null>> {
  const found = new Map<string, Execution | null>();
  if (workflowIds.length === 0) return found;
  // One visibility query per page; it may lag a just-started run, so whatever it calls not running is described.
  const quoted = workflowIds.map((id) => `'${id.replaceAll("'", "\\'")}'`).join(', ');
  for await (const run of client.workflow.list({ query: `WorkflowId IN (${quoted}) AND ExecutionStatus = 'Running'` })) {
    found.set(run.workflowId, { running: true, taskQueue: run.taskQueue });
  }
  const limit = pLimit(DESCRIBES_AT_ONCE);
  await Promise.all(
    workflowIds
      .filter((id) => !found.has(id))
      .map((id) =>
        limit(async () => {
          try {
            const info = await client.workflow.getHandle(id).describe();
            found.set(id, { running: info.status.name === 'RUNNING', taskQueue: info.taskQueue });
          } catch (error) {
            if (!(error instanceof WorkflowNotFoundError)) throw error;
            found.set(id, null);
          }
        }),
      ),
  );
  return found;
}

/**
 * Finds brands and badges whose timers should be running but are not (a
 * message lost before the outbox existed, a workflow terminated by hand, a
 * Temporal namespace restored from an old backup) and starts them again.
 * Brands need one while an approved trademark still starts or ends ahead;
 * ACTIVE and SUSPENDED badges until they expire. Starting is idempotent, so a
 * workflow that starts meanwhile is left as it is.
 */
export async function reconcileWorkflows(
  deps: ReconciliationDeps,
  progress: () => void = () => undefined,
): Promise<WorkflowReconciliation> {
  const { db, temporal, config } = deps;
  const taskQueue = config.TEMPORAL_TASK_QUEUE;
  const now = deps.clock();
  const report: WorkflowReconciliation = {
    brands: { checked: 0, repaired: 0 },
    badges: { checked: 0, repaired: 0 },
    complaints: { checked: 0, unrepairable: 0, unrepairableIds: [] },
  };
  // Scoped to a task queue, the sweep checks what that queue's API asked workflows for; messages still
  // in the outbox are the relay's to deliver.
  const owned = (prefix: string, column: Prisma.Sql) =>
    Prisma.sql`${
      config.RECONCILE_SCOPE === 'task-queue'
        ? Prisma.sql`AND EXISTS (SELECT 1 FROM "WorkflowOutbox" o WHERE o."taskQueue" = ${taskQueue} AND o."workflowId" = ${prefix} || ${column}::text)`
        : Prisma.empty
    } AND NOT EXISTS (SELECT 1 FROM "WorkflowOutbox" p WHERE p."deliveredAt" IS NULL AND p."workflowId" = ${prefix} || ${column}::text)`;

  for (let after = NO_ID; ;) {
    const brands = await db.$queryRaw<Array<{ id: string }>>`
      SELECT DISTINCT t."brandId"::text AS id FROM "Trademark" t
      WHERE t."status" = 'APPROVED' AND t."validUntil" > ${now} AND t."brandId" > ${after}::uuid
        ${owned(brandWorkflowId(''), Prisma.sql`t."brandId"`)}
      ORDER BY 1 LIMIT ${PAGE}`;
    if (brands.length === 0) break;
    after = brands.at(-1)!.id;
    const executions = await executionsOf(
      temporal,
      brands.map((b) => brandWorkflowId(b.id)),
    );
    for (const brand of brands) {
      report.brands.checked++;
      if (executions.get(brandWorkflowId(brand.id))?.running) continue;
      await signalBrandVerification(temporal, taskQueue, brand.id);
      report.brands.repaired++;
      deps.logger.warn({ brandId: brand.id }, 'brand verification workflow was not running; started it again');
    }
    progress();
  }

  for (let after = NO_ID; ;) {
    const badges = await db.$queryRaw<Array<{ id: string; expiresAt: Date; suspendedUntil: Date | null }>>`
      SELECT b."id"::text AS id, b."expiresAt", b."suspendedUntil" FROM "Badge" b
      WHERE b."status" IN ('ACTIVE', 'SUSPENDED') AND b."id" > ${after}::uuid
        ${owned(badgeWorkflowId(''), Prisma.sql`b."id"`)}
      ORDER BY b."id" LIMIT ${PAGE}`;
    if (badges.length === 0) break;
    after = badges.at(-1)!.id;
    const executions = await executionsOf(
      temporal,
      badges.map((b) => badgeWorkflowId(b.id)),
    );
    for (const badge of badges) {
      report.badges.checked++;
      if (executions.get(badgeWorkflowId(badge.id))?.running) continue;
      await startBadgeLifecycle(
        temporal,
        taskQueue,
        {
          badgeId: badge.id,
          expiresAt: badge.expiresAt.toISOString(),
          reminderLeadSeconds: config.BADGE_RENEWAL_REMINDER_SECONDS,
          ...(badge.suspendedUntil ? { suspendedUntil: badge.suspendedUntil.toISOString() } : {}),
        },
        true,
      );
      report.badges.repaired++;
      deps.logger.warn({ badgeId: badge.id }, 'badge lifecycle workflow was not running; started it again');
    }
    progress();
  }

  const settled = new Date(now.getTime() - COMPLAINT_GRACE_MS);
  for (let after = NO_ID; ;) {
    const complaints = await db.complaint.findMany({
      where: { status: { in: COMPLAINT_STATUSES_WITH_WORKFLOW as never }, createdAt: { lt: settled }, id: { gt: after } },
      select: { id: true },
      orderBy: { id: 'asc' },
      take: PAGE,
    });
    if (complaints.length === 0) break;
    after = complaints.at(-1)!.id;
    const executions = await executionsOf(
      temporal,
      complaints.map((c) => complaintWorkflowId(c.id)),
    );
    for (const complaint of complaints) {
      const execution = executions.get(complaintWorkflowId(complaint.id));
      // Scoped, only complaints whose workflow ran on this task queue are this queue's.
      if (config.RECONCILE_SCOPE === 'task-queue' && execution?.taskQueue !== taskQueue) continue;
      report.complaints.checked++;
      if (execution?.running) continue;
      report.complaints.unrepairable++;
      report.complaints.unrepairableIds.push(complaint.id);
      deps.logger.error({ complaintId: complaint.id }, 'open complaint has no running workflow; it needs an operator');
    }
    progress();
  }
  return report;
}

export function createReconciliationActivities(deps: ReconciliationDeps) {
  return {
    /** Reports what it checked and repaired: a log line, metrics, and the counts as its result. */
    async reconcileWorkflows(): Promise<WorkflowReconciliation> {
      const context = Context.current();
      const cloneAlerts = await publishPendingCloneAlerts(deps);
      const report: WorkflowReconciliation = { ...(await reconcileWorkflows(deps, () => context.heartbeat())), cloneAlerts };
      const meter = context.metricMeter;
      const checked = meter.createCounter('brand_auth_reconcile_checked', 'workflows', 'Workflows the sweep found needed');
      const repaired = meter.createCounter('brand_auth_reconcile_repaired', 'workflows', 'Workflows the sweep started again');
      const unrepairable = meter.createCounter(
        'brand_auth_reconcile_unrepairable',
        'workflows',
        'Ended workflows that cannot be restarted',
      );
      checked.add(report.brands.checked, { kind: 'brand' });
      checked.add(report.badges.checked, { kind: 'badge' });
      checked.add(report.complaints.checked, { kind: 'complaint' });
      repaired.add(report.brands.repaired, { kind: 'brand' });
      repaired.add(report.badges.repaired, { kind: 'badge' });
      unrepairable.add(report.complaints.unrepairable, { kind: 'complaint' });
      checked.add(cloneAlerts.pending, { kind: 'clone-alert' });
      repaired.add(cloneAlerts.published, { kind: 'clone-alert' });
      const { brands, badges, complaints } = report;
      deps.logger.info(
        {
          brands,
          badges,
          complaints: { checked: complaints.checked, unrepairable: complaints.unrepairable },
          cloneAlerts,
          scope: deps.config.RECONCILE_SCOPE,
        },
        'workflow reconciliation finished',
      );
      return report;
    },
  };
}

export type ReconciliationActivities = ReturnType<typeof createReconciliationActivities>;
