-- CreateTable
CREATE TABLE "UploadIntent" (
    "storageKey" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "lastTryAt" TIMESTAMP(3),

    CONSTRAINT "UploadIntent_pkey" PRIMARY KEY ("storageKey")
);

-- CreateIndex
CREATE INDEX "UploadIntent_createdAt_idx" ON "UploadIntent"("createdAt");
