import { graphql } from '../graphql/graphql.ts';

export const BrandLetterFields = graphql(`
  fragment BrandLetterFields on AuthorizationLetter {
    id
    chainDepth
    scope
    validFrom
    validUntil
    status
    origin
    brandConfirmation
    allowsSubLicensing
    grantorConfirmation
    revokedReason
    reviewNote
    store {
      id
      name
      handle
    }
    grantor {
      id
      store {
        name
      }
    }
    document {
      filename
      url
    }
  }
`);

export const BrandLettersQuery = graphql(
  `
    query BrandLetters($brandId: ID!, $status: [AuthorizationStatus!], $after: String) {
      authorizationLetters(brandId: $brandId, status: $status, first: 50, after: $after) {
        edges {
          node {
            ...BrandLetterFields
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  `,
  [BrandLetterFields],
);

export const BrandConfirmLetterMutation = graphql(
  `
    mutation BrandConfirmLetter($input: ConfirmAuthorizationInput!) {
      confirmAuthorization(input: $input) {
        letter {
          ...BrandLetterFields
        }
        userErrors {
          code
          field
          message
        }
      }
    }
  `,
  [BrandLetterFields],
);

export const BrandRevokeLetterMutation = graphql(
  `
    mutation BrandRevokeLetter($input: RevokeInput!) {
      revokeAuthorization(input: $input) {
        letter {
          ...BrandLetterFields
        }
        userErrors {
          code
          field
          message
        }
      }
    }
  `,
  [BrandLetterFields],
);

export const BrandSetSubLicensingMutation = graphql(
  `
    mutation BrandSetSubLicensing($input: SetSubLicensingInput!) {
      setSubLicensing(input: $input) {
        letter {
          ...BrandLetterFields
        }
        userErrors {
          code
          field
          message
        }
      }
    }
  `,
  [BrandLetterFields],
);

export const BrandAuthorizeStoreMutation = graphql(
  `
    mutation BrandAuthorizeStore($input: AuthorizeStoreInput!) {
      authorizeStore(input: $input) {
        letter {
          ...BrandLetterFields
        }
        userErrors {
          code
          field
          message
        }
      }
    }
  `,
  [BrandLetterFields],
);

export const BrandFindStoreQuery = graphql(`
  query BrandFindStore($handleOrUrl: String!) {
    findStore(handleOrUrl: $handleOrUrl) {
      id
      name
      handle
      status
    }
  }
`);

export const BrandResellersQuery = graphql(`
  query BrandResellers($slug: String!, $filter: ResellerFilter, $after: String) {
    brand(slug: $slug) {
      id
      resellers(first: 50, after: $after, filter: $filter) {
        counts {
          total
          active
          suspended
          expired
          revoked
          expiringSoon
        }
        edges {
          node {
            store {
              id
              name
              handle
            }
            status
            expiresAt
            expiresSoon
            expiryReminderSentAt
            badge {
              id
              label
              kind
            }
            chain {
              letterId
              chainDepth
              storeName
              status
            }
            letter {
              letterId
              status
              scope
              revokedReason
            }
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`);
