import type { Stack } from './stack.js';
import { pdfFile } from './stack.js';

export const REGISTER_BRAND = /* GraphQL */ `
  mutation ($input: RegisterBrandInput!) {
    registerBrand(input: $input) {
      brand {
        id
        slug
        name
        status
        createdAt
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`;

export const SUBMIT_TRADEMARK = /* GraphQL */ `
  mutation ($input: SubmitTrademarkInput!) {
    submitTrademark(input: $input) {
      trademark {
        id
        registrationNumber
        office
        niceClasses
        holderName
        validFrom
        validUntil
        status
        reviewNote
        brand {
          id
          slug
        }
        document {
          id
          filename
          contentType
          byteSize
          sha256
          url
        }
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`;

export const REVIEW_TRADEMARK = /* GraphQL */ `
  mutation ($input: ReviewInput!) {
    reviewTrademark(input: $input) {
      trademark {
        id
        status
        reviewNote
        brand {
          id
          status
        }
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`;

export const BRAND_BY_SLUG = /* GraphQL */ `
  query ($slug: String!) {
    brand(slug: $slug) {
      id
      slug
      name
      status
      trademarks {
        id
        status
        document {
          id
          sha256
          url
        }
      }
    }
  }
`;

export function trademarkInput(brandId: string, overrides: Record<string, unknown> = {}) {
  const now = Date.now();
  return {
    brandId,
    registrationNumber: `REG-${Math.floor(Math.random() * 1e9)}`,
    office: 'EUIPO',
    niceClasses: [25, 18],
    holderName: 'Holder Ltd',
    validFrom: new Date(now - 86_400_000).toISOString(),
    validUntil: new Date(now + 365 * 86_400_000).toISOString(),
    certificate: null,
    ...overrides,
  };
}

export async function registerBrand(stack: Stack, token: string, slug: string, name = 'Test Brand') {
  const res = await stack.gql(REGISTER_BRAND, { input: { name, slug } }, { token });
  if (!res.body.data?.registerBrand.brand) throw new Error(`registerBrand failed: ${JSON.stringify(res.body)}`);
  return res.body.data.registerBrand.brand as { id: string; slug: string; status: string };
}

export async function submitTrademark(
  stack: Stack,
  token: string,
  brandId: string,
  overrides: Record<string, unknown> = {},
  file = pdfFile(),
) {
  return stack.gql(SUBMIT_TRADEMARK, { input: trademarkInput(brandId, overrides) }, { token, files: { 'input.certificate': file } });
}
