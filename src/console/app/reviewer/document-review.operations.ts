import { graphql } from '../graphql/graphql.ts';

// Trademark certificates and authorization letters: the document beside what was submitted, and the verdict.

export const ReviewerTrademarkQuery = graphql(`
  query ReviewerTrademark($id: ID!) {
    node(id: $id) {
      ... on Trademark {
        id
        status
        registrationNumber
        office
        holderName
        niceClasses
        validFrom
        validUntil
        reviewNote
        brand {
          id
          name
          slug
          status
        }
        assignedReviewer {
          id
          displayName
        }
        document {
          id
          filename
          contentType
          byteSize
          url
        }
      }
    }
  }
`);

export const ReviewerLetterQuery = graphql(`
  query ReviewerLetter($id: ID!) {
    node(id: $id) {
      ... on AuthorizationLetter {
        id
        status
        scope
        chainDepth
        validFrom
        validUntil
        reviewNote
        brandConfirmation
        grantorConfirmation
        brand {
          id
          name
          status
        }
        store {
          id
          name
        }
        grantor {
          id
          store {
            id
            name
          }
        }
        assignedReviewer {
          id
          displayName
        }
        document {
          id
          filename
          contentType
          byteSize
          url
        }
      }
    }
  }
`);

export const ReviewerReviewTrademarkMutation = graphql(`
  mutation ReviewerReviewTrademark($input: ReviewInput!) {
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
`);

export const ReviewerReviewLetterMutation = graphql(`
  mutation ReviewerReviewLetter($input: ReviewInput!) {
    reviewAuthorizationLetter(input: $input) {
      letter {
        id
        status
        reviewNote
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`);
