import { randomUUID } from 'node:crypto';
import { registerBrand } from './brand-operations.js';
import { rowId, unique, type Stack } from './stack.js';

export const REGISTER_CODES = /* GraphQL */ `
  mutation ($input: RegisterProductCodesInput!) {
    registerProductCodes(input: $input) {
      registered
      duplicates
      userErrors {
        code
        field
        message
      }
    }
  }
`;

export const REVOKE_CODES = /* GraphQL */ `
  mutation ($input: RevokeProductCodesInput!) {
    revokeProductCodes(input: $input) {
      revoked
      userErrors {
        code
        field
        message
      }
    }
  }
`;

export const VERIFY_PRODUCT_CODE = /* GraphQL */ `
  query ($brandSlug: String!, $code: String!) {
    verifyProductCode(brandSlug: $brandSlug, code: $code) {
      result
      verificationCount
    }
  }
`;

/**
 * A brand with one registered product code. Every verification that runs
 * bumps the code's count in the database, so `verifications()` shows whether a
 * request reached the service.
 */
export async function registeredProductCode(stack: Stack) {
  const token = await stack.token(unique('code-owner'), ['BRAND']);
  const brand = await registerBrand(stack, token, unique('codes'));
  const code = `PC-${randomUUID()}`;
  const res = await stack.gql(REGISTER_CODES, { input: { brandId: brand.id, sku: 'SKU-1', codes: [code] } }, { token });
  if (res.body.data?.registerProductCodes.registered !== 1) throw new Error(`registerProductCodes failed: ${JSON.stringify(res.body)}`);
  return {
    brandSlug: brand.slug,
    code,
    variables: { brandSlug: brand.slug, code },
    async verifications(): Promise<number> {
      const row = await stack.db.productCode.findFirstOrThrow({ where: { brandId: rowId(brand.id) } });
      return row.verificationCount;
    },
  };
}
