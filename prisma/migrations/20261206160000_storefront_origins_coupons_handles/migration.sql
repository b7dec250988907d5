-- Store handles: public, unique, lowercase slugs consumers find a store by.
-- The default gives rows written by code that names no handle a random one,
-- existing stores get one made of their name and a suffix from their id.
ALTER TABLE "Store" ADD COLUMN IF NOT EXISTS "handle" TEXT NOT NULL
  DEFAULT ('store-'::text || substr(replace((gen_random_uuid())::text, '-'::text, ''::text), 1, 10));

UPDATE "Store"
SET "handle" = coalesce(
    nullif(trim(BOTH '-' FROM left(trim(BOTH '-' FROM regexp_replace(lower("name"), '[^a-z0-9]+', '-', 'g')), 30)), ''),
    'store'
  ) || '-' || substr(md5("id"::text), 1, 8)
WHERE "handle" ~ '^store-[0-9a-f]{10}$';

CREATE UNIQUE INDEX IF NOT EXISTS "Store_handle_key" ON "Store"("handle");

-- Coupon redemption: who, where, when, set once by a conditional UPDATE.
ALTER TABLE "Coupon" ADD COLUMN IF NOT EXISTS "redeemedAt" TIMESTAMP(3);
ALTER TABLE "Coupon" ADD COLUMN IF NOT EXISTS "redeemedById" UUID;
ALTER TABLE "Coupon" ADD COLUMN IF NOT EXISTS "redeemedStoreId" UUID;
ALTER TABLE "Coupon" DROP CONSTRAINT IF EXISTS "Coupon_redeemedById_fkey";
ALTER TABLE "Coupon" ADD CONSTRAINT "Coupon_redeemedById_fkey" FOREIGN KEY ("redeemedById") REFERENCES "Actor"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "Coupon" DROP CONSTRAINT IF EXISTS "Coupon_redeemedStoreId_fkey";
ALTER TABLE "Coupon" ADD CONSTRAINT "Coupon_redeemedStoreId_fkey" FOREIGN KEY ("redeemedStoreId") REFERENCES "Store"("id") ON DELETE SET NULL ON UPDATE CASCADE;
CREATE INDEX IF NOT EXISTS "Coupon_consumerId_createdAt_idx" ON "Coupon"("consumerId", "createdAt");

-- The web origins a store claims, and the ones it proved it controls.
CREATE TABLE IF NOT EXISTS "StoreOrigin" (
    "id" UUID NOT NULL,
    "storeId" UUID NOT NULL,
    "origin" TEXT NOT NULL,
    "verificationToken" TEXT NOT NULL,
    "verifiedAt" TIMESTAMP(3),
    "lastCheckedAt" TIMESTAMP(3),
    "lastCheckError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StoreOrigin_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX IF NOT EXISTS "StoreOrigin_storeId_origin_key" ON "StoreOrigin"("storeId", "origin");
CREATE INDEX IF NOT EXISTS "StoreOrigin_origin_idx" ON "StoreOrigin"("origin");
-- A site vouches for one store: an origin is verified for at most one store at a time.
CREATE UNIQUE INDEX IF NOT EXISTS "StoreOrigin_verified_origin_key" ON "StoreOrigin"("origin") WHERE "verifiedAt" IS NOT NULL;
ALTER TABLE "StoreOrigin" DROP CONSTRAINT IF EXISTS "StoreOrigin_storeId_fkey";
ALTER TABLE "StoreOrigin" ADD CONSTRAINT "StoreOrigin_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE CASCADE;
