-- The public transparency log: entries are written with the change they record
-- (outbox), get their index when the integrator takes them into the log, and
-- the log's state row is the lock every integration holds.

CREATE TABLE "TransparencyLogEntry" (
    "seq" BIGSERIAL NOT NULL,
    "eventId" TEXT NOT NULL,
    "eventType" TEXT NOT NULL,
    "badgeId" UUID,
    "entry" BYTEA NOT NULL,
    "logIndex" BIGINT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TransparencyLogEntry_pkey" PRIMARY KEY ("seq")
);
CREATE UNIQUE INDEX "TransparencyLogEntry_eventId_key" ON "TransparencyLogEntry"("eventId");
CREATE UNIQUE INDEX "TransparencyLogEntry_logIndex_key" ON "TransparencyLogEntry"("logIndex");
CREATE INDEX "TransparencyLogEntry_pending_idx" ON "TransparencyLogEntry"("seq") WHERE "logIndex" IS NULL;
CREATE INDEX "TransparencyLogEntry_badgeId_eventType_idx" ON "TransparencyLogEntry"("badgeId", "eventType");

-- Salts of the commitments an entry carries: they stay here, off the log.
CREATE TABLE "TransparencyLogSalt" (
    "eventId" TEXT NOT NULL,
    "field" TEXT NOT NULL,
    "salt" BYTEA NOT NULL,

    CONSTRAINT "TransparencyLogSalt_pkey" PRIMARY KEY ("eventId", "field")
);

CREATE TABLE "TransparencyLogState" (
    "id" INTEGER NOT NULL,
    "storage" TEXT,
    "assignedSize" BIGINT NOT NULL DEFAULT 0,
    "integratedSize" BIGINT NOT NULL DEFAULT 0,
    "integratedRoot" BYTEA,
    "signedSize" BIGINT,
    "signedRoot" BYTEA,
    "signedAt" TIMESTAMP(3),
    "publishedAt" TIMESTAMP(3),

    CONSTRAINT "TransparencyLogState_pkey" PRIMARY KEY ("id")
);
INSERT INTO "TransparencyLogState" ("id") VALUES (1);

-- The size each witness last cosigned, the old size of the next request to it.
CREATE TABLE "TransparencyLogWitness" (
    "name" TEXT NOT NULL,
    "size" BIGINT NOT NULL,

    CONSTRAINT "TransparencyLogWitness_pkey" PRIMARY KEY ("name")
);
