import { createHmac } from 'node:crypto';
import type { Brand } from '@prisma/client';
import type { Access } from '../auth/access.js';
import { z } from 'zod';
import { isConnectionLost } from '../db/connection-lost.js';
import { directSql } from '../db/direct-sql.js';
import { UnavailableError, ok, type Result } from '../errors.js';
import { recordAudit } from './audit.js';
import { publishCloneAlert } from './clone-alerts.js';
import { brandOfColumns, type BrandColumns } from './brand-columns.js';
import { addProblem, parseInput } from './input-validation.js';
import type { ServiceDeps } from './service-deps.js';

export const MAX_CODES_PER_CALL = 10_000;
// Enough to show what is wrong without turning 10,000 bad codes into a huge payload.
const MAX_CODE_ERRORS = 20;
// Printable ASCII only: Unicode look-alikes and normalization forms would let one
// printed code hash two ways, and a verification would then miss it.
const CODE = /^[\x21-\x7E]{4,128}$/;

export interface RegisterProductCodesInput {
  brandId: string;
  sku: string;
  batch?: string | null;
  codes: string[];
}

export interface RevokeProductCodesInput {
  brandId: string;
  codes: string[];
}

export interface RegisteredProductCodes {
  /** Rows newly inserted. */
  registered: number;
  /** Codes repeated within the call or already registered for the brand. */
  duplicates: number;
}

export type ProductCodeResult = 'GENUINE' | 'GENUINE_REPEATED' | 'UNKNOWN' | 'REVOKED';

export interface ProductCodeVerification {
  result: ProductCodeResult;
  brand: Brand | null;
  sku: string | null;
  firstVerifiedAt: Date | null;
  verificationCount: number;
}

export const normalizeCode = (code: string) => code.trim();

export const isValidCode = (normalized: string) => CODE.test(normalized);

/** Keyed, so a leaked table can't be matched against guessed codes without the secret. */
export function hashProductCode(secret: string, normalized: string): string {
  return createHmac('sha256', secret).update(normalized, 'utf8').digest('hex');
}

/**
 * The codes of one call, trimmed and distinct. A bad code is named by its
 * index; past the first few, the rest are counted in one problem.
 */
const codesSchema = z
  .array(z.string())
  .superRefine((codes, ctx) => {
    if (codes.length === 0) return addProblem(ctx, 'INVALID', 'Send at least one code.');
    if (codes.length > MAX_CODES_PER_CALL) {
      return addProblem(ctx, 'LIMIT_EXCEEDED', `At most ${MAX_CODES_PER_CALL} codes per call; this one has ${codes.length}.`);
    }
    let invalid = 0;
    codes.forEach((code, index) => {
      if (isValidCode(normalizeCode(code))) return;
      invalid += 1;
      if (invalid <= MAX_CODE_ERRORS) addProblem(ctx, 'INVALID', 'A code has 4 to 128 printable ASCII characters and no spaces.', [index]);
    });
    if (invalid > MAX_CODE_ERRORS) addProblem(ctx, 'INVALID', `${invalid - MAX_CODE_ERRORS} more codes are invalid.`);
  })
  .transform((codes) => [...new Set(codes.map(normalizeCode))]);

const label = (name: string) =>
  z
    .string()
    .trim()
    .refine((value) => value.length >= 1 && value.length <= 64, `The ${name} has 1 to 64 characters.`);

export const registerCodesSchema = z.object({
  sku: label('sku'),
  batch: label('batch')
    .nullish()
    .transform((batch) => batch ?? null),
  codes: codesSchema,
});

export const revokeCodesSchema = z.object({ codes: codesSchema });

const hashesOf = (secret: string, codes: string[]) => codes.map((code) => hashProductCode(secret, code));

/**
 * A batch is one transaction, so a connection lost under it leaves all of the
 * batch or none. Which one the client can't know (the commit itself may have
 * been cut off), but sending the same batch again is safe either way.
 */
function retryableWhenConnectionLost(what: string) {
  return (error: unknown): never => {
    if (isConnectionLost(error)) {
      throw new UnavailableError(
        `The database connection dropped while ${what}; send the same codes again (codes already registered count as duplicates, revoked ones stay revoked).`,
        { cause: error },
      );
    }
    throw error;
  };
}

export async function registerProductCodes(
  deps: ServiceDeps,
  access: Access,
  input: RegisterProductCodesInput,
): Promise<Result<RegisteredProductCodes>> {
  // Membership first: an unknown brand id is FORBIDDEN like another brand's.
  const actor = await access.requireBrandPermission(input.brandId, 'productCodes.manage');
  const brandId = input.brandId;

  const parsed = parseInput(registerCodesSchema, input);
  if (!parsed.ok) return parsed;
  const { sku, batch, codes } = parsed.value;
  const hashes = hashesOf(deps.config.PRODUCT_CODE_HMAC_SECRET, codes);

  const registered = await deps.db
    .$transaction(
      async (tx) => {
        // One statement with the hashes as a single array parameter: createMany
        // builds 10,000 rows of bind values and takes seconds. ON CONFLICT makes
        // concurrent registrations of one code insert it once.
        const count = await tx.$executeRaw`
        INSERT INTO "ProductCode" ("id", "brandId", "sku", "batch", "codeHash", "createdAt")
        SELECT gen_random_uuid(), ${brandId}::uuid, ${sku}, ${batch}, hash, now() AT TIME ZONE 'UTC'
        FROM unnest(${hashes}::text[]) AS hash
        ON CONFLICT ("brandId", "codeHash") DO NOTHING`;
        const duplicates = input.codes.length - count;
        await recordAudit(tx, {
          actorId: actor.id,
          action: 'product_codes.registered',
          entityType: 'Brand',
          entityId: brandId,
          data: { sku, batch, registered: count, duplicates },
        });
        return { registered: count, duplicates };
      },
      // Room for a full batch on a busy database, beyond the default 5 s.
      { timeout: 30_000 },
    )
    .catch(retryableWhenConnectionLost('registering them'));
  return ok(registered);
}

export async function revokeProductCodes(
  deps: ServiceDeps,
  access: Access,
  input: RevokeProductCodesInput,
): Promise<Result<{ revoked: number }>> {
  // Membership first: an unknown brand id is FORBIDDEN like another brand's.
  const actor = await access.requireBrandPermission(input.brandId, 'productCodes.manage');
  const brandId = input.brandId;
  const parsed = parseInput(revokeCodesSchema, input);
  if (!parsed.ok) return parsed;
  const hashes = hashesOf(deps.config.PRODUCT_CODE_HMAC_SECRET, parsed.value.codes);

  const revoked = await deps.db
    .$transaction(
      async (tx) => {
        // An array parameter for the same reason as in registerProductCodes.
        const count = await tx.$executeRaw`
        UPDATE "ProductCode" SET "status" = 'REVOKED'
        WHERE "brandId" = ${brandId}::uuid AND "codeHash" = ANY(${hashes}::text[]) AND "status" = 'ACTIVE'`;
        if (count > 0) {
          await recordAudit(tx, {
            actorId: actor.id,
            action: 'product_codes.revoked',
            entityType: 'Brand',
            entityId: brandId,
            data: { requested: input.codes.length, revoked: count },
          });
        }
        return count;
      },
      { timeout: 30_000 },
    )
    .catch(retryableWhenConnectionLost('revoking them'));
  return ok({ revoked });
}

interface VerifiedRow extends BrandColumns {
  sku: string | null;
  status: string | null;
  firstVerifiedAt: Date | null;
  verificationCount: number | null;
  /** Set only for the one check that took the code past the clone threshold. */
  cloneAlertId: string | null;
}

// One statement finds the brand, counts and reads, so concurrent checks each
// see their own count and exactly one of them sees 1. Times are stored in UTC,
// as Prisma does, and read back as timestamptz so the driver need not guess.
// The same statement records the clone alert of the one check whose count is
// the threshold (the brand's own, else $3) plus one: atomic with the count,
// and a no-op otherwise.
const VERIFY_STATEMENT = {
  name: 'verify-product-code-with-clone-alert',
  text: `
    WITH brand AS (
      SELECT b."id", b."slug", b."name", b."status", b."createdAt", b."updatedAt",
             COALESCE(s."cloneAlertChecks", $3::int) AS "cloneAlertChecks"
      FROM "Brand" b LEFT JOIN "BrandScanSetting" s ON s."brandId" = b."id"
      WHERE b."slug" = $1
    ), counted AS (
      UPDATE "ProductCode" p
      SET "verificationCount" = p."verificationCount" + 1,
          "firstVerifiedAt" = COALESCE(p."firstVerifiedAt", now() AT TIME ZONE 'UTC'),
          "lastVerifiedAt" = now() AT TIME ZONE 'UTC'
      FROM brand
      WHERE p."brandId" = brand."id" AND p."codeHash" = $2
      RETURNING p."id", p."brandId", p."sku", p."status"::text AS "status", p."firstVerifiedAt", p."verificationCount"
    ), alerted AS (
      INSERT INTO "ProductCodeCloneAlert" ("id", "brandId", "productCodeId", "verificationCount", "threshold", "raisedAt")
      SELECT gen_random_uuid(), counted."brandId", counted."id", counted."verificationCount", brand."cloneAlertChecks", now() AT TIME ZONE 'UTC'
      FROM counted, brand WHERE counted."verificationCount" = brand."cloneAlertChecks" + 1
      ON CONFLICT ("productCodeId") DO NOTHING
      RETURNING "id"
    )
    SELECT brand."id" AS "brandId", brand."slug" AS "brandSlug", brand."name" AS "brandName", brand."status"::text AS "brandStatus",
           brand."createdAt" AT TIME ZONE 'UTC' AS "brandCreatedAt", brand."updatedAt" AT TIME ZONE 'UTC' AS "brandUpdatedAt",
           counted."sku", counted."status", counted."firstVerifiedAt" AT TIME ZONE 'UTC' AS "firstVerifiedAt", counted."verificationCount",
           alerted."id" AS "cloneAlertId"
    FROM brand LEFT JOIN counted ON true LEFT JOIN alerted ON true`,
};

/** Public. Every check of a known code counts, revoked ones included. */
export async function verifyProductCode(deps: ServiceDeps, brandSlug: string, code: string): Promise<ProductCodeVerification> {
  const normalized = normalizeCode(code);
  // An invalid code is looked up as no hash at all: it matches no row, and the brand is still answered.
  const codeHash = isValidCode(normalized) ? hashProductCode(deps.config.PRODUCT_CODE_HMAC_SECRET, normalized) : null;

  const rows = await directSql(deps.db).rows<VerifiedRow>(VERIFY_STATEMENT, [
    brandSlug.trim(),
    codeHash,
    deps.config.PRODUCT_CODE_CLONE_ALERT_CHECKS,
  ]);
  const row = rows[0];
  if (!row) return { result: 'UNKNOWN', brand: null, sku: null, firstVerifiedAt: null, verificationCount: 0 };
  const brand = brandOfColumns(row);
  if (row.sku === null || row.verificationCount === null) {
    return { result: 'UNKNOWN', brand, sku: null, firstVerifiedAt: null, verificationCount: 0 };
  }
  const count = Number(row.verificationCount);
  // The only extra statements a check can run, once per code.
  if (row.cloneAlertId) await publishCloneAlert(deps, row.cloneAlertId);
  const result: ProductCodeResult = row.status === 'REVOKED' ? 'REVOKED' : count === 1 ? 'GENUINE' : 'GENUINE_REPEATED';
  return { result, brand, sku: row.sku, firstVerifiedAt: row.firstVerifiedAt, verificationCount: count };
}
