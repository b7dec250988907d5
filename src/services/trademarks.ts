import { Prisma, type Trademark } from '@prisma/client';
import { z } from 'zod';
import type { Access } from '../auth/access.js';
import { fail, ok, type Result, type UserError } from '../errors.js';
import { recordAudit } from './audit.js';
import { refreshBrandStatus } from './brand-status.js';
import { validityPeriod } from './cross-field-rules.js';
import { parseInput, requiredText } from './input-validation.js';
import { runReview, type ReviewInput, type ReviewSubject } from './review-flow.js';
import type { ServiceDeps } from './service-deps.js';
import { TEXT_RULES } from './text-limits.js';
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

const field = (name: string) => ['input', name];

const OFFICE = /^[A-Z]{2,12}$/;
const NICE_CLASSES = 'Nice classes are distinct numbers from 1 to 45, at least one.';

/** What a submission says about the registration, checked all at once; the certificate is checked as it is stored. */
export const trademarkInputSchema = (now: Date) =>
  z
    .object({
      registrationNumber: requiredText(TEXT_RULES.registrationNumber),
      office: z
        .string()
        .transform((office) => office.trim().toUpperCase())
        .refine((office) => OFFICE.test(office), 'The office is its acronym, e.g. USPTO, EUIPO, CNIPA, UKIPO or JPO.'),
      niceClasses: z
        .array(z.number())
        .refine(
          (classes) =>
            classes.length > 0 &&
            classes.every((c) => Number.isInteger(c) && c >= 1 && c <= 45) &&
            new Set(classes).size === classes.length,
          NICE_CLASSES,
        )
        .transform((classes) => [...classes].sort((a, b) => a - b)),
      holderName: requiredText(TEXT_RULES.holderName),
      validFrom: z.date(),
      validUntil: z.date(),
    })
    .superRefine(...validityPeriod(now, 'This registration has already expired.'));

export async function submitTrademark(deps: ServiceDeps, access: Access, input: SubmitTrademarkInput): Promise<Result<Trademark>> {
  // Membership first: an unknown brand id is FORBIDDEN like another brand's.
  const actor = await access.requireBrandPermission(input.brandId, 'trademarks.submit');
  const brand = { id: input.brandId };

  const parsed = parseInput(trademarkInputSchema(deps.clock()), input);
  if (!parsed.ok) return parsed;
  const { office, registrationNumber, niceClasses, holderName, validFrom, validUntil } = parsed.value;

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
          niceClasses,
          holderName,
          validFrom,
          validUntil,
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

const conflict = (holder: { brandId: string }, trademark: Trademark): UserError => ({
  code: 'CONFLICT',
  field: field('id'),
  message:
    holder.brandId === trademark.brandId
      ? 'This registration is already approved for this brand.'
      : 'This registration is already proven by another brand.',
});

/**
 * A registration proves one brand. An approval re-checks that at decision time
 * and, for two approvals racing, the partial unique index lets one through; the
 * other is answered CONFLICT. Neither answer names the other brand.
 */
const trademarkReview = (deps: ServiceDeps): ReviewSubject<Trademark, void, void> => ({
  noun: 'trademark',
  notFound: 'No trademark has this id.',
  toldOnRejection: 'brand',
  entityType: 'Trademark',
  auditPrefix: 'trademark',
  load: (id) => deps.db.trademark.findUnique({ where: { id } }),
  // Brand members are refused by the flow; a trademark has no other party.
  partyRefusal: async () => null,
  decide: async (tx, id, data) => (await tx.trademark.updateMany({ where: { id, status: 'SUBMITTED' }, data })).count,
  reload: (tx, id) => tx.trademark.findUniqueOrThrow({ where: { id } }),
  approval: {
    async check(trademark) {
      const holder = await approvedHolder(deps.db, trademark);
      return holder ? conflict(holder, trademark) : null;
    },
    async apply({ tx, row, now }) {
      await refreshBrandStatus(tx, row.brandId, now, 'trademark approved');
      // The brand's timer follows its trademarks (it wakes when this one starts or ends); the outbox relay tells it.
      await deps.workflows.brandTrademarksChanged(tx, row.brandId);
    },
  },
  async refusalFor(error, trademark) {
    if (!(error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002')) return null;
    const winner = await approvedHolder(deps.db, trademark);
    return winner ? conflict(winner, trademark) : null;
  },
});

export async function reviewTrademark(deps: ServiceDeps, access: Access, input: ReviewInput): Promise<Result<Trademark>> {
  const reviewed = await runReview(deps, access, input, trademarkReview(deps));
  if (!reviewed.ok) return reviewed;
  return ok(reviewed.value.row);
}
