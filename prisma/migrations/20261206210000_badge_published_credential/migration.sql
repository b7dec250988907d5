-- A badge's credential is handed out only once a published checkpoint of the
-- transparency log covers its grant: "publishedCredential" is the newest such
-- credential, "credential" the newest signed. Badges signed before this change
-- are taken as published.
ALTER TABLE "Badge" ADD COLUMN "publishedCredential" TEXT;
UPDATE "Badge" SET "publishedCredential" = "credential";

-- The badges whose newest credential still waits for a checkpoint: what each publication looks at.
CREATE INDEX "Badge_credential_unpublished_idx" ON "Badge"("id") WHERE "credential" IS DISTINCT FROM "publishedCredential";
