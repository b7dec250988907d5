-- The reseller overview reads a brand's letters store by store.
CREATE INDEX IF NOT EXISTS "AuthorizationLetter_brandId_storeId_idx" ON "AuthorizationLetter"("brandId", "storeId");
