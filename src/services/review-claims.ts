import type { AuthorizationLetter, Prisma, Trademark } from '@prisma/client';
import type { Access } from '../auth/access.js';
import { ForbiddenError, fail, ok, type Result } from '../errors.js';
import { recordAudit } from './audit.js';
import type { ServiceDeps } from './service-deps.js';

// A reviewer claims a trademark or letter from the queue, as complaints are
// claimed, so others see it is taken. A claim does not gate the decision:
// reviewing works with or without one, as it did before claims existed.

const idField = ['input', 'id'];

export interface ClaimState {
  status: string;
  assignedReviewerId: string | null;
}

export type ClaimAction = 'claim' | 'release';

/**
 * Why `reviewerId` may not claim or release now, or null. Claiming what is
 * already yours and releasing what nobody holds change nothing and are allowed.
 */
export function claimRefusal(noun: string, state: ClaimState, reviewerId: string, action: ClaimAction): string | null {
  if (state.status !== 'SUBMITTED') return `The ${noun} is ${state.status}; only SUBMITTED ${noun}s wait for a reviewer.`;
  if (state.assignedReviewerId === null || state.assignedReviewerId === reviewerId) return null;
  return action === 'claim'
    ? `Another reviewer has claimed this ${noun}.`
    : `Another reviewer has claimed this ${noun}; only they release it.`;
}

interface ClaimSubject<Row> {
  noun: string;
  notFound: string;
  entityType: string;
  load(id: string): Promise<(ClaimState & { brandId: string }) | null>;
  /** Why the reviewer is a party and may not take the case, besides being a member of its brand. */
  partyRefusal(id: string, reviewerId: string): Promise<string | null>;
  /** The guarded change: rows updated, 0 when the state moved on since it was read. */
  assign(tx: Prisma.TransactionClient, id: string, expected: ClaimState, to: string | null): Promise<number>;
  reload(db: Pick<Prisma.TransactionClient, 'trademark' | 'authorizationLetter'>, id: string): Promise<Row>;
}

async function runClaim<Row>(
  deps: ServiceDeps,
  access: Access,
  id: string,
  action: ClaimAction,
  subject: ClaimSubject<Row>,
): Promise<Result<Row>> {
  const reviewer = access.requireRole('REVIEWER');
  const row = await subject.load(id);
  if (!row) return fail('NOT_FOUND', subject.notFound, idField);
  // Whoever may not decide a case may not take it either.
  const party = (await access.isBrandMember(row.brandId))
    ? `Reviewers can't review their own brand's ${subject.noun}s.`
    : await subject.partyRefusal(id, reviewer.id);
  if (party) throw new ForbiddenError(party);
  const refusal = claimRefusal(subject.noun, row, reviewer.id, action);
  if (refusal) return fail('NOT_ALLOWED_IN_STATE', refusal, idField);
  const to = action === 'claim' ? reviewer.id : null;
  if (row.assignedReviewerId === to) return ok(await subject.reload(deps.db, id));

  const changed = await deps.db.$transaction(async (tx) => {
    if ((await subject.assign(tx, id, row, to)) === 0) return false;
    await recordAudit(tx, {
      actorId: reviewer.id,
      action: `${subject.noun}.review_${action === 'claim' ? 'claimed' : 'released'}`,
      entityType: subject.entityType,
      entityId: id,
    });
    return true;
  });
  if (!changed) return fail('NOT_ALLOWED_IN_STATE', `The ${subject.noun} changed just now; reload it.`, idField);
  return ok(await subject.reload(deps.db, id));
}

const CLAIM_STATE = { brandId: true, status: true, assignedReviewerId: true } as const;

const trademarkClaims = (deps: ServiceDeps): ClaimSubject<Trademark> => ({
  noun: 'trademark',
  notFound: 'No trademark has this id.',
  entityType: 'Trademark',
  load: (id) => deps.db.trademark.findUnique({ where: { id }, select: CLAIM_STATE }),
  partyRefusal: async () => null,
  assign: async (tx, id, expected, to) =>
    (
      await tx.trademark.updateMany({
        where: { id, status: 'SUBMITTED', assignedReviewerId: expected.assignedReviewerId },
        data: { assignedReviewerId: to },
      })
    ).count,
  reload: (db, id) => db.trademark.findUniqueOrThrow({ where: { id } }),
});

const letterClaims = (deps: ServiceDeps): ClaimSubject<AuthorizationLetter> => ({
  noun: 'letter',
  notFound: 'No authorization letter has this id.',
  entityType: 'AuthorizationLetter',
  load: (id) => deps.db.authorizationLetter.findUnique({ where: { id }, select: CLAIM_STATE }),
  // As for the decision: the store that asks and the store that grants are parties.
  partyRefusal: async (id, reviewerId) => {
    const own = await deps.db.authorizationLetter.findFirst({
      where: { id, OR: [{ store: { ownerId: reviewerId } }, { grantor: { store: { ownerId: reviewerId } } }] },
      select: { id: true },
    });
    return own ? "Reviewers can't review letters for or from their own stores." : null;
  },
  assign: async (tx, id, expected, to) =>
    (
      await tx.authorizationLetter.updateMany({
        where: { id, status: 'SUBMITTED', assignedReviewerId: expected.assignedReviewerId },
        data: { assignedReviewerId: to },
      })
    ).count,
  reload: (db, id) => db.authorizationLetter.findUniqueOrThrow({ where: { id } }),
});

export const claimTrademarkReview = (deps: ServiceDeps, access: Access, id: string) =>
  runClaim(deps, access, id, 'claim', trademarkClaims(deps));
export const releaseTrademarkReview = (deps: ServiceDeps, access: Access, id: string) =>
  runClaim(deps, access, id, 'release', trademarkClaims(deps));
export const claimLetterReview = (deps: ServiceDeps, access: Access, id: string) => runClaim(deps, access, id, 'claim', letterClaims(deps));
export const releaseLetterReview = (deps: ServiceDeps, access: Access, id: string) =>
  runClaim(deps, access, id, 'release', letterClaims(deps));
