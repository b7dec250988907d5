// Product codes: registered by brands, verified by anyone.
import {
  registerProductCodes,
  revokeProductCodes,
  verifyProductCode,
  type ProductCodeVerification,
  type RegisteredProductCodes,
} from '../services/product-codes.js';
import { BrandRef } from './brands.js';
import { builder } from './builder.js';
import { parseGlobalId } from './global-ids.js';
import { UserErrorType, failedPayload, toPayload, type Payload } from './user-errors.js';

const ProductCodeResultEnum = builder.enumType('ProductCodeResult', {
  values: {
    GENUINE: { description: 'Known code, first verification.' },
    GENUINE_REPEATED: { description: 'Known code verified before: shows when and how often (possible clone).' },
    UNKNOWN: {},
    REVOKED: {},
  } as const,
});

const ProductCodeVerificationType = builder.objectRef<ProductCodeVerification>('ProductCodeVerification').implement({
  fields: (t) => ({
    result: t.field({ type: ProductCodeResultEnum, resolve: (v) => v.result }),
    brand: t.field({ type: BrandRef, nullable: true, resolve: (v) => v.brand }),
    sku: t.exposeString('sku', { nullable: true }),
    firstVerifiedAt: t.expose('firstVerifiedAt', { type: 'DateTime', nullable: true }),
    verificationCount: t.exposeInt('verificationCount'),
  }),
});

const RegisterProductCodesInput = builder.inputType('RegisterProductCodesInput', {
  fields: (t) => ({
    brandId: t.id(),
    sku: t.string(),
    batch: t.string({ required: false }),
    codes: t.stringList({ description: 'At most 10,000 per call.' }),
  }),
});

const RegisterProductCodesPayload = builder.objectRef<Payload<RegisteredProductCodes>>('RegisterProductCodesPayload').implement({
  fields: (t) => ({
    registered: t.int({ resolve: (p) => p.value?.registered ?? 0 }),
    duplicates: t.int({ resolve: (p) => p.value?.duplicates ?? 0 }),
    userErrors: t.field({ type: [UserErrorType], resolve: (p) => p.userErrors }),
  }),
});

const RevokeProductCodesInput = builder.inputType('RevokeProductCodesInput', {
  fields: (t) => ({
    brandId: t.id(),
    codes: t.stringList({ description: 'At most 10,000 per call.' }),
  }),
});

const RevokeProductCodesPayload = builder.objectRef<Payload<{ revoked: number }>>('RevokeProductCodesPayload').implement({
  fields: (t) => ({
    revoked: t.int({
      description: 'Codes that were active and are now revoked; unknown and already revoked codes are not counted.',
      resolve: (p) => p.value?.revoked ?? 0,
    }),
    userErrors: t.field({ type: [UserErrorType], resolve: (p) => p.userErrors }),
  }),
});

builder.queryField('verifyProductCode', (t) =>
  t.field({
    type: ProductCodeVerificationType,
    description: 'Public. Anti-counterfeit code check; counts every verification, so it is refused over GET (send it with POST).',
    // Counting is a write: see src/http/post-only-fields.ts.
    extensions: { postOnly: true },
    args: { brandSlug: t.arg.string(), code: t.arg.string() },
    resolve: (_root, { brandSlug, code }, ctx) => verifyProductCode(ctx.deps, brandSlug, code),
  }),
);

builder.mutationField('registerProductCodes', (t) =>
  t.field({
    type: RegisterProductCodesPayload,
    description: 'BRAND member.',
    authScopes: { authenticated: true },
    args: { input: t.arg({ type: RegisterProductCodesInput }) },
    resolve: async (_root, { input }, ctx) => {
      const brandId = parseGlobalId(input.brandId, 'Brand', ['input', 'brandId']);
      if (!brandId.ok) return failedPayload(brandId);
      return toPayload(await registerProductCodes(ctx.deps, ctx.access, { ...input, brandId: brandId.value }));
    },
  }),
);

builder.mutationField('revokeProductCodes', (t) =>
  t.field({
    type: RevokeProductCodesPayload,
    description: 'BRAND member. Revoked codes verify as REVOKED, e.g. after a batch leaked.',
    authScopes: { authenticated: true },
    args: { input: t.arg({ type: RevokeProductCodesInput }) },
    resolve: async (_root, { input }, ctx) => {
      const brandId = parseGlobalId(input.brandId, 'Brand', ['input', 'brandId']);
      if (!brandId.ok) return failedPayload(brandId);
      return toPayload(await revokeProductCodes(ctx.deps, ctx.access, { ...input, brandId: brandId.value }));
    },
  }),
);
