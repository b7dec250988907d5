import type { ComplaintStatus, Verdict } from '@prisma/client';
import type { Db } from '../db/client.js';
import { directSql, type NamedStatement } from '../db/direct-sql.js';
import type { PartySide, RulesState } from '../../workflows/complaint-rules.js';

// Every complaint step reads the complaint, its store's owner, its photos per
// side and any open request for more information before it asks the workflow:
// one statement on the direct pool rather than three Prisma queries, as each
// step of every complaint runs it. The request is looked for only while the
// complaint waits for information, as its row says.
const COMMAND_STATE_STATEMENT: NamedStatement = {
  name: 'complaint-command-state',
  text: `
    SELECT c."id"::text AS "id", c."consumerId"::text AS "consumerId", c."storeId"::text AS "storeId", c."brandId"::text AS "brandId",
           s."ownerId"::text AS "storeOwnerId", c."status"::text AS "status", c."assignedReviewerId"::text AS "assignedReviewerId",
           c."decidedById"::text AS "decidedById", c."appealedByRole"::text AS "appealedByRole", c."verdict"::text AS "verdict",
           e."consumer", e."merchant", e."brand", r."side"::text AS "requestSide",
           (SELECT count(*) FROM "Evidence" b
             WHERE b."complaintId" = c."id" AND b."uploadedByRole" = r."side" AND b."createdAt" < r."requestedAt")::int AS "evidenceBefore"
    FROM "Complaint" c
    JOIN "Store" s ON s."id" = c."storeId"
    CROSS JOIN LATERAL (
      SELECT count(*) FILTER (WHERE "uploadedByRole" = 'CONSUMER')::int AS "consumer",
             count(*) FILTER (WHERE "uploadedByRole" = 'MERCHANT')::int AS "merchant",
             count(*) FILTER (WHERE "uploadedByRole" = 'BRAND')::int AS "brand"
      FROM "Evidence" WHERE "complaintId" = c."id"
    ) e
    LEFT JOIN LATERAL (
      SELECT q."side", q."requestedAt" FROM "ComplaintInformationRequest" q
      WHERE q."complaintId" = c."id" AND q."answeredAt" IS NULL AND q."expiredAt" IS NULL AND c."informationDueAt" IS NOT NULL
      ORDER BY q."requestedAt" DESC LIMIT 1
    ) r ON true
    WHERE c."id" = $1::text::uuid`,
};

interface CommandStateRow {
  id: string;
  consumerId: string;
  storeId: string;
  brandId: string | null;
  storeOwnerId: string;
  status: ComplaintStatus;
  assignedReviewerId: string | null;
  decidedById: string | null;
  appealedByRole: string | null;
  verdict: Verdict | null;
  consumer: number;
  merchant: number;
  brand: number;
  requestSide: string | null;
  evidenceBefore: number;
}

/** A complaint as a command sees it: who its parties are, and the state its rules are checked against. */
export interface ComplaintForCommand {
  id: string;
  consumerId: string;
  storeId: string;
  brandId: string | null;
  storeOwnerId: string;
  rules: RulesState;
}

/** The complaint from its row (the workflow writes the row before its own state moves on), or null when no complaint has this id. */
export async function loadComplaintForCommand(db: Db, complaintId: string): Promise<ComplaintForCommand | null> {
  const [row] = await directSql(db).rows<CommandStateRow>(COMMAND_STATE_STATEMENT, [complaintId]);
  if (!row) return null;
  const requestSide = row.requestSide as PartySide | null;
  return {
    id: row.id,
    consumerId: row.consumerId,
    storeId: row.storeId,
    brandId: row.brandId,
    storeOwnerId: row.storeOwnerId,
    rules: {
      status: row.status,
      consumerId: row.consumerId,
      storeOwnerId: row.storeOwnerId,
      assignedReviewerId: row.assignedReviewerId,
      deciderIds: row.decidedById ? [row.decidedById] : [],
      appealed: row.appealedByRole !== null,
      verdict: row.verdict,
      evidence: { CONSUMER: row.consumer, MERCHANT: row.merchant, BRAND: row.brand },
      appealedBy: row.appealedByRole === 'CONSUMER' || row.appealedByRole === 'MERCHANT' ? row.appealedByRole : null,
      informationRequest: requestSide ? { side: requestSide, evidenceBefore: row.evidenceBefore } : null,
    },
  };
}
