import type { Brand } from '@prisma/client';
import { findBrandBySlug, registerBrand } from '../services/brands.js';
import { builder } from './builder.js';
import { entityPayload, toPayload } from './user-errors.js';

export const BrandStatusEnum = builder.enumType('BrandStatus', {
  values: ['PENDING_VERIFICATION', 'VERIFIED', 'SUSPENDED'] as const,
});

export const BrandRef = builder.prismaNode('Brand', {
  id: { field: 'id' },
  fields: (t) => ({
    slug: t.exposeString('slug'),
    name: t.exposeString('name'),
    status: t.expose('status', { type: BrandStatusEnum, description: 'VERIFIED while an approved trademark is valid now.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const BrandPayload = entityPayload<Brand>('BrandPayload', 'brand', BrandRef);

const RegisterBrandInput = builder.inputType('RegisterBrandInput', {
  fields: (t) => ({
    name: t.string(),
    slug: t.string({ description: 'Lowercase letters, digits and dashes; 3 to 40 characters; unique.' }),
  }),
});

builder.queryField('brand', (t) =>
  t.prismaField({
    type: BrandRef,
    nullable: true,
    description: 'Public. A brand by its slug.',
    args: { slug: t.arg.string() },
    resolve: (_query, _root, { slug }, ctx) => findBrandBySlug(ctx.deps, slug),
  }),
);

builder.mutationField('registerBrand', (t) =>
  t.field({
    type: BrandPayload,
    description: "BRAND. The caller becomes the brand's first member.",
    authScopes: { role: 'BRAND' },
    args: { input: t.arg({ type: RegisterBrandInput }) },
    resolve: async (_root, { input }, ctx) => toPayload(await registerBrand(ctx.deps, ctx.access, input)),
  }),
);
