import type { Db } from '../db/client.js';
import { directSql, type NamedStatement } from '../db/direct-sql.js';
import { COMPLAINT_CHANGED_CHANNEL } from '../events/complaint-events.js';
import type { ComplaintTransition, EvidenceWrite } from './complaint-transitions.js';

// Most transitions of a complaint (submitted, answered, claimed, escalated,
// withdrawn, expired, closed) announce nothing beyond the complaint itself,
// and every step of every complaint runs one: they are one statement on the
// direct pool instead of a six-statement transaction. The dedupe check, the
// conditional update, the timeline event and the notification commit together
// or not at all; a retry racing its own earlier attempt still meets the
// (complaintId, dedupeKey) uniqueness. Decisions and appeals, which publish
// webhook events too, run the same statement inside their transaction.

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
export interface TransitionOutcome {
  /** An earlier attempt wrote this transition. */
  done: boolean;
  /** Rows this attempt moved: 0 when the complaint is no longer in a state the transition applies from. */
  moved: number;
}

export function transitionValues(transition: ComplaintTransition, now: Date): unknown[] {
  const { complaintId, from, to, set, event, dedupeKey } = transition;
  return [
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
  ];
}

/** Applies a transition that publishes no webhook event in one statement; false when the complaint has moved on. */
export async function applyTransitionStatement(db: Db, transition: ComplaintTransition, now: Date): Promise<boolean> {
  const [row] = await directSql(db).rows<TransitionOutcome>(TRANSITION_STATEMENT, transitionValues(transition, now));
  return row!.done || row!.moved > 0;
}

// A photo the workflow accepted, and the settling of its upload intent, in one
// statement: a retry after the commit finds the row and settles nothing again.
const EVIDENCE_STATEMENT: NamedStatement = {
  name: 'record-complaint-evidence',
  text: `
    WITH created AS (
      INSERT INTO "Evidence" ("id", "complaintId", "uploadedById", "uploadedByRole", "caption", "contentType", "width", "height",
                              "byteSize", "sha256", "originalSha256", "perceptualHash", "storageKey", "thumbnailKey", "createdAt")
      VALUES ($1::text::uuid, $2::text::uuid, $3::text::uuid, $4::"Role", $5, $6, $7::int, $8::int,
              $9::int, $10, $11, $12, $13, $14, $15::timestamp(3))
      ON CONFLICT ("id") DO NOTHING
      RETURNING "id"
    ), settled AS (
      DELETE FROM "UploadIntent" WHERE "storageKey" = ANY($16::text[]) AND EXISTS (SELECT 1 FROM created)
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM settled)::int AS "settled"`,
};

export async function recordEvidenceStatement(db: Db, evidence: EvidenceWrite, now: Date): Promise<void> {
  await directSql(db).rows(EVIDENCE_STATEMENT, [
    evidence.evidenceId,
    evidence.complaintId,
    evidence.uploadedById,
    evidence.side,
    evidence.caption ?? null,
    evidence.contentType,
    evidence.width,
    evidence.height,
    evidence.byteSize,
    evidence.sha256,
    evidence.originalSha256,
    evidence.perceptualHash,
    evidence.storageKey,
    evidence.thumbnailKey,
    now.toISOString(),
    [evidence.storageKey, evidence.thumbnailKey],
  ]);
}

// A decision's coupon, its audit record and the notification, once per
// complaint: the coupon's unique complaint makes a retry, or an attempt racing
// its own earlier one, find the coupon written instead of writing another.
const COUPON_STATEMENT: NamedStatement = {
  name: 'issue-complaint-coupon',
  text: `
    WITH existing AS (
      SELECT "id" FROM "Coupon" WHERE "complaintId" = $1::text::uuid
    ), created AS (
      INSERT INTO "Coupon" ("id", "complaintId", "consumerId", "code", "amount", "currency", "expiresAt", "createdAt")
      SELECT gen_random_uuid(), c."id", c."consumerId", $2, $3::numeric, $4, $5::timestamp(3), $6::timestamp(3)
      FROM "Complaint" c WHERE c."id" = $1::text::uuid AND NOT EXISTS (SELECT 1 FROM existing)
      ON CONFLICT ("complaintId") DO NOTHING
      RETURNING "id"
    ), audit AS (
      INSERT INTO "AuditEvent" ("id", "actorId", "action", "entityType", "entityId", "reason", "data", "at")
      SELECT gen_random_uuid(), NULL, 'coupon.issued', 'Coupon', "id"::text, $7, $8::jsonb, $6::timestamp(3) FROM created
    ), notified AS (
      SELECT pg_notify('${COMPLAINT_CHANGED_CHANNEL}', $1::text) FROM created
    )
    SELECT COALESCE((SELECT "id" FROM created), (SELECT "id" FROM existing))::text AS "id", (SELECT count(*) FROM notified)::int AS "notified"`,
};

// An attempt that met a coupon committed after its statement began sees it only in a statement of its own.
const COUPON_ID_STATEMENT: NamedStatement = {
  name: 'complaint-coupon-id',
  text: `SELECT "id"::text AS "id" FROM "Coupon" WHERE "complaintId" = $1::text::uuid`,
};

export interface CouponWrite {
  complaintId: string;
  code: string;
  amount: string;
  currency: string;
  expiresAt: Date;
}

/** The complaint's coupon, written now or found from an earlier attempt; throws when the complaint does not exist. */
export async function issueCouponStatement(db: Db, coupon: CouponWrite, now: Date): Promise<string> {
  const [row] = await directSql(db).rows<{ id: string | null }>(COUPON_STATEMENT, [
    coupon.complaintId,
    coupon.code,
    coupon.amount,
    coupon.currency,
    coupon.expiresAt.toISOString(),
    now.toISOString(),
    `compensation for complaint ${coupon.complaintId}`,
    JSON.stringify({ amount: coupon.amount, currency: coupon.currency }),
  ]);
  if (row?.id) return row.id;
  const [raced] = await directSql(db).rows<{ id: string }>(COUPON_ID_STATEMENT, [coupon.complaintId]);
  if (!raced) throw new Error(`No complaint ${coupon.complaintId} to compensate.`);
  return raced.id;
}
