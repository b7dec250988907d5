-- Signed webhooks: events written with the change they announce, endpoints of
-- brands and stores, their signing secrets, deliveries and attempts.

CREATE TYPE "WebhookEventType" AS ENUM (
    'COMPLAINT_FILED', 'COMPLAINT_DECIDED', 'COMPLAINT_APPEALED', 'LETTER_AWAITING_CONFIRMATION',
    'BADGE_GRANTED', 'BADGE_SUSPENDED', 'BADGE_REVOKED', 'BADGE_EXPIRING', 'PRODUCT_CODE_CLONE_ALERT'
);

CREATE TYPE "WebhookDeliveryStatus" AS ENUM ('PENDING', 'SUCCEEDED', 'FAILED', 'CANCELLED');

CREATE TABLE "WebhookEvent" (
    "id" UUID NOT NULL,
    "type" "WebhookEventType" NOT NULL,
    "brandId" UUID,
    "storeId" UUID,
    "body" TEXT NOT NULL,
    "occurredAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "WebhookEvent_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "WebhookEvent_brandId_id_idx" ON "WebhookEvent"("brandId", "id");
CREATE INDEX "WebhookEvent_storeId_id_idx" ON "WebhookEvent"("storeId", "id");

CREATE TABLE "WebhookEndpoint" (
    "id" UUID NOT NULL,
    "brandId" UUID,
    "storeId" UUID,
    "url" TEXT NOT NULL,
    "description" TEXT,
    "eventTypes" "WebhookEventType"[],
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "taskQueue" TEXT NOT NULL,
    "createdById" UUID NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "WebhookEndpoint_pkey" PRIMARY KEY ("id"),
    -- An endpoint belongs to a brand or to a store, never both or neither.
    CONSTRAINT "WebhookEndpoint_one_owner" CHECK (("brandId" IS NULL) <> ("storeId" IS NULL))
);
CREATE INDEX "WebhookEndpoint_brandId_idx" ON "WebhookEndpoint"("brandId");
CREATE INDEX "WebhookEndpoint_storeId_idx" ON "WebhookEndpoint"("storeId");
ALTER TABLE "WebhookEndpoint" ADD CONSTRAINT "WebhookEndpoint_brandId_fkey" FOREIGN KEY ("brandId") REFERENCES "Brand"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "WebhookEndpoint" ADD CONSTRAINT "WebhookEndpoint_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "WebhookSecret" (
    "id" UUID NOT NULL,
    "endpointId" UUID NOT NULL,
    "secret" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "retiresAt" TIMESTAMP(3),

    CONSTRAINT "WebhookSecret_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "WebhookSecret_endpointId_idx" ON "WebhookSecret"("endpointId");
ALTER TABLE "WebhookSecret" ADD CONSTRAINT "WebhookSecret_endpointId_fkey" FOREIGN KEY ("endpointId") REFERENCES "WebhookEndpoint"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "WebhookDelivery" (
    "id" UUID NOT NULL,
    "eventId" UUID NOT NULL,
    "endpointId" UUID NOT NULL,
    "status" "WebhookDeliveryStatus" NOT NULL DEFAULT 'PENDING',
    "series" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "WebhookDelivery_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "WebhookDelivery_eventId_endpointId_key" ON "WebhookDelivery"("eventId", "endpointId");
CREATE INDEX "WebhookDelivery_endpointId_id_idx" ON "WebhookDelivery"("endpointId", "id");
ALTER TABLE "WebhookDelivery" ADD CONSTRAINT "WebhookDelivery_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "WebhookEvent"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "WebhookDelivery" ADD CONSTRAINT "WebhookDelivery_endpointId_fkey" FOREIGN KEY ("endpointId") REFERENCES "WebhookEndpoint"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "WebhookAttempt" (
    "id" UUID NOT NULL,
    "deliveryId" UUID NOT NULL,
    "series" INTEGER NOT NULL,
    "number" INTEGER NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "durationMs" INTEGER NOT NULL,
    "statusCode" INTEGER,
    "error" TEXT,
    "succeeded" BOOLEAN NOT NULL,

    CONSTRAINT "WebhookAttempt_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "WebhookAttempt_deliveryId_series_number_key" ON "WebhookAttempt"("deliveryId", "series", "number");
ALTER TABLE "WebhookAttempt" ADD CONSTRAINT "WebhookAttempt_deliveryId_fkey" FOREIGN KEY ("deliveryId") REFERENCES "WebhookDelivery"("id") ON DELETE CASCADE ON UPDATE CASCADE;
