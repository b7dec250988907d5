import { BADGE_FIELDS } from './store-operations.js';

/**
 * A letter as its store, its brand and reviewers see it. `grantor` is asked for
 * separately (GRANTOR_OF): the holder of a depth-2 letter may not read the
 * letter its grantor holds.
 */
export const LETTER_FIELDS = /* GraphQL */ `
  id chainDepth scope validFrom validUntil status brandConfirmation reviewNote
  brand { id } store { id }
  document { id filename contentType byteSize sha256 }
`;

const LETTER_PAYLOAD = /* GraphQL */ `letter { ${LETTER_FIELDS} } userErrors { code field message }`;

export const SUBMIT_LETTER = /* GraphQL */ `
  mutation ($input: SubmitAuthorizationLetterInput!) {
    submitAuthorizationLetter(input: $input) { ${LETTER_PAYLOAD} }
  }
`;

export const CONFIRM_LETTER = /* GraphQL */ `
  mutation ($input: ConfirmAuthorizationInput!) {
    confirmAuthorization(input: $input) { ${LETTER_PAYLOAD} }
  }
`;

export const REVIEW_LETTER = /* GraphQL */ `
  mutation ($input: ReviewInput!) {
    reviewAuthorizationLetter(input: $input) { ${LETTER_PAYLOAD} }
  }
`;

export const REVOKE_LETTER = /* GraphQL */ `
  mutation ($input: RevokeInput!) {
    revokeAuthorization(input: $input) { ${LETTER_PAYLOAD} }
  }
`;

export const BRAND_LETTERS = /* GraphQL */ `
  query ($brandId: ID!, $status: [AuthorizationStatus!], $first: Int, $after: String) {
    authorizationLetters(brandId: $brandId, status: $status, first: $first, after: $after) {
      edges {
        cursor
        node {
          id
          status
          chainDepth
          store {
            id
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

export const LETTER_NODE = /* GraphQL */ `
  query ($id: ID!) {
    node(id: $id) {
      id
      ... on AuthorizationLetter {
        status
        brandConfirmation
        chainDepth
        document {
          id
          sha256
          url
        }
      }
    }
  }
`;

export const GRANTOR_OF = /* GraphQL */ `
  query ($id: ID!) {
    node(id: $id) {
      id
      ... on AuthorizationLetter {
        chainDepth
        grantor {
          id
          chainDepth
          status
        }
      }
    }
  }
`;

export const DOCUMENT_NODE = /* GraphQL */ `
  query ($id: ID!) {
    node(id: $id) {
      id
      ... on Document {
        sha256
        url
      }
    }
  }
`;

export const STORE_BADGES = /* GraphQL */ `
  query ($id: ID!) {
    node(id: $id) { id ... on Store { badges { ${BADGE_FIELDS} } } }
  }
`;

export const BADGE_STATUS = /* GraphQL */ `
  query ($storeId: ID!) {
    badgeStatus(storeId: $storeId) { ${BADGE_FIELDS} }
  }
`;
