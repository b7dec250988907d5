-- Why a store is suspended, as a column rather than read from the text of its reason:
-- an overturned strike lifts only suspensions made for strikes.
ALTER TABLE "Store" ADD COLUMN "suspendedForStrikes" BOOLEAN NOT NULL DEFAULT false;

UPDATE "Store" SET "suspendedForStrikes" = true WHERE "status" = 'SUSPENDED' AND "suspendedReason" LIKE 'strike 3%';
