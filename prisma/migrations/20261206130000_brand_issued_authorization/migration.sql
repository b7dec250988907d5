-- Brand-issued authorizations and the granting store's consent to sub-letters.

CREATE TYPE "LetterOrigin" AS ENUM ('UPLOADED', 'BRAND_ISSUED');

CREATE TYPE "GrantorConfirmation" AS ENUM ('PENDING', 'CONFIRMED', 'DENIED');

ALTER TABLE "AuthorizationLetter"
  ADD COLUMN IF NOT EXISTS "origin" "LetterOrigin" NOT NULL DEFAULT 'UPLOADED',
  ADD COLUMN IF NOT EXISTS "allowsSubLicensing" BOOLEAN NOT NULL DEFAULT false,
  ADD COLUMN IF NOT EXISTS "grantorConfirmation" "GrantorConfirmation",
  ADD COLUMN IF NOT EXISTS "grantorNote" TEXT;

-- Sub-licensing needs the brand's yes from now on. A level-1 letter that is
-- already granting live sub-letters keeps that right: its distributor is
-- sub-licensing in the open (the brand lists those letters and could revoke
-- them), and switching it off would strand resellers mid-application. Every
-- other existing letter starts without it, and the brand turns it on per letter.
UPDATE "AuthorizationLetter" AS l
   SET "allowsSubLicensing" = true
 WHERE l."chainDepth" = 1
   AND l."status" IN ('APPROVED', 'SUBMITTED')
   AND EXISTS (
     SELECT 1 FROM "AuthorizationLetter" AS s
      WHERE s."grantorLetterId" = l."id" AND s."status" IN ('APPROVED', 'SUBMITTED')
   );

-- A sub-letter a reviewer already approved was the distributor's own signed
-- letter, checked by the reviewer: that stands as the granting store's consent.
-- One still waiting for review now waits for the granting store first.
UPDATE "AuthorizationLetter"
   SET "grantorConfirmation" = CASE WHEN "status" IN ('APPROVED', 'REVOKED', 'EXPIRED') THEN 'CONFIRMED'::"GrantorConfirmation"
                                    ELSE 'PENDING'::"GrantorConfirmation" END
 WHERE "chainDepth" >= 2 AND "grantorConfirmation" IS NULL;
