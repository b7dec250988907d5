-- A complaint's listing URL, and the deadline of an open request for more information.
ALTER TABLE "Complaint" ADD COLUMN IF NOT EXISTS "listingUrl" TEXT;
ALTER TABLE "Complaint" ADD COLUMN IF NOT EXISTS "informationDueAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE IF NOT EXISTS "ComplaintInformationRequest" (
    "id" UUID NOT NULL,
    "complaintId" UUID NOT NULL,
    "side" "Role" NOT NULL,
    "note" TEXT NOT NULL,
    "requestedById" UUID NOT NULL,
    "requestedAt" TIMESTAMP(3) NOT NULL,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "answeredAt" TIMESTAMP(3),
    "statement" TEXT,
    "expiredAt" TIMESTAMP(3),

    CONSTRAINT "ComplaintInformationRequest_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "ComplaintInformationRequest_complaintId_fkey" FOREIGN KEY ("complaintId") REFERENCES "Complaint"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX IF NOT EXISTS "ComplaintInformationRequest_complaintId_requestedAt_idx" ON "ComplaintInformationRequest"("complaintId", "requestedAt");
