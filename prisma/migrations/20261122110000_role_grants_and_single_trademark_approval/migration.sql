-- AlterTable
ALTER TABLE "Actor" ADD COLUMN     "displayName" TEXT;

-- CreateTable
CREATE TABLE "RoleGrant" (
    "id" UUID NOT NULL,
    "actorId" UUID NOT NULL,
    "role" "Role" NOT NULL,
    "reason" TEXT NOT NULL,
    "grantedById" UUID,
    "grantedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMP(3),
    "revokedById" UUID,
    "revokeReason" TEXT,

    CONSTRAINT "RoleGrant_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "RoleGrant_actorId_idx" ON "RoleGrant"("actorId");

-- AddForeignKey
ALTER TABLE "RoleGrant" ADD CONSTRAINT "RoleGrant_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "Actor"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RoleGrant" ADD CONSTRAINT "RoleGrant_grantedById_fkey" FOREIGN KEY ("grantedById") REFERENCES "Actor"("id") ON DELETE SET NULL ON UPDATE CASCADE;


-- Hand-written: Prisma's schema can't express partial indexes.

-- One live grant per actor and role (revoked grants stay as history).
CREATE UNIQUE INDEX "RoleGrant_one_live_per_actor_role" ON "RoleGrant"("actorId", "role") WHERE "revokedAt" IS NULL;

-- A registration (office and number) proves one brand: two reviewers approving
-- it for two brands at once can't both succeed. The service checks first and
-- answers CONFLICT, and this index settles the race. A database that already holds
-- two approvals of one registration stops this migration: reject one of them first.
CREATE UNIQUE INDEX "Trademark_one_approved_per_registration" ON "Trademark"("office", "registrationNumber")
  WHERE "status" = 'APPROVED';
