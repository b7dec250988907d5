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

/** A letter with how it was issued and its sub-licensing state. */
export const GRANT_FIELDS = /* GraphQL */ `
  ${LETTER_FIELDS}
  origin allowsSubLicensing grantorConfirmation grantorNote
`;

const GRANT_PAYLOAD = /* GraphQL */ `letter { ${GRANT_FIELDS} } userErrors { code field message }`;

export const AUTHORIZE_STORE = /* GraphQL */ `
  mutation ($input: AuthorizeStoreInput!) {
    authorizeStore(input: $input) { ${GRANT_PAYLOAD} }
  }
`;

export const ANSWER_SUB_LICENSE = /* GraphQL */ `
  mutation ($input: AnswerSubLicenseInput!) {
    answerSubLicense(input: $input) { ${GRANT_PAYLOAD} }
  }
`;

export const SET_SUB_LICENSING = /* GraphQL */ `
  mutation ($input: SetSubLicensingInput!) {
    setSubLicensing(input: $input) { ${GRANT_PAYLOAD} }
  }
`;

export const CONFIRM_GRANT = /* GraphQL */ `
  mutation ($input: ConfirmAuthorizationInput!) {
    confirmAuthorization(input: $input) { ${GRANT_PAYLOAD} }
  }
`;

export const REVIEW_GRANT = /* GraphQL */ `
  mutation ($input: ReviewInput!) {
    reviewAuthorizationLetter(input: $input) { ${GRANT_PAYLOAD} }
  }
`;

export const REVOKE_GRANT = /* GraphQL */ `
  mutation ($input: RevokeInput!) {
    revokeAuthorization(input: $input) { ${GRANT_PAYLOAD} }
  }
`;

export const SUB_LETTERS = /* GraphQL */ `
  query ($id: ID!) {
    node(id: $id) {
      id
      ... on AuthorizationLetter {
        subLetters(first: 20) {
          edges {
            node {
              id
              status
              grantorConfirmation
              store {
                id
              }
            }
          }
        }
      }
    }
  }
`;

/** The storefront read: the current badges of several stores in one request. */
export const STOREFRONT_BADGES = /* GraphQL */ `
  query ($ids: [ID!]!) {
    storeBadges(storeIds: $ids) { storeId badges { ${BADGE_FIELDS} } }
  }
`;
