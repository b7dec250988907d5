-- CreateEnum
CREATE TYPE "ComplaintStatus" AS ENUM ('AWAITING_EVIDENCE', 'AWAITING_MERCHANT_RESPONSE', 'UNDER_REVIEW', 'DECIDED', 'APPEALED', 'CLOSED', 'WITHDRAWN', 'EXPIRED');

-- CreateEnum
CREATE TYPE "Verdict" AS ENUM ('COUNTERFEIT', 'NOT_COUNTERFEIT', 'INSUFFICIENT_EVIDENCE');

-- CreateTable
CREATE TABLE "Complaint" (
    "id" UUID NOT NULL,
    "consumerId" UUID NOT NULL,
    "storeId" UUID NOT NULL,
    "brandId" UUID,
    "orderReference" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "status" "ComplaintStatus" NOT NULL DEFAULT 'AWAITING_EVIDENCE',
    "merchantStatement" TEXT,
    "assignedReviewerId" UUID,
    "escalated" BOOLEAN NOT NULL DEFAULT false,
    "verdict" "Verdict",
    "decisionNote" TEXT,
    "decidedById" UUID,
    "decidedAt" TIMESTAMP(3),
    "compensationAmount" DECIMAL(12,2),
    "compensationCurrency" TEXT,
    "appealedByRole" "Role",
    "appealReason" TEXT,
    "evidenceDueAt" TIMESTAMP(3),
    "merchantResponseDueAt" TIMESTAMP(3),
    "reviewDueAt" TIMESTAMP(3),
    "appealDueAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Complaint_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ComplaintEvent" (
    "id" UUID NOT NULL,
    "complaintId" UUID NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "type" TEXT NOT NULL,
    "actorRole" "Role",
    "actorId" UUID,
    "message" TEXT NOT NULL,
    "dedupeKey" TEXT NOT NULL,

    CONSTRAINT "ComplaintEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Evidence" (
    "id" UUID NOT NULL,
    "complaintId" UUID NOT NULL,
    "uploadedById" UUID NOT NULL,
    "uploadedByRole" "Role" NOT NULL,
    "caption" TEXT,
    "contentType" TEXT NOT NULL,
    "width" INTEGER NOT NULL,
    "height" INTEGER NOT NULL,
    "byteSize" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "originalSha256" TEXT NOT NULL,
    "perceptualHash" TEXT NOT NULL,
    "storageKey" TEXT NOT NULL,
    "thumbnailKey" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Evidence_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Warning" (
    "id" UUID NOT NULL,
    "storeId" UUID NOT NULL,
    "complaintId" UUID NOT NULL,
    "strikeNumber" INTEGER NOT NULL,
    "issuedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "rescindedAt" TIMESTAMP(3),

    CONSTRAINT "Warning_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Coupon" (
    "id" UUID NOT NULL,
    "complaintId" UUID NOT NULL,
    "consumerId" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "amount" DECIMAL(12,2) NOT NULL,
    "currency" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Coupon_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Complaint_consumerId_createdAt_idx" ON "Complaint"("consumerId", "createdAt");

-- CreateIndex
CREATE INDEX "Complaint_storeId_createdAt_idx" ON "Complaint"("storeId", "createdAt");

-- CreateIndex
CREATE INDEX "Complaint_brandId_createdAt_idx" ON "Complaint"("brandId", "createdAt");

-- CreateIndex
CREATE INDEX "Complaint_status_createdAt_idx" ON "Complaint"("status", "createdAt");

-- CreateIndex
CREATE INDEX "ComplaintEvent_complaintId_at_idx" ON "ComplaintEvent"("complaintId", "at");

-- CreateIndex
CREATE UNIQUE INDEX "ComplaintEvent_complaintId_dedupeKey_key" ON "ComplaintEvent"("complaintId", "dedupeKey");

-- CreateIndex
CREATE UNIQUE INDEX "Evidence_storageKey_key" ON "Evidence"("storageKey");

-- CreateIndex
CREATE UNIQUE INDEX "Evidence_thumbnailKey_key" ON "Evidence"("thumbnailKey");

-- CreateIndex
CREATE INDEX "Evidence_complaintId_createdAt_idx" ON "Evidence"("complaintId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Warning_complaintId_key" ON "Warning"("complaintId");

-- CreateIndex
CREATE INDEX "Warning_storeId_issuedAt_idx" ON "Warning"("storeId", "issuedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Coupon_complaintId_key" ON "Coupon"("complaintId");

-- CreateIndex
CREATE UNIQUE INDEX "Coupon_code_key" ON "Coupon"("code");

-- AddForeignKey
ALTER TABLE "Complaint" ADD CONSTRAINT "Complaint_consumerId_fkey" FOREIGN KEY ("consumerId") REFERENCES "Actor"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Complaint" ADD CONSTRAINT "Complaint_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Complaint" ADD CONSTRAINT "Complaint_brandId_fkey" FOREIGN KEY ("brandId") REFERENCES "Brand"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Complaint" ADD CONSTRAINT "Complaint_assignedReviewerId_fkey" FOREIGN KEY ("assignedReviewerId") REFERENCES "Actor"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ComplaintEvent" ADD CONSTRAINT "ComplaintEvent_complaintId_fkey" FOREIGN KEY ("complaintId") REFERENCES "Complaint"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Evidence" ADD CONSTRAINT "Evidence_complaintId_fkey" FOREIGN KEY ("complaintId") REFERENCES "Complaint"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Evidence" ADD CONSTRAINT "Evidence_uploadedById_fkey" FOREIGN KEY ("uploadedById") REFERENCES "Actor"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Warning" ADD CONSTRAINT "Warning_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Warning" ADD CONSTRAINT "Warning_complaintId_fkey" FOREIGN KEY ("complaintId") REFERENCES "Complaint"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Coupon" ADD CONSTRAINT "Coupon_complaintId_fkey" FOREIGN KEY ("complaintId") REFERENCES "Complaint"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Coupon" ADD CONSTRAINT "Coupon_consumerId_fkey" FOREIGN KEY ("consumerId") REFERENCES "Actor"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


