import type { Config } from '../config.js';
import { loadSigningKey, type SigningKey } from '../credentials/signing-key.js';
import type { Db } from '../db/client.js';
import { expireEndedLetters, renewBrandBadges } from '../services/badge-renewal.js';
import { refreshBrandStatus } from '../services/brand-status.js';

export interface BrandActivityDeps {
  db: Db;
  clock: () => Date;
  config: Pick<Config, 'BADGE_SIGNING_JWK' | 'BADGE_SIGNING_KEY_FILE' | 'PUBLIC_BASE_URL' | 'TEMPORAL_TASK_QUEUE'>;
}

const earliest = (a: Date | null, b: Date | null) => (a && b ? (a < b ? a : b) : (a ?? b));

export function createBrandActivities({ db, clock, config }: BrandActivityDeps) {
  // Renewals re-sign credentials; the key is read once, when first needed.
  let signingKey: Promise<SigningKey> | undefined;
  const key = () => (signingKey ??= loadSigningKey(config));
  return {
    /**
     * Idempotent: recomputes from the database and writes only what differs.
     * The brand's letters whose validity ended become EXPIRED here too, and the
     * next letter's end is one of the changes the brand's timer waits for.
     */
    async refreshBrandStatus(brandId: string): Promise<{ status: string | null; nextChangeAt: string | null }> {
      const now = clock();
      const result = await db.$transaction((tx) => refreshBrandStatus(tx, brandId, now));
      const nextLetterEnd = result ? await expireEndedLetters(db, brandId, now) : null;
      const next = earliest(result?.nextChangeAt ?? null, nextLetterEnd);
      return { status: result?.status ?? null, nextChangeAt: next?.toISOString() ?? null };
    },
    /** Extends the brand's live badges that its trademarks now cover for longer; returns how many. */
    async renewBrandBadges(brandId: string): Promise<number> {
      const signing = { key: await key(), baseUrl: config.PUBLIC_BASE_URL };
      return renewBrandBadges(db, { signing, taskQueue: config.TEMPORAL_TASK_QUEUE }, brandId, clock());
    },
  };
}

export type BrandActivities = ReturnType<typeof createBrandActivities>;
