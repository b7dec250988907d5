import type { AuthorizationLetter } from '@prisma/client';
import { z } from 'zod';
import type { Access } from '../auth/access.js';
import { ForbiddenError, fail, ok, type Result } from '../errors.js';
import { recordAudit } from './audit.js';
import { loadBrandMembersLetter, MAX_CHAIN_DEPTH } from './authorization-letters.js';
import { addProblem, parseInput, text } from './input-validation.js';
import type { ServiceDeps } from './service-deps.js';
import { TEXT_RULES } from './text-limits.js';

// A store authorized by the brand may authorize sub-resellers (depth 2) only
// when the brand allows it on that store's letter, and each sub-letter needs
// the granting store's own yes: a reseller can't claim a distributor's
// authority without the distributor. A sub-letter is approved by a reviewer
// (and so gets its badge) only once the granting store has confirmed it.

const field = (name: string) => ['input', name];

export const NOT_THE_GRANTOR = 'Only the owner of the store that granted this sub-letter can answer it.';

export type GrantorAnswer = 'PENDING' | 'CONFIRMED' | 'DENIED';

/** The granting store's answer: null for a letter the brand granted; a sub-letter written before the column reads as PENDING. */
export const grantorConfirmationOf = (letter: Pick<AuthorizationLetter, 'chainDepth' | 'grantorConfirmation'>): GrantorAnswer | null =>
  letter.chainDepth > 1 ? (letter.grantorConfirmation ?? 'PENDING') : null;

const answerSchema = z.object({ confirm: z.boolean(), note: text(TEXT_RULES.reviewNote) }).superRefine((answer, ctx) => {
  if (!answer.confirm && !answer.note) addProblem(ctx, 'INVALID', 'A refusal needs a note telling the reseller why.', ['note']);
});

/** The granting store's owner confirms a sub-letter, or refuses it (which rejects it) with a reason. */
export async function answerSubLicense(
  deps: ServiceDeps,
  access: Access,
  input: { letterId: string; confirm: boolean; note?: string | null },
): Promise<Result<AuthorizationLetter>> {
  const actor = access.requireActor();
  const letter = await deps.db.authorizationLetter.findUnique({
    where: { id: input.letterId },
    include: { grantor: { include: { store: { select: { ownerId: true } } } } },
  });
  // Unknown ids, letters the brand granted and other stores' sub-letters get one answer.
  if (!letter?.grantor || letter.grantor.store.ownerId !== actor.id) throw new ForbiddenError(NOT_THE_GRANTOR);
  const parsed = parseInput(answerSchema, input);
  if (!parsed.ok) return parsed;
  const { confirm, note } = parsed.value;
  const answer = grantorConfirmationOf(letter);
  if (answer !== 'PENDING') {
    return fail(
      'NOT_ALLOWED_IN_STATE',
      `Your store already ${answer === 'CONFIRMED' ? 'confirmed' : 'refused'} this sub-letter.`,
      field('letterId'),
    );
  }
  if (letter.status !== 'SUBMITTED') return fail('NOT_ALLOWED_IN_STATE', `The sub-letter is ${letter.status}.`, field('letterId'));
  if (confirm && letter.grantor.status !== 'APPROVED') {
    return fail('NOT_ALLOWED_IN_STATE', `Your letter is ${letter.grantor.status}, not APPROVED, so it grants nothing.`, field('letterId'));
  }
  if (confirm && !letter.grantor.allowsSubLicensing) {
    return fail('NOT_ALLOWED_IN_STATE', 'The brand has not allowed your store to sub-license.', field('letterId'));
  }

  const updated = await deps.db.$transaction(async (tx) => {
    const { count } = await tx.authorizationLetter.updateMany({
      where: { id: letter.id, status: 'SUBMITTED', OR: [{ grantorConfirmation: 'PENDING' }, { grantorConfirmation: null }] },
      data: confirm
        ? { grantorConfirmation: 'CONFIRMED', grantorNote: note }
        : { grantorConfirmation: 'DENIED', grantorNote: note, status: 'REJECTED', reviewNote: `The granting store refused: ${note}` },
    });
    if (count === 0) return null;
    await recordAudit(tx, {
      actorId: actor.id,
      action: confirm ? 'letter.confirmed_by_grantor' : 'letter.refused_by_grantor',
      entityType: 'AuthorizationLetter',
      entityId: letter.id,
      reason: note,
    });
    return tx.authorizationLetter.findUniqueOrThrow({ where: { id: letter.id } });
  });
  if (!updated) return fail('NOT_ALLOWED_IN_STATE', 'The sub-letter changed just now; reload it.', field('letterId'));
  return ok(updated);
}

/**
 * The brand allows (or stops allowing) a store it authorized to grant
 * sub-letters. Stopping leaves standing sub-letters as they are (the brand
 * revokes those it wants gone); pending ones can no longer be confirmed or approved.
 */
export async function setSubLicensing(
  deps: ServiceDeps,
  access: Access,
  input: { letterId: string; allowed: boolean },
): Promise<Result<AuthorizationLetter>> {
  const letter = await loadBrandMembersLetter(deps, access, input.letterId);
  const actor = access.requireActor();
  if (letter.chainDepth >= MAX_CHAIN_DEPTH) {
    return fail('INVALID', `Authorization chains stop at depth ${MAX_CHAIN_DEPTH}: a sub-letter can't grant further.`, field('letterId'));
  }
  if (letter.status !== 'APPROVED' && letter.status !== 'SUBMITTED') {
    return fail('NOT_ALLOWED_IN_STATE', `The letter is ${letter.status}.`, field('letterId'));
  }
  if (letter.allowsSubLicensing === input.allowed) return ok(letter);
  const updated = await deps.db.$transaction(async (tx) => {
    const { count } = await tx.authorizationLetter.updateMany({
      where: { id: letter.id, status: { in: ['APPROVED', 'SUBMITTED'] } },
      data: { allowsSubLicensing: input.allowed },
    });
    if (count === 0) return null;
    await recordAudit(tx, {
      actorId: actor.id,
      action: input.allowed ? 'letter.sub_licensing_allowed' : 'letter.sub_licensing_withdrawn',
      entityType: 'AuthorizationLetter',
      entityId: letter.id,
    });
    return tx.authorizationLetter.findUniqueOrThrow({ where: { id: letter.id } });
  });
  if (!updated) return fail('NOT_ALLOWED_IN_STATE', 'The letter changed just now; reload it.', field('letterId'));
  return ok(updated);
}
