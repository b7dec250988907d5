import { randomUUID } from 'node:crypto';
import type { AuthorizationLetter } from '@prisma/client';
import type { Access } from '../auth/access.js';
import { authorizationCertificatePdf } from '../documents/authorization-certificate.js';
import { fail, type Result, type UserError } from '../errors.js';
import { recordAudit } from './audit.js';
import { letterInputSchema } from './authorization-letters.js';
import { badgeSigning, issueBadge } from './badge-issuance.js';
import { parseInput } from './input-validation.js';
import type { ServiceDeps } from './service-deps.js';
import { StatusListsFull } from './status-lists.js';
import { withStoredDocument } from './uploaded-files.js';

// A brand authorizes a store directly, online. The brand is VERIFIED and holds
// the trademark, so there is nothing for a reviewer to check: the authorization
// is APPROVED as it is issued, and the store's badge is issued with it through
// the same issuance (status list place, signed credential, lifecycle workflow
// started by the outbox). It is recorded as a depth-1 letter whose document is
// a certificate the service generates, so every letter has its document and
// revocation, expiry and chains treat it like an uploaded one.

export interface AuthorizeStoreInput {
  brandId: string;
  storeId: string;
  scope: string;
  validFrom: Date;
  validUntil: Date;
  allowSubLicensing?: boolean | null;
}

const field = (name: string) => ['input', name];

/** Thrown inside the issuing transaction when a letter for the pair was committed meanwhile; the document is discarded. */
class AlreadyAuthorized extends Error {
  constructor(readonly error: UserError) {
    super(error.message);
  }
}

/** The live letter that already authorizes (or asks to authorize) the store for the brand, as a userError. */
function alreadyAuthorized(existing: Pick<AuthorizationLetter, 'status' | 'chainDepth'>): UserError {
  const message =
    existing.status === 'APPROVED'
      ? 'The store is already authorized for this brand; revoke that authorization first to issue a new one.'
      : `The store has a ${existing.chainDepth === 1 ? 'letter' : 'sub-letter'} for this brand awaiting review; ` +
        'confirm it (confirmAuthorization) or revoke it before authorizing the store directly.';
  return { code: 'CONFLICT', field: field('storeId'), message };
}

const findLiveLetter = (db: Pick<ServiceDeps['db'], 'authorizationLetter'>, storeId: string, brandId: string) =>
  db.authorizationLetter.findFirst({
    where: { storeId, brandId, status: { in: ['APPROVED', 'SUBMITTED'] } },
    select: { status: true, chainDepth: true },
  });

export async function authorizeStore(deps: ServiceDeps, access: Access, input: AuthorizeStoreInput): Promise<Result<AuthorizationLetter>> {
  // An unknown brand is refused like another brand: nobody learns which brand ids exist.
  const actor = await access.requireBrandMember(input.brandId, 'stores.authorize');
  const now = deps.clock();
  const parsed = parseInput(letterInputSchema(now), input);
  if (!parsed.ok) return parsed;
  const { scope, validFrom, validUntil } = parsed.value;
  const allowsSubLicensing = input.allowSubLicensing ?? false;

  const [brand, store, trademark] = await Promise.all([
    deps.db.brand.findUniqueOrThrow({ where: { id: input.brandId }, select: { id: true, name: true, status: true } }),
    deps.db.store.findUnique({ where: { id: input.storeId }, select: { id: true, name: true, status: true } }),
    coveringTrademark(deps, input.brandId, now),
  ]);
  if (!store) return fail('NOT_FOUND', 'No store has this id.', field('storeId'));
  if (brand.status !== 'VERIFIED' || !trademark) {
    return fail('NOT_ALLOWED_IN_STATE', 'The brand is not VERIFIED, so it cannot authorize stores now.', field('brandId'));
  }
  const errors: UserError[] = [];
  if (store.status !== 'ACTIVE') errors.push({ code: 'NOT_ALLOWED_IN_STATE', field: field('storeId'), message: 'The store is suspended.' });
  if (validFrom < trademark.validFrom) {
    errors.push({
      code: 'INVALID',
      field: field('validFrom'),
      message: `The brand's trademark is valid from ${trademark.validFrom.toISOString()}; an authorization can't start before it.`,
    });
  }
  if (validUntil > trademark.validUntil) {
    errors.push({
      code: 'INVALID',
      field: field('validUntil'),
      message: `The brand's trademark is valid until ${trademark.validUntil.toISOString()}; an authorization can't outlast it.`,
    });
  }
  const existing = await findLiveLetter(deps.db, store.id, brand.id);
  if (existing) errors.push(alreadyAuthorized(existing));
  if (errors.length > 0) return { ok: false, errors };

  const letterId = randomUUID();
  const certificate = await authorizationCertificatePdf({
    letterId,
    brandName: brand.name,
    storeName: store.name,
    scope,
    validFrom,
    validUntil,
    issuedAt: now,
    issuedBy: actor.displayName ?? actor.subject,
    allowsSubLicensing,
  });
  const file = new File([Buffer.from(certificate)], `authorization-certificate-${letterId}.pdf`, { type: 'application/pdf' });

  try {
    return await withStoredDocument(
      deps,
      actor.id,
      file,
      {
        accept: ['application/pdf'],
        maxBytes: deps.config.DOCUMENT_MAX_BYTES,
        keyPrefix: 'authorization-letters',
        field: field('brandId'),
      },
      async (tx, documentId) => {
        // One authorization per store and brand: concurrent issues for the store queue on its row.
        await tx.$queryRaw`SELECT id FROM "Store" WHERE id = ${store.id}::uuid FOR UPDATE`;
        const raced = await findLiveLetter(tx, store.id, brand.id);
        if (raced) throw new AlreadyAuthorized(alreadyAuthorized(raced));
        const letter = await tx.authorizationLetter.create({
          data: {
            id: letterId,
            brandId: brand.id,
            storeId: store.id,
            chainDepth: 1,
            scope,
            validFrom,
            validUntil,
            documentId,
            origin: 'BRAND_ISSUED',
            status: 'APPROVED',
            brandConfirmation: 'CONFIRMED',
            allowsSubLicensing,
          },
        });
        await recordAudit(tx, {
          actorId: actor.id,
          action: 'letter.issued_by_brand',
          entityType: 'AuthorizationLetter',
          entityId: letter.id,
          data: {
            storeId: store.id,
            scope,
            validFrom: validFrom.toISOString(),
            validUntil: validUntil.toISOString(),
            allowsSubLicensing,
            documentId,
          },
          at: now,
        });
        // The badge ends with whichever ends first: the authorization or the brand's trademark.
        const expiresAt = new Date(Math.min(validUntil.getTime(), trademark.validUntil.getTime()));
        const badge = await issueBadge(
          tx,
          badgeSigning(deps),
          { storeId: store.id, brandId: brand.id, kind: 'AUTHORIZED_STORE', expiresAt, letterId: letter.id },
          actor.id,
          now,
        );
        await deps.workflows.badgeIssued(tx, badge);
        return letter;
      },
    );
  } catch (error) {
    if (error instanceof AlreadyAuthorized) return { ok: false, errors: [error.error] };
    if (error instanceof StatusListsFull) return fail('LIMIT_EXCEEDED', error.message, field('storeId'));
    throw error;
  }
}

/** The approved trademark that proves the brand now, the one valid longest (as badge issuance reads it). */
function coveringTrademark(deps: ServiceDeps, brandId: string, now: Date) {
  return deps.db.trademark.findFirst({
    where: { brandId, status: 'APPROVED', validFrom: { lte: now }, validUntil: { gt: now } },
    orderBy: { validUntil: 'desc' },
    select: { validFrom: true, validUntil: true },
  });
}
