-- Reviewers claim trademarks and letters as they claim complaints, so "unassigned"
-- and "mine" mean the same on every review queue. A reviewer whose actor row goes
-- away leaves the item unassigned.
ALTER TABLE "Trademark" ADD COLUMN IF NOT EXISTS "assignedReviewerId" UUID
  CONSTRAINT "Trademark_assignedReviewerId_fkey" REFERENCES "Actor"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "AuthorizationLetter" ADD COLUMN IF NOT EXISTS "assignedReviewerId" UUID
  CONSTRAINT "AuthorizationLetter_assignedReviewerId_fkey" REFERENCES "Actor"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- The queues filter by status (and by assignee for "mine" and "unassigned") and
-- page in submission order with the id as tie-break.
CREATE INDEX IF NOT EXISTS "Trademark_status_createdAt_id_idx" ON "Trademark"("status", "createdAt", "id");
CREATE INDEX IF NOT EXISTS "Trademark_assignedReviewerId_status_createdAt_id_idx" ON "Trademark"("assignedReviewerId", "status", "createdAt", "id");
CREATE INDEX IF NOT EXISTS "AuthorizationLetter_status_createdAt_id_idx" ON "AuthorizationLetter"("status", "createdAt", "id");
CREATE INDEX IF NOT EXISTS "AuthorizationLetter_assignedReviewerId_status_createdAt_id_idx" ON "AuthorizationLetter"("assignedReviewerId", "status", "createdAt", "id");
CREATE INDEX IF NOT EXISTS "Complaint_assignedReviewerId_status_createdAt_id_idx" ON "Complaint"("assignedReviewerId", "status", "createdAt", "id");
CREATE INDEX IF NOT EXISTS "Complaint_status_escalated_createdAt_id_idx" ON "Complaint"("status", "escalated", "createdAt", "id");
