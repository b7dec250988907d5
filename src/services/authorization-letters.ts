import type { AuthorizationLetter, Badge, Prisma } from '@prisma/client';
import { z } from 'zod';
import { NOT_A_BRAND_MEMBER, type Access } from '../auth/access.js';
import type { BrandAction } from '../auth/brand-permissions.js';
import { ForbiddenError, fail, ok, type Result, type UserError } from '../errors.js';
import { recordAudit } from './audit.js';
import { badgeSigning, brandProofEndsAt, issueBadge } from './badge-issuance.js';
import { validityPeriod } from './cross-field-rules.js';
import { parseInput, requiredText, text } from './input-validation.js';
import { revokeLetterChains } from './letter-revocation.js';
import { logLetterChange } from '../transparency/log-events.js';
import { runReview, type ReviewInput, type ReviewSubject } from './review-flow.js';
import type { ServiceDeps } from './service-deps.js';
import { StatusListsFull } from './status-lists.js';
import type { UploadedFile } from './uploaded-files.js';
import { loadOwnedStore } from './stores.js';
import { TEXT_RULES } from './text-limits.js';
import { withStoredDocument } from './uploaded-files.js';
import { publishLetterAwaitingConfirmation } from '../webhooks/event-sources.js';

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

/** What a submission says about the letter, checked all at once; the file is checked as it is stored. */
export const letterInputSchema = (now: Date) =>
  z
    .object({ scope: requiredText(TEXT_RULES.letterScope), validFrom: z.date(), validUntil: z.date() })
    .superRefine(...validityPeriod(now, 'This letter has already expired.'));

const reasonSchema = z.object({ reason: requiredText(TEXT_RULES.revocationReason) });
const confirmationSchema = z.object({
  confirm: z.boolean(),
  note: text(TEXT_RULES.reviewNote),
  allowSubLicensing: z.boolean().nullish(),
});

export const SUB_LICENSING_NOT_ALLOWED = "The brand has not allowed this distributor to sub-license: its letter can't grant yours.";

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
export async function loadBrandMembersLetter(
  deps: ServiceDeps,
  access: Access,
  letterId: string,
  action: BrandAction = 'letters.confirm',
): Promise<AuthorizationLetter> {
  const letter = await deps.db.authorizationLetter.findUnique({ where: { id: letterId } });
  if (!letter) {
    access.requireActor();
    throw new ForbiddenError(NOT_A_BRAND_MEMBER);
  }
  await access.requireBrandPermission(letter.brandId, action);
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

  const parsed = parseInput(letterInputSchema(deps.clock()), input);
  if (!parsed.ok) return parsed;
  const { scope, validFrom, validUntil } = parsed.value;

  let chainDepth = 1;
  if (input.grantorLetterId) {
    const grantor = await deps.db.authorizationLetter.findUnique({ where: { id: input.grantorLetterId } });
    const visible = grantor !== null && (await access.canSeeLetter(grantor));
    if (!grantor) {
      if (access.seesEverything) return fail('NOT_FOUND', 'No authorization letter has this id.', field('grantorLetterId'));
      throw new ForbiddenError(GRANTOR_REFUSAL);
    }
    const problem = grantorProblem(grantor, { brandId: brand.id, storeId: store.value.id, validUntil });
    // A distributor's letter is not the reseller's to see: for a letter the
    // caller can't see, every problem gets the answer an unknown id gets, so
    // nothing of its brand, status, depth or end date comes back.
    if (problem && !visible) throw new ForbiddenError(GRANTOR_REFUSAL);
    if (problem) return { ok: false, errors: [problem] };
    // Asked only of a letter fit to grant yours, so the answer tells nothing else of it.
    if (!grantor.allowsSubLicensing) return fail('NOT_ALLOWED_IN_STATE', SUB_LICENSING_NOT_ALLOWED, field('grantorLetterId'));
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
          validFrom,
          validUntil,
          documentId,
          // A sub-letter waits for the granting store's consent before a reviewer may approve it.
          grantorConfirmation: chainDepth > 1 ? 'PENDING' : null,
        },
      });
      await recordAudit(tx, {
        actorId: actor.id,
        action: 'letter.submitted',
        entityType: 'AuthorizationLetter',
        entityId: created.id,
        data: { chainDepth },
      });
      await publishLetterAwaitingConfirmation(tx, created);
      return created;
    },
  );
}

export async function confirmAuthorization(
  deps: ServiceDeps,
  access: Access,
  input: { letterId: string; confirm: boolean; note?: string | null; allowSubLicensing?: boolean | null },
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
  const parsed = parseInput(confirmationSchema, input);
  if (!parsed.ok) return parsed;
  const { confirm, note, allowSubLicensing } = parsed.value;
  if (allowSubLicensing && (!confirm || letter.chainDepth >= MAX_CHAIN_DEPTH)) {
    return fail(
      'INVALID',
      confirm
        ? `Authorization chains stop at depth ${MAX_CHAIN_DEPTH}: a sub-letter can't grant further.`
        : 'Sub-licensing is allowed with a confirmation, not a denial.',
      field('allowSubLicensing'),
    );
  }
  const updated = await deps.db.$transaction(async (tx) => {
    const { count } = await tx.authorizationLetter.updateMany({
      where: { id: letter.id, brandConfirmation: 'PENDING', status: letter.status },
      data: confirm
        ? {
            brandConfirmation: 'CONFIRMED',
            confirmationNote: note,
            ...(allowSubLicensing != null ? { allowsSubLicensing: allowSubLicensing } : {}),
          }
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
      action: confirm ? 'letter.confirmed_by_brand' : 'letter.denied_by_brand',
      entityType: 'AuthorizationLetter',
      entityId: letter.id,
      reason: note,
      ...(confirm && allowSubLicensing != null ? { data: { allowsSubLicensing: allowSubLicensing } } : {}),
    });
    return tx.authorizationLetter.findUniqueOrThrow({ where: { id: letter.id } });
  });
  if (!updated) return fail('NOT_ALLOWED_IN_STATE', 'The letter changed just now; reload it.', field('letterId'));
  return ok(updated);
}

const REVIEWED_LETTER = {
  grantor: { include: { store: { select: { ownerId: true } } } },
  brand: true,
  store: { select: { ownerId: true } },
} satisfies Prisma.AuthorizationLetterInclude;
type ReviewedLetter = Prisma.AuthorizationLetterGetPayload<{ include: typeof REVIEWED_LETTER }>;

/** An approval issues the store's badge with it, in the same transaction: without its badge, the letter stays SUBMITTED. */
const letterReview = (deps: ServiceDeps): ReviewSubject<ReviewedLetter, Date, Badge, AuthorizationLetter> => ({
  noun: 'letter',
  notFound: 'No authorization letter has this id.',
  toldOnRejection: 'store',
  entityType: 'AuthorizationLetter',
  auditPrefix: 'letter',
  load: (id) => deps.db.authorizationLetter.findUnique({ where: { id }, include: REVIEWED_LETTER }),
  // Besides the brand's side: the store that asks and the store that grants.
  partyRefusal: async (letter, reviewerId) =>
    letter.store.ownerId === reviewerId || letter.grantor?.store.ownerId === reviewerId
      ? "Reviewers can't review letters for or from their own stores."
      : null,
  decide: async (tx, id, data) => (await tx.authorizationLetter.updateMany({ where: { id, status: 'SUBMITTED' }, data })).count,
  reload: (tx, id) => tx.authorizationLetter.findUniqueOrThrow({ where: { id } }),
  approval: {
    async check(letter) {
      if (!letter.grantor) return null;
      const refusal = (message: string): UserError => ({ code: 'NOT_ALLOWED_IN_STATE', field: field('id'), message });
      if (letter.grantor.status !== 'APPROVED') return refusal(`The grantor's letter is ${letter.grantor.status}, not APPROVED.`);
      if ((letter.grantorConfirmation ?? 'PENDING') !== 'CONFIRMED') {
        return refusal(
          'The granting store has not confirmed this sub-letter yet; it is approved only after the granting store confirms it.',
        );
      }
      if (!letter.grantor.allowsSubLicensing) return refusal('The brand no longer allows the granting store to sub-license.');
      return null;
    },
    async prepare({ tx, row: letter, now }) {
      const proofEnds = await brandProofEndsAt(tx, letter.brandId, now);
      if (!proofEnds || letter.brand.status !== 'VERIFIED') {
        return fail('NOT_ALLOWED_IN_STATE', 'The brand is not VERIFIED, so it cannot authorize resellers now.', field('id'));
      }
      // The badge ends with the first thing that ends along the chain.
      return ok(new Date(Math.min(letter.validUntil.getTime(), letter.grantor?.validUntil.getTime() ?? Infinity, proofEnds.getTime())));
    },
    async apply({ tx, row: letter, reviewerId, now }, expiresAt) {
      const badge = await issueBadge(
        tx,
        badgeSigning(deps),
        { storeId: letter.storeId, brandId: letter.brandId, kind: 'AUTHORIZED_STORE', expiresAt, letterId: letter.id },
        reviewerId,
        now,
      );
      // In the same transaction: the badge's workflow, which watches its expiry, is started by the outbox relay.
      await deps.workflows.badgeIssued(tx, badge);
      await logLetterChange(tx, letter.id, { approved: true, reason: null, at: now });
      return badge;
    },
  },
  refusalFor: async (error) =>
    error instanceof StatusListsFull ? { code: 'LIMIT_EXCEEDED', field: field('id'), message: error.message } : null,
});

export async function reviewAuthorizationLetter(
  deps: ServiceDeps,
  access: Access,
  input: ReviewInput,
): Promise<Result<AuthorizationLetter>> {
  const reviewed = await runReview(deps, access, input, letterReview(deps));
  if (!reviewed.ok) return reviewed;
  return ok(reviewed.value.row);
}

/** Revokes the letter, every letter granted under it, and their badges, in one transaction. */
export async function revokeAuthorization(
  deps: ServiceDeps,
  access: Access,
  input: { id: string; reason: string },
): Promise<Result<AuthorizationLetter>> {
  const letter = await loadRevocableLetter(deps, access, input.id);
  const actor = access.requireActor();
  const parsed = parseInput(reasonSchema, input);
  if (!parsed.ok) return parsed;
  const { reason } = parsed.value;
  if (letter.status !== 'APPROVED' && letter.status !== 'SUBMITTED') {
    return fail('NOT_ALLOWED_IN_STATE', `The letter is already ${letter.status}.`, field('id'));
  }
  const now = deps.clock();
  const result = await deps.db.$transaction(async (tx) => {
    const revocation = await revokeLetterChains(tx, [letter.id], reason, actor.id, now);
    if (!revocation.letterIds.includes(letter.id)) return null;
    await deps.workflows.badgesRevoked(tx, revocation.revokedBadgeIds);
    return { letter: await tx.authorizationLetter.findUniqueOrThrow({ where: { id: letter.id } }) };
  });
  if (!result) return fail('NOT_ALLOWED_IN_STATE', 'The letter was revoked just now.', field('id'));
  return ok(result.letter);
}

/** The brand's members revoke any of its letters; a granting store's owner revokes the sub-letters it granted. */
async function loadRevocableLetter(deps: ServiceDeps, access: Access, letterId: string): Promise<AuthorizationLetter> {
  const letter = await deps.db.authorizationLetter.findUnique({
    where: { id: letterId },
    include: { grantor: { select: { store: { select: { ownerId: true } } } } },
  });
  if (letter?.grantor && access.actor && letter.grantor.store.ownerId === access.actor.id) {
    const { grantor: _grantor, ...row } = letter;
    return row;
  }
  return loadBrandMembersLetter(deps, access, letterId);
}
