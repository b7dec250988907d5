import type { AuthorizationLetter } from '@prisma/client';
import { NOT_A_BRAND_MEMBER, type Access } from '../auth/access.js';
import { ForbiddenError, fail, ok, type Result, type UserError } from '../errors.js';
import { recordAudit } from './audit.js';
import { badgeSigning, brandProofEndsAt, issueBadge } from './badge-issuance.js';
import { revokeLetterChains } from './letter-revocation.js';
import type { ServiceDeps } from './service-deps.js';
import { StatusListsFull, whenStatusListsFull } from './status-lists.js';
import type { UploadedFile } from './uploaded-files.js';
import { loadOwnedStore } from './stores.js';
import { TEXT_RULES, checkText } from './text-limits.js';
import { withStoredDocument } from './uploaded-files.js';

export const LETTER_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
/** 1 = granted by the brand, 2 = granted by a level-1 holder; deeper chains are refused. */
export const MAX_CHAIN_DEPTH = 2;

export interface SubmitLetterInput {
  storeId: string;
  brandId: string;
  grantorLetterId?: string | null;
  scope: string;
  validFrom: Date;
  validUntil: Date;
  letter: UploadedFile;
}

const field = (name: string) => ['input', name];

function checkDates(input: { validFrom: Date; validUntil: Date }, now: Date): UserError | null {
  if (input.validUntil <= input.validFrom)
    return { code: 'INVALID', field: field('validUntil'), message: 'validUntil must come after validFrom.' };
  if (input.validUntil <= now) return { code: 'EXPIRED', field: field('validUntil'), message: 'This letter has already expired.' };
  return null;
}

const GRANTOR_REFUSAL =
  "This letter can't grant yours: name an APPROVED letter the brand gave your distributor directly, ending no earlier than yours.";

/** Why `grantor` can't grant the letter asked for, or null. */
function grantorProblem(grantor: AuthorizationLetter, wanted: { brandId: string; storeId: string; validUntil: Date }): UserError | null {
  const grantorField = field('grantorLetterId');
  if (grantor.brandId !== wanted.brandId)
    return { code: 'INVALID', field: grantorField, message: "The grantor's letter is for another brand." };
  if (grantor.storeId === wanted.storeId) return { code: 'INVALID', field: grantorField, message: 'A store cannot authorize itself.' };
  if (grantor.chainDepth >= MAX_CHAIN_DEPTH) {
    return {
      code: 'LIMIT_EXCEEDED',
      field: grantorField,
      message: `Authorization chains stop at depth ${MAX_CHAIN_DEPTH}: this grantor is itself a sub-distributor.`,
    };
  }
  if (grantor.status !== 'APPROVED')
    return { code: 'NOT_ALLOWED_IN_STATE', field: grantorField, message: `The grantor's letter is ${grantor.status}, not APPROVED.` };
  if (wanted.validUntil > grantor.validUntil) {
    return {
      code: 'INVALID',
      field: field('validUntil'),
      message: `A letter can't outlive its grantor's, which ends ${grantor.validUntil.toISOString()}.`,
    };
  }
  return null;
}

/**
 * A letter a brand member acts on. An unknown id is FORBIDDEN like another
 * brand's letter, so the answer never tells which letters exist.
 */
async function loadBrandMembersLetter(deps: ServiceDeps, access: Access, letterId: string): Promise<AuthorizationLetter> {
  const letter = await deps.db.authorizationLetter.findUnique({ where: { id: letterId } });
  if (!letter) {
    access.requireActor();
    throw new ForbiddenError(NOT_A_BRAND_MEMBER);
  }
  await access.requireBrandMember(letter.brandId);
  return letter;
}

export async function submitAuthorizationLetter(
  deps: ServiceDeps,
  access: Access,
  input: SubmitLetterInput,
): Promise<Result<AuthorizationLetter>> {
  const actor = access.requireActor();
  const store = await loadOwnedStore(deps, access, input.storeId, field('storeId'));
  if (!store.ok) return store;
  const brand = await deps.db.brand.findUnique({ where: { id: input.brandId }, select: { id: true, status: true } });
  if (!brand) return fail('NOT_FOUND', 'No brand has this id.', field('brandId'));

  const checkedScope = checkText(input.scope, TEXT_RULES.letterScope, field('scope'));
  if (!checkedScope.ok) return { ok: false, errors: [checkedScope.error] };
  const scope = checkedScope.value!;
  const dateProblem = checkDates(input, deps.clock());
  if (dateProblem) return { ok: false, errors: [dateProblem] };

  let chainDepth = 1;
  if (input.grantorLetterId) {
    const grantor = await deps.db.authorizationLetter.findUnique({ where: { id: input.grantorLetterId } });
    const visible = grantor !== null && (await access.canSeeLetter(grantor));
    if (!grantor) {
      if (access.seesEverything) return fail('NOT_FOUND', 'No authorization letter has this id.', field('grantorLetterId'));
      throw new ForbiddenError(GRANTOR_REFUSAL);
    }
    const problem = grantorProblem(grantor, { brandId: brand.id, storeId: store.value.id, validUntil: input.validUntil });
    // A distributor's letter is not the reseller's to see: for a letter the
    // caller can't see, every problem gets the answer an unknown id gets, so
    // nothing of its brand, status, depth or end date comes back.
    if (problem && !visible) throw new ForbiddenError(GRANTOR_REFUSAL);
    if (problem) return { ok: false, errors: [problem] };
    chainDepth = grantor.chainDepth + 1;
  }

  return withStoredDocument(
    deps,
    actor.id,
    input.letter,
    {
      accept: LETTER_TYPES,
      maxBytes: deps.config.DOCUMENT_MAX_BYTES,
      keyPrefix: 'authorization-letters',
      field: field('letter'),
    },
    async (tx, documentId) => {
      const created = await tx.authorizationLetter.create({
        data: {
          brandId: brand.id,
          storeId: store.value.id,
          grantorLetterId: input.grantorLetterId ?? null,
          chainDepth,
          scope,
          validFrom: input.validFrom,
          validUntil: input.validUntil,
          documentId,
        },
      });
      await recordAudit(tx, {
        actorId: actor.id,
        action: 'letter.submitted',
        entityType: 'AuthorizationLetter',
        entityId: created.id,
        data: { chainDepth },
      });
      return created;
    },
  );
}

export async function confirmAuthorization(
  deps: ServiceDeps,
  access: Access,
  input: { letterId: string; confirm: boolean; note?: string | null },
): Promise<Result<AuthorizationLetter>> {
  const letter = await loadBrandMembersLetter(deps, access, input.letterId);
  const actor = access.requireActor();
  if (letter.brandConfirmation !== 'PENDING') {
    return fail('NOT_ALLOWED_IN_STATE', `The brand already ${letter.brandConfirmation.toLowerCase()} this letter.`, field('letterId'));
  }
  if (letter.status !== 'SUBMITTED' && !(input.confirm && letter.status === 'APPROVED')) {
    return fail(
      'NOT_ALLOWED_IN_STATE',
      `The letter is ${letter.status}${letter.status === 'APPROVED' ? '; revoke it instead' : ''}.`,
      field('letterId'),
    );
  }
  const checkedNote = checkText(input.note, TEXT_RULES.reviewNote, field('note'));
  if (!checkedNote.ok) return { ok: false, errors: [checkedNote.error] };
  const note = checkedNote.value;
  const updated = await deps.db.$transaction(async (tx) => {
    const { count } = await tx.authorizationLetter.updateMany({
      where: { id: letter.id, brandConfirmation: 'PENDING', status: letter.status },
      data: input.confirm
        ? { brandConfirmation: 'CONFIRMED', confirmationNote: note }
        : {
            brandConfirmation: 'DENIED',
            confirmationNote: note,
            status: 'REJECTED',
            reviewNote: note ?? 'The brand denies issuing this letter.',
          },
    });
    if (count === 0) return null;
    await recordAudit(tx, {
      actorId: actor.id,
      action: input.confirm ? 'letter.confirmed_by_brand' : 'letter.denied_by_brand',
      entityType: 'AuthorizationLetter',
      entityId: letter.id,
      reason: note,
    });
    return tx.authorizationLetter.findUniqueOrThrow({ where: { id: letter.id } });
  });
  if (!updated) return fail('NOT_ALLOWED_IN_STATE', 'The letter changed just now; reload it.', field('letterId'));
  return ok(updated);
}

export async function reviewAuthorizationLetter(
  deps: ServiceDeps,
  access: Access,
  input: { id: string; approve: boolean; note?: string | null },
): Promise<Result<AuthorizationLetter>> {
  const reviewer = access.requireRole('REVIEWER');
  const letter = await deps.db.authorizationLetter.findUnique({
    where: { id: input.id },
    include: { grantor: { include: { store: { select: { ownerId: true } } } }, brand: true, store: { select: { ownerId: true } } },
  });
  if (!letter) return fail('NOT_FOUND', 'No authorization letter has this id.', field('id'));
  // Nobody decides a case they are party to: the brand's side, the store that asks, the store that grants.
  if (await access.isBrandMember(letter.brandId)) throw new ForbiddenError("Reviewers can't review letters of their own brand.");
  if (letter.store.ownerId === reviewer.id || letter.grantor?.store.ownerId === reviewer.id) {
    throw new ForbiddenError("Reviewers can't review letters for or from their own stores.");
  }
  if (letter.status !== 'SUBMITTED')
    return fail('NOT_ALLOWED_IN_STATE', `The letter is ${letter.status}; only SUBMITTED letters are reviewed.`, field('id'));
  const checkedNote = checkText(input.note, TEXT_RULES.reviewNote, field('note'));
  if (!checkedNote.ok) return { ok: false, errors: [checkedNote.error] };
  const note = checkedNote.value;
  if (!input.approve && !note) return fail('INVALID', 'A rejection needs a note telling the store why.', field('note'));
  const now = deps.clock();
  if (input.approve && letter.validUntil <= now)
    return fail('EXPIRED', 'The letter expired before it was reviewed; reject it instead.', field('id'));
  if (input.approve && letter.grantor && letter.grantor.status !== 'APPROVED') {
    return fail('NOT_ALLOWED_IN_STATE', `The grantor's letter is ${letter.grantor.status}, not APPROVED.`, field('id'));
  }

  const review = deps.db.$transaction(async (tx) => {
    let expiresAt: Date | null = null;
    if (input.approve) {
      const proofEnds = await brandProofEndsAt(tx, letter.brandId, now);
      if (!proofEnds || letter.brand.status !== 'VERIFIED') return 'brand-not-verified' as const;
      // The badge ends with the first thing that ends along the chain.
      expiresAt = new Date(Math.min(letter.validUntil.getTime(), letter.grantor?.validUntil.getTime() ?? Infinity, proofEnds.getTime()));
    }
    const { count } = await tx.authorizationLetter.updateMany({
      where: { id: letter.id, status: 'SUBMITTED' },
      data: { status: input.approve ? 'APPROVED' : 'REJECTED', reviewNote: note, reviewedById: reviewer.id, reviewedAt: now },
    });
    if (count === 0) return 'raced' as const;
    await recordAudit(tx, {
      actorId: reviewer.id,
      action: input.approve ? 'letter.approved' : 'letter.rejected',
      entityType: 'AuthorizationLetter',
      entityId: letter.id,
      reason: note,
    });
    const badge = expiresAt
      ? await issueBadge(
          tx,
          badgeSigning(deps),
          { storeId: letter.storeId, brandId: letter.brandId, kind: 'AUTHORIZED_STORE', expiresAt, letterId: letter.id },
          reviewer.id,
          now,
        )
      : null;
    if (badge) await deps.workflows.badgeIssued(tx, badge);
    return { letter: await tx.authorizationLetter.findUniqueOrThrow({ where: { id: letter.id } }), badge };
  });
  const outcome = await review.catch(whenStatusListsFull);
  // The approval and the badge go together: with no place in the status lists, the letter stays SUBMITTED.
  if (outcome instanceof StatusListsFull) return fail('LIMIT_EXCEEDED', outcome.message, field('id'));
  if (outcome === 'brand-not-verified')
    return fail('NOT_ALLOWED_IN_STATE', 'The brand is not VERIFIED, so it cannot authorize resellers now.', field('id'));
  if (outcome === 'raced') return fail('NOT_ALLOWED_IN_STATE', 'The letter was reviewed by someone else just now.', field('id'));
  return ok(outcome.letter);
}

/** Revokes the letter, every letter granted under it, and their badges, in one transaction. */
export async function revokeAuthorization(
  deps: ServiceDeps,
  access: Access,
  input: { id: string; reason: string },
): Promise<Result<AuthorizationLetter>> {
  const letter = await loadBrandMembersLetter(deps, access, input.id);
  const actor = access.requireActor();
  const reason = checkText(input.reason, TEXT_RULES.revocationReason, field('reason'));
  if (!reason.ok) return { ok: false, errors: [reason.error] };
  if (letter.status !== 'APPROVED' && letter.status !== 'SUBMITTED') {
    return fail('NOT_ALLOWED_IN_STATE', `The letter is already ${letter.status}.`, field('id'));
  }
  const now = deps.clock();
  const result = await deps.db.$transaction(async (tx) => {
    const revocation = await revokeLetterChains(tx, [letter.id], reason.value!, actor.id, now);
    if (!revocation.letterIds.includes(letter.id)) return null;
    await deps.workflows.badgesRevoked(tx, revocation.revokedBadgeIds);
    return { letter: await tx.authorizationLetter.findUniqueOrThrow({ where: { id: letter.id } }) };
  });
  if (!result) return fail('NOT_ALLOWED_IN_STATE', 'The letter was revoked just now.', field('id'));
  return ok(result.letter);
}
