-- Status lists become shards of a fixed size: a badge's place is (list, index),
-- handed out from "StatusList"."nextIndex" inside the issuing transaction, so a
-- failed issuance burns nothing and a full list is followed by a new one.

-- CreateTable
CREATE TABLE "StatusList" (
    "id" INTEGER NOT NULL,
    "size" INTEGER NOT NULL,
    "nextIndex" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StatusList_pkey" PRIMARY KEY ("id"),
    -- List ids appear in URLs, and sizes are whole bytes of bits.
    CONSTRAINT "StatusList_id_check" CHECK ("id" >= 0),
    CONSTRAINT "StatusList_size_check" CHECK ("size" > 0 AND "size" % 8 = 0),
    CONSTRAINT "StatusList_nextIndex_check" CHECK ("nextIndex" >= 0 AND "nextIndex" <= "size")
);

-- Existing badges. The single list had 131,072 bits and its indexes came from a
-- sequence starting at 1: index i becomes list i / 131072, index i % 131072.
-- List 0 always exists: the unsharded URLs keep serving it for the credentials
-- issued before lists were sharded. Each list goes on after its highest index.
INSERT INTO "StatusList" ("id", "size", "nextIndex")
SELECT list.id, 131072, COALESCE(used."highest" + 1, 0)
FROM generate_series(0, COALESCE((SELECT max("statusListIndex") FROM "Badge"), 0) / 131072) AS list(id)
LEFT JOIN (
    SELECT "statusListIndex" / 131072 AS "listId", max("statusListIndex" % 131072) AS "highest"
    FROM "Badge"
    GROUP BY 1
) AS used ON used."listId" = list.id;

-- The old unique index would trip over the remapped indexes while they move.
DROP INDEX "Badge_statusListIndex_key";

ALTER TABLE "Badge" ADD COLUMN "statusListId" INTEGER;
UPDATE "Badge" SET "statusListId" = "statusListIndex" / 131072, "statusListIndex" = "statusListIndex" % 131072;

-- AlterTable
ALTER TABLE "Badge" ALTER COLUMN "statusListId" SET NOT NULL,
ALTER COLUMN "statusListIndex" DROP DEFAULT,
ADD CONSTRAINT "Badge_statusListIndex_check" CHECK ("statusListIndex" >= 0);
DROP SEQUENCE "Badge_statusListIndex_seq";

-- CreateIndex
CREATE UNIQUE INDEX "Badge_statusListId_statusListIndex_key" ON "Badge"("statusListId", "statusListIndex");

-- AddForeignKey
ALTER TABLE "Badge" ADD CONSTRAINT "Badge_statusListId_fkey" FOREIGN KEY ("statusListId") REFERENCES "StatusList"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
