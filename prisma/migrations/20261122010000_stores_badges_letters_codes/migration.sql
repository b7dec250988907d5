-- CreateEnum
CREATE TYPE "StoreStatus" AS ENUM ('ACTIVE', 'SUSPENDED');

-- CreateEnum
CREATE TYPE "BadgeKind" AS ENUM ('OFFICIAL_STORE', 'AUTHORIZED_STORE');

-- CreateEnum
CREATE TYPE "BadgeStatus" AS ENUM ('ACTIVE', 'SUSPENDED', 'REVOKED', 'EXPIRED');

-- CreateEnum
CREATE TYPE "AuthorizationStatus" AS ENUM ('SUBMITTED', 'APPROVED', 'REJECTED', 'REVOKED', 'EXPIRED');

-- CreateEnum
CREATE TYPE "BrandConfirmation" AS ENUM ('PENDING', 'CONFIRMED', 'DENIED');

-- CreateEnum
CREATE TYPE "ProductCodeStatus" AS ENUM ('ACTIVE', 'REVOKED');

-- CreateTable
CREATE TABLE "Store" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "ownerId" UUID NOT NULL,
    "status" "StoreStatus" NOT NULL DEFAULT 'ACTIVE',
    "suspendedReason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Store_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Badge" (
    "id" UUID NOT NULL,
    "storeId" UUID NOT NULL,
    "brandId" UUID NOT NULL,
    "kind" "BadgeKind" NOT NULL,
    "status" "BadgeStatus" NOT NULL DEFAULT 'ACTIVE',
    "issuedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "revokedAt" TIMESTAMP(3),
    "revokedReason" TEXT,
    "suspendedUntil" TIMESTAMP(3),
    "reminderSentAt" TIMESTAMP(3),
    "letterId" UUID,
    "statusListIndex" SERIAL NOT NULL,
    "credential" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Badge_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuthorizationLetter" (
    "id" UUID NOT NULL,
    "brandId" UUID NOT NULL,
    "storeId" UUID NOT NULL,
    "grantorLetterId" UUID,
    "chainDepth" INTEGER NOT NULL,
    "scope" TEXT NOT NULL,
    "validFrom" TIMESTAMP(3) NOT NULL,
    "validUntil" TIMESTAMP(3) NOT NULL,
    "status" "AuthorizationStatus" NOT NULL DEFAULT 'SUBMITTED',
    "brandConfirmation" "BrandConfirmation" NOT NULL DEFAULT 'PENDING',
    "confirmationNote" TEXT,
    "reviewNote" TEXT,
    "reviewedById" UUID,
    "reviewedAt" TIMESTAMP(3),
    "revokedReason" TEXT,
    "documentId" UUID NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuthorizationLetter_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProductCode" (
    "id" UUID NOT NULL,
    "brandId" UUID NOT NULL,
    "sku" TEXT NOT NULL,
    "batch" TEXT,
    "codeHash" TEXT NOT NULL,
    "status" "ProductCodeStatus" NOT NULL DEFAULT 'ACTIVE',
    "firstVerifiedAt" TIMESTAMP(3),
    "lastVerifiedAt" TIMESTAMP(3),
    "verificationCount" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProductCode_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Store_ownerId_idx" ON "Store"("ownerId");

-- CreateIndex
CREATE UNIQUE INDEX "Badge_letterId_key" ON "Badge"("letterId");

-- CreateIndex
CREATE UNIQUE INDEX "Badge_statusListIndex_key" ON "Badge"("statusListIndex");

-- CreateIndex
CREATE INDEX "Badge_storeId_status_idx" ON "Badge"("storeId", "status");

-- CreateIndex
CREATE INDEX "Badge_brandId_status_idx" ON "Badge"("brandId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "AuthorizationLetter_documentId_key" ON "AuthorizationLetter"("documentId");

-- CreateIndex
CREATE INDEX "AuthorizationLetter_brandId_status_createdAt_idx" ON "AuthorizationLetter"("brandId", "status", "createdAt");

-- CreateIndex
CREATE INDEX "AuthorizationLetter_storeId_idx" ON "AuthorizationLetter"("storeId");

-- CreateIndex
CREATE INDEX "AuthorizationLetter_grantorLetterId_idx" ON "AuthorizationLetter"("grantorLetterId");

-- CreateIndex
CREATE UNIQUE INDEX "ProductCode_brandId_codeHash_key" ON "ProductCode"("brandId", "codeHash");

-- AddForeignKey
ALTER TABLE "Store" ADD CONSTRAINT "Store_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "Actor"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Badge" ADD CONSTRAINT "Badge_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Badge" ADD CONSTRAINT "Badge_brandId_fkey" FOREIGN KEY ("brandId") REFERENCES "Brand"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Badge" ADD CONSTRAINT "Badge_letterId_fkey" FOREIGN KEY ("letterId") REFERENCES "AuthorizationLetter"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuthorizationLetter" ADD CONSTRAINT "AuthorizationLetter_brandId_fkey" FOREIGN KEY ("brandId") REFERENCES "Brand"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuthorizationLetter" ADD CONSTRAINT "AuthorizationLetter_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuthorizationLetter" ADD CONSTRAINT "AuthorizationLetter_grantorLetterId_fkey" FOREIGN KEY ("grantorLetterId") REFERENCES "AuthorizationLetter"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuthorizationLetter" ADD CONSTRAINT "AuthorizationLetter_documentId_fkey" FOREIGN KEY ("documentId") REFERENCES "Document"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuthorizationLetter" ADD CONSTRAINT "AuthorizationLetter_reviewedById_fkey" FOREIGN KEY ("reviewedById") REFERENCES "Actor"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProductCode" ADD CONSTRAINT "ProductCode_brandId_fkey" FOREIGN KEY ("brandId") REFERENCES "Brand"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- A store holds at most one live official badge per brand, so a repeated
-- request cannot issue a second one (Prisma's schema can't express a partial index).
CREATE UNIQUE INDEX "Badge_one_live_official_per_store_brand" ON "Badge"("storeId", "brandId")
  WHERE "kind" = 'OFFICIAL_STORE' AND "status" IN ('ACTIVE', 'SUSPENDED');
