-- Scan insight for brands: clone alerts raised once per product code, and
-- batches assigned to the distributor they were shipped to.

CREATE TABLE IF NOT EXISTS "ProductCodeCloneAlert" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "brandId" UUID NOT NULL,
    "productCodeId" UUID NOT NULL,
    -- The checks that crossed the threshold, and the threshold then in force.
    "verificationCount" INTEGER NOT NULL,
    "threshold" INTEGER NOT NULL,
    "raisedAt" TIMESTAMP(3) NOT NULL,
    -- Set in the transaction that wrote the webhook event.
    "publishedAt" TIMESTAMP(3),

    CONSTRAINT "ProductCodeCloneAlert_pkey" PRIMARY KEY ("id")
);
-- One alert per code, however many checks race past the threshold.
CREATE UNIQUE INDEX IF NOT EXISTS "ProductCodeCloneAlert_productCodeId_key" ON "ProductCodeCloneAlert"("productCodeId");
CREATE INDEX IF NOT EXISTS "ProductCodeCloneAlert_brandId_raisedAt_id_idx" ON "ProductCodeCloneAlert"("brandId", "raisedAt" DESC, "id" DESC);
ALTER TABLE "ProductCodeCloneAlert" ADD CONSTRAINT "ProductCodeCloneAlert_brandId_fkey" FOREIGN KEY ("brandId") REFERENCES "Brand"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "ProductCodeCloneAlert" ADD CONSTRAINT "ProductCodeCloneAlert_productCodeId_fkey" FOREIGN KEY ("productCodeId") REFERENCES "ProductCode"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE IF NOT EXISTS "ProductBatch" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "brandId" UUID NOT NULL,
    "batch" TEXT NOT NULL,
    "distributorName" TEXT NOT NULL,
    "distributorReference" TEXT,
    "assignedAt" TIMESTAMP(3) NOT NULL,
    "assignedById" UUID NOT NULL,

    CONSTRAINT "ProductBatch_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX IF NOT EXISTS "ProductBatch_brandId_batch_key" ON "ProductBatch"("brandId", "batch");
ALTER TABLE "ProductBatch" ADD CONSTRAINT "ProductBatch_brandId_fkey" FOREIGN KEY ("brandId") REFERENCES "Brand"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "ProductBatch" ADD CONSTRAINT "ProductBatch_assignedById_fkey" FOREIGN KEY ("assignedById") REFERENCES "Actor"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- The insight groups a brand's codes by sku and by batch. Only columns a check
-- never updates are indexed, so the check's UPDATE stays a HOT update that
-- touches no index: counts, first and last check times are read from the rows.
CREATE INDEX IF NOT EXISTS "ProductCode_brandId_sku_batch_idx" ON "ProductCode"("brandId", "sku", "batch");
CREATE INDEX IF NOT EXISTS "ProductCode_brandId_batch_idx" ON "ProductCode"("brandId", "batch");

-- A brand's own clone-alert threshold, instead of PRODUCT_CODE_CLONE_ALERT_CHECKS.
CREATE TABLE IF NOT EXISTS "BrandScanSetting" (
    "brandId" UUID NOT NULL,
    "cloneAlertChecks" INTEGER NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "updatedById" UUID NOT NULL,

    CONSTRAINT "BrandScanSetting_pkey" PRIMARY KEY ("brandId"),
    CONSTRAINT "BrandScanSetting_cloneAlertChecks_check" CHECK ("cloneAlertChecks" >= 1)
);
ALTER TABLE "BrandScanSetting" ADD CONSTRAINT "BrandScanSetting_brandId_fkey" FOREIGN KEY ("brandId") REFERENCES "Brand"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "BrandScanSetting" ADD CONSTRAINT "BrandScanSetting_updatedById_fkey" FOREIGN KEY ("updatedById") REFERENCES "Actor"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
