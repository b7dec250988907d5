import { createHmac } from 'node:crypto';
import type { Brand } from '@prisma/client';
import type { Access } from '../auth/access.js';
import { fail, ok, type Result, type UserError } from '../errors.js';
import { recordAudit } from './audit.js';
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

const field = (...path: string[]) => ['input', ...path];

export const normalizeCode = (code: string) => code.trim();

export const isValidCode = (normalized: string) => CODE.test(normalized);

/** Keyed, so a leaked table can't be matched against guessed codes without the secret. */
export function hashProductCode(secret: string, normalized: string): string {
  return createHmac('sha256', secret).update(normalized, 'utf8').digest('hex');
}

/** The distinct hashes of the codes, or userErrors naming the first bad ones. */
function hashCodes(secret: string, codes: string[]): Result<string[]> {
  if (codes.length === 0) return fail('INVALID', 'Send at least one code.', field('codes'));
  if (codes.length > MAX_CODES_PER_CALL) {
    return fail('LIMIT_EXCEEDED', `At most ${MAX_CODES_PER_CALL} codes per call; this one has ${codes.length}.`, field('codes'));
  }
  const errors: UserError[] = [];
  let invalid = 0;
  const hashes = new Set<string>();
  codes.forEach((code, index) => {
    const normalized = normalizeCode(code);
    if (isValidCode(normalized)) {
      hashes.add(hashProductCode(secret, normalized));
      return;
    }
    invalid += 1;
    if (errors.length < MAX_CODE_ERRORS) {
      errors.push({
        code: 'INVALID',
        field: field('codes', String(index)),
        message: 'A code has 4 to 128 printable ASCII characters and no spaces.',
      });
    }
  });
  if (invalid > errors.length) {
    errors.push({ code: 'INVALID', field: field('codes'), message: `${invalid - errors.length} more codes are invalid.` });
  }
  return errors.length > 0 ? { ok: false, errors } : ok([...hashes]);
}

function validateLabel(value: string, name: string): UserError | null {
  return value.length >= 1 && value.length <= 64
    ? null
    : { code: 'INVALID', field: field(name), message: `The ${name} has 1 to 64 characters.` };
}

export async function registerProductCodes(
  deps: ServiceDeps,
  access: Access,
  input: RegisterProductCodesInput,
): Promise<Result<RegisteredProductCodes>> {
  // Membership first: an unknown brand id is FORBIDDEN like another brand's.
  const actor = await access.requireBrandMember(input.brandId);
  const brandId = input.brandId;

  const sku = input.sku.trim();
  const batch = input.batch?.trim() ?? null;
  const labelErrors = [validateLabel(sku, 'sku'), batch === null ? null : validateLabel(batch, 'batch')].filter((e) => e !== null);
  if (labelErrors.length > 0) return { ok: false, errors: labelErrors };
  const hashed = hashCodes(deps.config.PRODUCT_CODE_HMAC_SECRET, input.codes);
  if (!hashed.ok) return hashed;

  const registered = await deps.db.$transaction(
    async (tx) => {
      // One statement with the hashes as a single array parameter: createMany
      // builds 10,000 rows of bind values and takes seconds. ON CONFLICT makes
      // concurrent registrations of one code insert it once.
      const count = await tx.$executeRaw`
        INSERT INTO "ProductCode" ("id", "brandId", "sku", "batch", "codeHash", "createdAt")
        SELECT gen_random_uuid(), ${brandId}::uuid, ${sku}, ${batch}, hash, now() AT TIME ZONE 'UTC'
        FROM unnest(${hashed.value}::text[]) AS hash
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
  );
  return ok(registered);
}

export async function revokeProductCodes(
  deps: ServiceDeps,
  access: Access,
  input: RevokeProductCodesInput,
): Promise<Result<{ revoked: number }>> {
  // Membership first: an unknown brand id is FORBIDDEN like another brand's.
  const actor = await access.requireBrandMember(input.brandId);
  const brandId = input.brandId;
  const hashed = hashCodes(deps.config.PRODUCT_CODE_HMAC_SECRET, input.codes);
  if (!hashed.ok) return hashed;

  const revoked = await deps.db.$transaction(
    async (tx) => {
      // An array parameter for the same reason as in registerProductCodes.
      const count = await tx.$executeRaw`
        UPDATE "ProductCode" SET "status" = 'REVOKED'
        WHERE "brandId" = ${brandId}::uuid AND "codeHash" = ANY(${hashed.value}::text[]) AND "status" = 'ACTIVE'`;
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
  );
  return ok({ revoked });
}

interface VerifiedRow {
  sku: string;
  status: string;
  firstVerifiedAt: Date | null;
  verificationCount: number;
}

/** Public. Every check of a known code counts, revoked ones included. */
export async function verifyProductCode(deps: ServiceDeps, brandSlug: string, code: string): Promise<ProductCodeVerification> {
  const unknown = (brand: Brand | null): ProductCodeVerification => ({
    result: 'UNKNOWN',
    brand,
    sku: null,
    firstVerifiedAt: null,
    verificationCount: 0,
  });
  const brand = await deps.db.brand.findUnique({ where: { slug: brandSlug.trim() } });
  if (!brand) return unknown(null);
  const normalized = normalizeCode(code);
  if (!isValidCode(normalized)) return unknown(brand);
  const codeHash = hashProductCode(deps.config.PRODUCT_CODE_HMAC_SECRET, normalized);

  // One statement counts and reads, so concurrent checks each see their own
  // count and exactly one of them sees 1. Times are stored in UTC, as Prisma does.
  const rows = await deps.db.$queryRaw<VerifiedRow[]>`
    UPDATE "ProductCode"
    SET "verificationCount" = "verificationCount" + 1,
        "firstVerifiedAt" = COALESCE("firstVerifiedAt", now() AT TIME ZONE 'UTC'),
        "lastVerifiedAt" = now() AT TIME ZONE 'UTC'
    WHERE "brandId" = ${brand.id}::uuid AND "codeHash" = ${codeHash}
    RETURNING "sku", "status"::text AS "status", "firstVerifiedAt", "verificationCount"`;
  const row = rows[0];
  if (!row) return unknown(brand);

  const count = Number(row.verificationCount);
  const result: ProductCodeResult = row.status === 'REVOKED' ? 'REVOKED' : count === 1 ? 'GENUINE' : 'GENUINE_REPEATED';
  return { result, brand, sku: row.sku, firstVerifiedAt: row.firstVerifiedAt, verificationCount: count };
}
