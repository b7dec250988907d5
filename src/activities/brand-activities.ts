import type { Db } from '../db/client.js';
import { refreshBrandStatus } from '../services/brand-status.js';

export interface BrandActivityDeps {
  db: Db;
  clock: () => Date;
}

export function createBrandActivities({ db, clock }: BrandActivityDeps) {
  return {
    /** Idempotent: recomputes from the database and writes only what differs. */
    async refreshBrandStatus(brandId: string): Promise<{ status: string | null; nextChangeAt: string | null }> {
      const result = await db.$transaction((tx) => refreshBrandStatus(tx, brandId, clock()));
      return { status: result?.status ?? null, nextChangeAt: result?.nextChangeAt?.toISOString() ?? null };
    },
  };
}

export type BrandActivities = ReturnType<typeof createBrandActivities>;
