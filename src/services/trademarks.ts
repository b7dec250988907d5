import { Prisma, type Trademark } from '@prisma/client';
import type { Access } from '../auth/access.js';
import { ForbiddenError, fail, ok, type Result, type UserError } from '../errors.js';
import { recordAudit } from './audit.js';
import { refreshBrandStatus } from './brand-status.js';
import type { ServiceDeps } from './service-deps.js';
import { TEXT_RULES, checkText } from './text-limits.js';
import type { UploadedFile } from './uploaded-files.js';
import { withStoredDocument } from './uploaded-files.js';

export const CERTIFICATE_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;

export interface SubmitTrademarkInput {
  brandId: string;
  registrationNumber: string;
  office: string;
  niceClasses: number[];
  holderName: string;
  validFrom: Date;
  validUntil: Date;
  certificate: UploadedFile;
}

export interface ReviewInput {
  id: string;
  approve: boolean;
  note?: string | null;
}

const field = (name: string) => ['input', name];

function validateTrademark(input: SubmitTrademarkInput, now: Date): UserError[] {
  const errors: UserError[] = [];
  const registrationNumber = checkText(input.registrationNumber, TEXT_RULES.registrationNumber, field('registrationNumber'));
  if (!registrationNumber.ok) errors.push(registrationNumber.error);
  if (!/^[A-Z]{2,12}$/.test(input.office.trim().toUpperCase())) {
    errors.push({ code: 'INVALID', field: field('office'), message: 'The office is its acronym, e.g. USPTO, EUIPO, CNIPA, UKIPO or JPO.' });
  }
  const classes = input.niceClasses;
  if (classes.length === 0 || classes.some((c) => !Number.isInteger(c) || c < 1 || c > 45) || new Set(classes).size !== classes.length) {
    errors.push({ code: 'INVALID', field: field('niceClasses'), message: 'Nice classes are distinct numbers from 1 to 45, at least one.' });
  }
  const holderName = checkText(input.holderName, TEXT_RULES.holderName, field('holderName'));
  if (!holderName.ok) errors.push(holderName.error);
  if (input.validUntil <= input.validFrom) {
    errors.push({ code: 'INVALID', field: field('validUntil'), message: 'validUntil must come after validFrom.' });
  } else if (input.validUntil <= now) {
    errors.push({ code: 'EXPIRED', field: field('validUntil'), message: 'This registration has already expired.' });
  }
  return errors;
}

export async function submitTrademark(deps: ServiceDeps, access: Access, input: SubmitTrademarkInput): Promise<Result<Trademark>> {
  // Membership first: an unknown brand id is FORBIDDEN like another brand's.
  const actor = await access.requireBrandMember(input.brandId);
  const brand = { id: input.brandId };

  const problems = validateTrademark(input, deps.clock());
  if (problems.length > 0) return { ok: false, errors: problems };
  const office = input.office.trim().toUpperCase();
  const registrationNumber = input.registrationNumber.trim();

  const clash = await deps.db.trademark.findFirst({
    where: {
      office,
      registrationNumber,
      OR: [{ brandId: brand.id, status: { in: ['SUBMITTED', 'APPROVED'] } }, { status: 'APPROVED' }],
    },
    select: { brandId: true },
  });
  if (clash) {
    const message =
      clash.brandId === brand.id
        ? 'This registration is already submitted or approved for this brand.'
        : 'This registration is already proven by another brand.';
    return fail('CONFLICT', message, field('registrationNumber'));
  }

  return withStoredDocument(
    deps,
    actor.id,
    input.certificate,
    {
      accept: CERTIFICATE_TYPES,
      maxBytes: deps.config.DOCUMENT_MAX_BYTES,
      keyPrefix: 'trademark-certificates',
      field: field('certificate'),
    },
    async (tx, documentId) => {
      const created = await tx.trademark.create({
        data: {
          brandId: brand.id,
          registrationNumber,
          office,
          niceClasses: [...input.niceClasses].sort((a, b) => a - b),
          holderName: input.holderName.trim(),
          validFrom: input.validFrom,
          validUntil: input.validUntil,
          documentId,
        },
      });
      await recordAudit(tx, {
        actorId: actor.id,
        action: 'trademark.submitted',
        entityType: 'Trademark',
        entityId: created.id,
        data: { office, registrationNumber },
      });
      return created;
    },
  );
}

/** The approved trademark that already proves this registration, if any. */
function approvedHolder(db: Pick<Prisma.TransactionClient, 'trademark'>, trademark: Trademark) {
  return db.trademark.findFirst({
    where: { office: trademark.office, registrationNumber: trademark.registrationNumber, status: 'APPROVED', id: { not: trademark.id } },
    select: { brandId: true },
  });
}

const conflictMessage = (holder: { brandId: string }, trademark: Trademark) =>
  holder.brandId === trademark.brandId
    ? 'This registration is already approved for this brand.'
    : 'This registration is already proven by another brand.';

/**
 * A registration proves one brand. An approval re-checks that at decision time
 * and, for two approvals racing, the partial unique index lets one through; the
 * other is answered CONFLICT. Neither answer names the other brand.
 */
async function approvalConflicts<T>(
  deps: ServiceDeps,
  trademark: Trademark,
  approve: boolean,
  review: (tx: Prisma.TransactionClient) => Promise<T>,
): Promise<T | { conflict: string }> {
  if (!approve) return deps.db.$transaction(review);
  const holder = await approvedHolder(deps.db, trademark);
  if (holder) return { conflict: conflictMessage(holder, trademark) };
  try {
    return await deps.db.$transaction(review);
  } catch (error) {
    if (!(error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002')) throw error;
    const winner = await approvedHolder(deps.db, trademark);
    if (!winner) throw error;
    return { conflict: conflictMessage(winner, trademark) };
  }
}

export async function reviewTrademark(deps: ServiceDeps, access: Access, input: ReviewInput): Promise<Result<Trademark>> {
  const reviewer = access.requireRole('REVIEWER');
  const trademark = await deps.db.trademark.findUnique({ where: { id: input.id } });
  if (!trademark) return fail('NOT_FOUND', 'No trademark has this id.', field('id'));
  if (await access.isBrandMember(trademark.brandId)) {
    throw new ForbiddenError("Reviewers can't review their own brand's trademarks.");
  }
  if (trademark.status !== 'SUBMITTED') {
    return fail('NOT_ALLOWED_IN_STATE', `The trademark is ${trademark.status}; only SUBMITTED trademarks are reviewed.`, field('id'));
  }
  const now = deps.clock();
  if (input.approve && trademark.validUntil <= now) {
    return fail('EXPIRED', 'The registration expired before it was reviewed; reject it instead.', field('approve'));
  }
  const checkedNote = checkText(input.note, TEXT_RULES.reviewNote, field('note'));
  if (!checkedNote.ok) return { ok: false, errors: [checkedNote.error] };
  const note = checkedNote.value;
  if (!input.approve && !note) return fail('INVALID', 'A rejection needs a note telling the brand why.', field('note'));

  const reviewed = await approvalConflicts(deps, trademark, input.approve, async (tx) => {
    // The status guard makes concurrent reviews of one trademark decide once.
    const { count } = await tx.trademark.updateMany({
      where: { id: trademark.id, status: 'SUBMITTED' },
      data: { status: input.approve ? 'APPROVED' : 'REJECTED', reviewNote: note, reviewedById: reviewer.id, reviewedAt: now },
    });
    if (count === 0) return null;
    await recordAudit(tx, {
      actorId: reviewer.id,
      action: input.approve ? 'trademark.approved' : 'trademark.rejected',
      entityType: 'Trademark',
      entityId: trademark.id,
      reason: note,
    });
    if (input.approve) await refreshBrandStatus(tx, trademark.brandId, now, 'trademark approved');
    // The brand's timer follows its trademarks: it wakes when this one starts or ends.
    if (input.approve) await deps.workflows.brandTrademarksChanged(tx, trademark.brandId);
    return tx.trademark.findUniqueOrThrow({ where: { id: trademark.id } });
  });
  if (reviewed && 'conflict' in reviewed) return fail('CONFLICT', reviewed.conflict, field('id'));
  if (!reviewed) return fail('NOT_ALLOWED_IN_STATE', 'The trademark was reviewed by someone else just now.', field('id'));
  return ok(reviewed);
}
