-- Brand teams: a member's role, and invitations that bring people into the team.
CREATE TYPE "BrandMemberRole" AS ENUM ('OWNER', 'MANAGER', 'AGENT');

CREATE TYPE "BrandInvitationStatus" AS ENUM ('PENDING', 'ACCEPTED', 'DECLINED', 'CANCELLED', 'EXPIRED');

-- Every member so far registered their brand, so each existing row is an owner,
-- the default also keeps older code that inserts members without a role correct.
ALTER TABLE "BrandMember" ADD COLUMN IF NOT EXISTS "role" "BrandMemberRole" NOT NULL DEFAULT 'OWNER';

CREATE TABLE IF NOT EXISTS "BrandInvitation" (
  "id"             UUID NOT NULL,
  "brandId"        UUID NOT NULL,
  "inviteeSubject" TEXT NOT NULL,
  "role"           "BrandMemberRole" NOT NULL,
  "status"         "BrandInvitationStatus" NOT NULL DEFAULT 'PENDING',
  "invitedById"    UUID NOT NULL,
  "createdAt"      TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "expiresAt"      TIMESTAMP(3) NOT NULL,
  "respondedAt"    TIMESTAMP(3),
  "respondedById"  UUID,

  CONSTRAINT "BrandInvitation_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "BrandInvitation_brandId_fkey" FOREIGN KEY ("brandId") REFERENCES "Brand"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT "BrandInvitation_invitedById_fkey" FOREIGN KEY ("invitedById") REFERENCES "Actor"("id") ON DELETE RESTRICT ON UPDATE CASCADE,
  CONSTRAINT "BrandInvitation_respondedById_fkey" FOREIGN KEY ("respondedById") REFERENCES "Actor"("id") ON DELETE SET NULL ON UPDATE CASCADE
);

CREATE INDEX IF NOT EXISTS "BrandInvitation_brandId_status_idx" ON "BrandInvitation"("brandId", "status");
CREATE INDEX IF NOT EXISTS "BrandInvitation_inviteeSubject_status_idx" ON "BrandInvitation"("inviteeSubject", "status");
-- One open invitation per person and brand: an expired one is closed (EXPIRED) before a new one is made.
CREATE UNIQUE INDEX IF NOT EXISTS "BrandInvitation_one_pending" ON "BrandInvitation"("brandId", "inviteeSubject") WHERE "status" = 'PENDING';
