import type { Brand } from '@prisma/client';

// Raw reads that join a brand alias its columns with a `brand` prefix
// (br."slug" AS "brandSlug", …); this turns them back into the Brand row.

export interface BrandColumns {
  brandId: string;
  brandSlug: string;
  brandName: string;
  brandStatus: Brand['status'];
  brandCreatedAt: Date;
  brandUpdatedAt: Date;
}

export function brandOfColumns(row: BrandColumns): Brand {
  return {
    id: row.brandId,
    slug: row.brandSlug,
    name: row.brandName,
    status: row.brandStatus,
    createdAt: row.brandCreatedAt,
    updatedAt: row.brandUpdatedAt,
  };
}
