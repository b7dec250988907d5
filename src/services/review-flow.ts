import type { Prisma } from '@prisma/client';
import { z } from 'zod';
import type { Access } from '../auth/access.js';
import { ForbiddenError, fail, ok, type Result, type UserError } from '../errors.js';
import { recordAudit } from './audit.js';
import { addProblem, parseInput, text } from './input-validation.js';
import type { ServiceDeps } from './service-deps.js';
import { TEXT_RULES } from './text-limits.js';

// A reviewer's decision on something submitted for review (a trademark, an
// authorization letter) runs one flow, so the same situation gets the same
// answer whatever is reviewed. Only what differs per subject is passed in.

export interface ReviewInput {
  id: string;
  approve: boolean;
  note?: string | null;
}

/** What every reviewed row has. */
export interface Reviewable {
  id: string;
  brandId: string;
  status: string;
  validUntil: Date;
}

export interface ReviewContext<Row> {
  tx: Prisma.TransactionClient;
  row: Row;
  reviewerId: string;
  now: Date;
}

export interface ReviewSubject<Row extends Reviewable, Prepared, Effect, Out = Row> {
  /** How messages name the subject, e.g. "trademark". */
  noun: string;
  /** The answer to an unknown id, e.g. "No trademark has this id." */
  notFound: string;
  /** Whom a rejection note tells why, e.g. "brand". */
  toldOnRejection: string;
  /** The audit entity type, e.g. "Trademark"; actions are `<auditPrefix>.approved` / `.rejected`. */
  entityType: string;
  auditPrefix: string;
  load(id: string): Promise<Row | null>;
  /** Why the reviewer is a party to this case and may not decide it, or null. */
  partyRefusal(row: Row, reviewerId: string): Promise<string | null>;
  /** The guarded status change: rows updated, 0 when it is no longer SUBMITTED. */
  decide(tx: Prisma.TransactionClient, id: string, data: ReviewedFields): Promise<number>;
  /** The reviewed row as the service answers it. */
  reload(tx: Prisma.TransactionClient, id: string): Promise<Out>;
  approval?: {
    /** Refusals decided from committed data, before the transaction. */
    check?(row: Row, now: Date): Promise<UserError | null>;
    /** Inside the transaction, before the status changes; a refusal leaves everything as it was. */
    prepare?(ctx: ReviewContext<Row>): Promise<Result<Prepared>>;
    /** Inside the transaction, after the status changed: what goes with the approval. */
    apply?(ctx: ReviewContext<Row>, prepared: Prepared): Promise<Effect>;
  };
  /** The answer to an error the transaction threw, when it is an expected one. */
  refusalFor?(error: unknown, row: Row): Promise<UserError | null>;
}

export interface ReviewedFields {
  status: 'APPROVED' | 'REJECTED';
  reviewNote: string | null;
  reviewedById: string;
  reviewedAt: Date;
}

export interface Reviewed<Row, Effect> {
  row: Row;
  /** What the approval produced (e.g. the badge issued with it); null for a rejection. */
  effect: Effect | null;
}

const idField = ['input', 'id'];
export const EXPIRED_FIELD = ['input', 'approve'];

/** The decision's own rules: a note within its cap, and a rejection needs one. */
export const reviewDecisionSchema = (toldOnRejection: string) =>
  z.object({ approve: z.boolean(), note: text(TEXT_RULES.reviewNote) }).superRefine((decision, ctx) => {
    if (!decision.approve && !decision.note) {
      addProblem(ctx, 'INVALID', `A rejection needs a note telling the ${toldOnRejection} why.`, ['note']);
    }
  });

type Outcome<Out, Effect> =
  { kind: 'reviewed'; reviewed: Reviewed<Out, Effect> } | { kind: 'refused'; errors: UserError[] } | { kind: 'raced' };

export async function runReview<Row extends Reviewable, Prepared, Effect, Out>(
  deps: ServiceDeps,
  access: Access,
  input: ReviewInput,
  subject: ReviewSubject<Row, Prepared, Effect, Out>,
): Promise<Result<Reviewed<Out, Effect>>> {
  const reviewer = access.requireRole('REVIEWER');
  const row = await subject.load(input.id);
  if (!row) return fail('NOT_FOUND', subject.notFound, idField);
  // Nobody decides a case they are party to.
  const refusal = (await access.isBrandMember(row.brandId))
    ? `Reviewers can't review their own brand's ${subject.noun}s.`
    : await subject.partyRefusal(row, reviewer.id);
  if (refusal) throw new ForbiddenError(refusal);
  if (row.status !== 'SUBMITTED') {
    return fail('NOT_ALLOWED_IN_STATE', `The ${subject.noun} is ${row.status}; only SUBMITTED ${subject.noun}s are reviewed.`, idField);
  }
  const decision = parseInput(reviewDecisionSchema(subject.toldOnRejection), { approve: input.approve, note: input.note });
  if (!decision.ok) return decision;
  const { approve, note } = decision.value;
  const now = deps.clock();
  if (approve && row.validUntil <= now) {
    return fail('EXPIRED', `The ${subject.noun} expired before it was reviewed; reject it instead.`, EXPIRED_FIELD);
  }
  const approval = approve ? subject.approval : undefined;
  const refused = await approval?.check?.(row, now);
  if (refused) return { ok: false, errors: [refused] };

  const review = deps.db.$transaction(async (tx): Promise<Outcome<Out, Effect>> => {
    const ctx: ReviewContext<Row> = { tx, row, reviewerId: reviewer.id, now };
    const prepared = approval?.prepare ? await approval.prepare(ctx) : ok(undefined as Prepared);
    if (!prepared.ok) return { kind: 'refused', errors: prepared.errors };
    // The status guard makes concurrent reviews of one row decide once.
    const count = await subject.decide(tx, row.id, {
      status: approve ? 'APPROVED' : 'REJECTED',
      reviewNote: note,
      reviewedById: reviewer.id,
      reviewedAt: now,
    });
    if (count === 0) return { kind: 'raced' };
    await recordAudit(tx, {
      actorId: reviewer.id,
      action: `${subject.auditPrefix}.${approve ? 'approved' : 'rejected'}`,
      entityType: subject.entityType,
      entityId: row.id,
      reason: note,
    });
    const effect = approval?.apply ? await approval.apply(ctx, prepared.value) : null;
    return { kind: 'reviewed', reviewed: { row: await subject.reload(tx, row.id), effect } };
  });

  let outcome: Outcome<Out, Effect>;
  try {
    outcome = await review;
  } catch (error) {
    const expected = await subject.refusalFor?.(error, row);
    if (expected) return { ok: false, errors: [expected] };
    throw error;
  }
  if (outcome.kind === 'raced') {
    return fail('NOT_ALLOWED_IN_STATE', `The ${subject.noun} was reviewed by someone else just now.`, idField);
  }
  if (outcome.kind === 'refused') return { ok: false, errors: outcome.errors };
  return ok(outcome.reviewed);
}
