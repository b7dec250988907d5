-- CreateTable
CREATE TABLE "WorkflowOutbox" (
    "id" BIGSERIAL NOT NULL,
    "taskQueue" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "workflowId" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "deliveredAt" TIMESTAMP(3),

    CONSTRAINT "WorkflowOutbox_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "WorkflowOutbox_taskQueue_nextAttemptAt_idx" ON "WorkflowOutbox"("taskQueue", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "WorkflowOutbox_workflowId_id_idx" ON "WorkflowOutbox"("workflowId", "id");
