import type { Db } from '../db/client.js';
import { directSql, type NamedStatement } from '../db/direct-sql.js';
import { COMPLAINT_CHANGED_CHANNEL } from '../events/complaint-events.js';
import type { ComplaintTransition } from './complaint-transitions.js';

// Most transitions of a complaint (submitted, answered, claimed, escalated,
// withdrawn, expired, closed) announce nothing beyond the complaint itself,
// and every step of every complaint runs one: they are one statement on the
// direct pool instead of a six-statement transaction. The dedupe check, the
// conditional update, the timeline event and the notification commit together
// or not at all; a retry racing its own earlier attempt still meets the
// (complaintId, dedupeKey) uniqueness. Decisions and appeals, which publish
// webhook events too, keep their transaction.

/** Column, and the cast its value from the transition's JSON takes. */
const SETTABLE: Array<[string, string]> = [
  ['evidenceDueAt', 'timestamp(3)'],
  ['merchantResponseDueAt', 'timestamp(3)'],
  ['reviewDueAt', 'timestamp(3)'],
  ['appealDueAt', 'timestamp(3)'],
  ['decidedAt', 'timestamp(3)'],
  ['informationDueAt', 'timestamp(3)'],
  ['merchantStatement', 'text'],
  ['assignedReviewerId', 'uuid'],
  ['verdict', '"Verdict"'],
  ['decisionNote', 'text'],
  ['decidedById', 'uuid'],
  ['compensationAmount', 'numeric'],
  ['compensationCurrency', 'text'],
  ['appealedByRole', '"Role"'],
  ['appealReason', 'text'],
  ['escalated', 'boolean'],
];

// Dates travel as ISO strings in UTC; a zone given to `timestamp` is ignored, which keeps them UTC like Prisma's.
const assignments = SETTABLE.map(
  ([column, cast]) => `"${column}" = CASE WHEN $3::jsonb ? '${column}' THEN ($3::jsonb->>'${column}')::${cast} ELSE "${column}" END`,
).join(',\n      ');

export const TRANSITION_STATEMENT: NamedStatement = {
  name: 'apply-complaint-transition',
  text: `
    WITH done AS (
      SELECT 1 FROM "ComplaintEvent" WHERE "complaintId" = $1::text::uuid AND "dedupeKey" = $2
    ), moved AS (
      UPDATE "Complaint" SET
      "status" = COALESCE($4::"ComplaintStatus", "status"),
      ${assignments},
      "updatedAt" = $5::timestamp(3)
      WHERE "id" = $1::text::uuid AND "status" = ANY($6::"ComplaintStatus"[]) AND NOT EXISTS (SELECT 1 FROM done)
      RETURNING "id"
    ), event AS (
      INSERT INTO "ComplaintEvent" ("id", "complaintId", "at", "type", "actorRole", "actorId", "message", "dedupeKey")
      SELECT gen_random_uuid(), "id", $5::timestamp(3), $7, $8::"Role", $9::uuid, $10, $2 FROM moved
    ), notified AS (
      SELECT pg_notify('${COMPLAINT_CHANGED_CHANNEL}', "id"::text) FROM moved
    )
    SELECT EXISTS (SELECT 1 FROM done) AS "done", (SELECT count(*) FROM notified)::int AS "moved"`,
};

/** Applies a transition that publishes no webhook event in one statement; false when the complaint has moved on. */
export async function applyTransitionStatement(db: Db, transition: ComplaintTransition, now: Date): Promise<boolean> {
  const { complaintId, from, to, set, event, dedupeKey } = transition;
  const [row] = await directSql(db).rows<{ done: boolean; moved: number }>(TRANSITION_STATEMENT, [
    complaintId,
    dedupeKey,
    JSON.stringify(set),
    to,
    now.toISOString(),
    from,
    event.type,
    event.actorRole,
    event.actorId,
    event.message,
  ]);
  return row!.done || row!.moved > 0;
}
