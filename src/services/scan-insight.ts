import { Prisma } from '@prisma/client';
import { z } from 'zod';
import type { Access } from '../auth/access.js';
import { ok, type Result } from '../errors.js';
import { recordAudit } from './audit.js';
import { addProblem, parseInput } from './input-validation.js';
import type { ServiceDeps } from './service-deps.js';

// What the checks of a brand's product codes tell it: which SKUs and batches
// are checked, and how often the same code is checked again (the sign of a
// copied code). Every list is one GROUP BY or ORDER BY … LIMIT statement.

/** Proof that the caller may see a brand's scan insight; only `scanInsightOf` makes one. */
export interface ScanInsightScope {
  readonly brandId: string;
  readonly __scanInsight: true;
}

export interface ScanCounts {
  codesRegistered: number;
  /** Codes checked at least once. */
  codesChecked: number;
  /** Codes checked more than once: the clone signal. */
  codesCheckedRepeatedly: number;
  totalChecks: number;
  firstCheckedAt: Date | null;
  lastCheckedAt: Date | null;
}

export interface SkuScanCounts extends ScanCounts {
  sku: string;
}

export interface ProductBatchAssignment {
  batch: string;
  distributorName: string;
  distributorReference: string | null;
  assignedAt: Date;
}

export interface BatchScanCounts extends ScanCounts {
  /** Null for the codes registered without a batch. */
  batch: string | null;
  assignment: ProductBatchAssignment | null;
}

export interface RepeatedProductCode {
  id: string;
  sku: string;
  batch: string | null;
  status: 'ACTIVE' | 'REVOKED';
  verificationCount: number;
  firstVerifiedAt: Date | null;
  lastVerifiedAt: Date | null;
}

export async function scanInsightOf(access: Access, brandId: string): Promise<ScanInsightScope> {
  await access.requireBrandMember(brandId, 'scanInsight.view');
  return { brandId, __scanInsight: true };
}

const COUNTS = Prisma.sql`
  count(*)::int AS "codesRegistered",
  count(*) FILTER (WHERE p."verificationCount" > 0)::int AS "codesChecked",
  count(*) FILTER (WHERE p."verificationCount" > 1)::int AS "codesCheckedRepeatedly",
  COALESCE(sum(p."verificationCount"), 0)::float8 AS "totalChecks",
  min(p."firstVerifiedAt") AT TIME ZONE 'UTC' AS "firstCheckedAt",
  max(p."lastVerifiedAt") AT TIME ZONE 'UTC' AS "lastCheckedAt"`;

// The groups most worth a look first: most codes checked again, then most checks.
const BUSIEST_FIRST = Prisma.sql`"codesCheckedRepeatedly" DESC, "totalChecks" DESC`;

export async function scanTotals(deps: ServiceDeps, scope: ScanInsightScope): Promise<ScanCounts> {
  const [row] = await deps.db.$queryRaw<ScanCounts[]>`
    SELECT ${COUNTS} FROM "ProductCode" p WHERE p."brandId" = ${scope.brandId}::uuid`;
  return row!;
}

export function scanCountsBySku(deps: ServiceDeps, scope: ScanInsightScope, limit: number): Promise<SkuScanCounts[]> {
  return deps.db.$queryRaw<SkuScanCounts[]>`
    SELECT p."sku", ${COUNTS}
    FROM "ProductCode" p WHERE p."brandId" = ${scope.brandId}::uuid
    GROUP BY p."sku"
    ORDER BY ${BUSIEST_FIRST}, p."sku"
    LIMIT ${limit}`;
}

interface BatchRow extends ScanCounts {
  batch: string | null;
  distributorName: string | null;
  distributorReference: string | null;
  assignedAt: Date | null;
}

export async function scanCountsByBatch(deps: ServiceDeps, scope: ScanInsightScope, limit: number): Promise<BatchScanCounts[]> {
  const rows = await deps.db.$queryRaw<BatchRow[]>`
    SELECT g.*, b."distributorName", b."distributorReference", b."assignedAt" AT TIME ZONE 'UTC' AS "assignedAt"
    FROM (
      SELECT p."batch", ${COUNTS}
      FROM "ProductCode" p WHERE p."brandId" = ${scope.brandId}::uuid
      GROUP BY p."batch"
      ORDER BY ${BUSIEST_FIRST}, p."batch" NULLS LAST
      LIMIT ${limit}
    ) g
    LEFT JOIN "ProductBatch" b ON b."brandId" = ${scope.brandId}::uuid AND b."batch" = g."batch"
    ORDER BY ${BUSIEST_FIRST}, g."batch" NULLS LAST`;
  return rows.map(({ distributorName, distributorReference, assignedAt, ...counts }) => ({
    ...counts,
    assignment:
      counts.batch !== null && distributorName !== null && assignedAt !== null
        ? { batch: counts.batch, distributorName, distributorReference, assignedAt }
        : null,
  }));
}

/**
 * The codes checked most often, by id: codes are stored only as keyed hashes,
 * and the insight never shows more than the brand printed on its labels.
 */
export function mostRepeatedCodes(deps: ServiceDeps, scope: ScanInsightScope, limit: number): Promise<RepeatedProductCode[]> {
  return deps.db.$queryRaw<RepeatedProductCode[]>`
    SELECT p."id", p."sku", p."batch", p."status"::text AS "status", p."verificationCount",
           p."firstVerifiedAt" AT TIME ZONE 'UTC' AS "firstVerifiedAt", p."lastVerifiedAt" AT TIME ZONE 'UTC' AS "lastVerifiedAt"
    FROM "ProductCode" p
    WHERE p."brandId" = ${scope.brandId}::uuid AND p."verificationCount" > 1
    ORDER BY p."verificationCount" DESC, p."lastVerifiedAt" DESC, p."id"
    LIMIT ${limit}`;
}

export interface AssignProductBatchInput {
  brandId: string;
  batch: string;
  distributorName: string;
  distributorReference?: string | null;
}

const bounded = (name: string, max: number) =>
  z
    .string()
    .trim()
    .refine((value) => value.length >= 1 && value.length <= max, `The ${name} has 1 to ${max} characters.`);

const assignBatchSchema = z.object({
  // As registerProductCodes trims and bounds it.
  batch: bounded('batch', 64),
  distributorName: bounded('distributor name', 200),
  distributorReference: z
    .string()
    .nullish()
    .transform((value, ctx) => {
      const trimmed = value?.trim() ?? '';
      if (trimmed.length > 100) addProblem(ctx, 'LIMIT_EXCEEDED', 'The distributor reference has at most 100 characters.');
      return trimmed === '' ? null : trimmed;
    }),
});

/** Records which distributor a batch went to; assigning again replaces it. The batch must have codes. */
export async function assignProductBatch(
  deps: ServiceDeps,
  access: Access,
  input: AssignProductBatchInput,
): Promise<Result<ProductBatchAssignment>> {
  const actor = await access.requireBrandPermission(input.brandId, 'productCodes.manage');
  const parsed = parseInput(assignBatchSchema, input);
  if (!parsed.ok) return parsed;
  const { batch, distributorName, distributorReference } = parsed.value;
  const brandId = input.brandId;

  const known = await deps.db.productCode.findFirst({ where: { brandId, batch }, select: { id: true } });
  if (!known) {
    return { ok: false, errors: [{ code: 'NOT_FOUND', field: ['input', 'batch'], message: 'The brand has no codes in this batch.' }] };
  }
  const assignedAt = deps.clock();
  const saved = await deps.db.$transaction(async (tx) => {
    const row = await tx.productBatch.upsert({
      where: { brandId_batch: { brandId, batch } },
      create: { brandId, batch, distributorName, distributorReference, assignedAt, assignedById: actor.id },
      update: { distributorName, distributorReference, assignedAt, assignedById: actor.id },
    });
    await recordAudit(tx, {
      actorId: actor.id,
      action: 'product_batch.assigned',
      entityType: 'Brand',
      entityId: brandId,
      data: { batch, distributorName, distributorReference },
    });
    return row;
  });
  return ok({
    batch: saved.batch,
    distributorName: saved.distributorName,
    distributorReference: saved.distributorReference,
    assignedAt: saved.assignedAt,
  });
}

/** The brand's own clone-alert threshold, else the service's. */
export async function cloneAlertChecksOf(deps: ServiceDeps, scope: ScanInsightScope): Promise<number> {
  const own = await deps.db.brandScanSetting.findUnique({ where: { brandId: scope.brandId }, select: { cloneAlertChecks: true } });
  return own?.cloneAlertChecks ?? deps.config.PRODUCT_CODE_CLONE_ALERT_CHECKS;
}

export interface SetCloneAlertChecksInput {
  brandId: string;
  /** Null goes back to the service's PRODUCT_CODE_CLONE_ALERT_CHECKS. */
  checks: number | null;
}

const cloneAlertChecksSchema = z.object({
  checks: z
    .number()
    .int()
    .nullable()
    .superRefine((checks, ctx) => {
      if (checks !== null && (checks < 1 || checks > 1_000_000)) addProblem(ctx, 'INVALID', 'The threshold is 1 to 1,000,000 checks.');
    }),
});

/**
 * A brand whose items are checked often (shared displays, resold goods) can
 * allow more checks before an alert. It applies from the next check on: a
 * code already past the new threshold raises no alert.
 */
export async function setCloneAlertChecks(
  deps: ServiceDeps,
  access: Access,
  input: SetCloneAlertChecksInput,
): Promise<Result<{ cloneAlertChecks: number }>> {
  const actor = await access.requireBrandPermission(input.brandId, 'productCodes.manage');
  const parsed = parseInput(cloneAlertChecksSchema, input);
  if (!parsed.ok) return parsed;
  const { checks } = parsed.value;
  const brandId = input.brandId;
  await deps.db.$transaction(async (tx) => {
    if (checks === null) await tx.brandScanSetting.deleteMany({ where: { brandId } });
    else {
      const data = { cloneAlertChecks: checks, updatedAt: deps.clock(), updatedById: actor.id };
      await tx.brandScanSetting.upsert({ where: { brandId }, create: { brandId, ...data }, update: data });
    }
    await recordAudit(tx, {
      actorId: actor.id,
      action: 'product_codes.clone_alert_threshold_set',
      entityType: 'Brand',
      entityId: brandId,
      data: { cloneAlertChecks: checks },
    });
  });
  return ok({ cloneAlertChecks: checks ?? deps.config.PRODUCT_CODE_CLONE_ALERT_CHECKS });
}
