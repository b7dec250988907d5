import { graphql } from '../graphql/graphql.ts';
import { ReviewerDocumentFields, ReviewerUserErrorFields, ReviewerAssigneeFields } from './shared-fields.operations.ts';

// Trademark certificates and authorization letters: the document beside what was submitted, and the verdict.

export const ReviewerTrademarkQuery = graphql(
  `
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
            ...ReviewerAssigneeFields
          }
          document {
            ...ReviewerDocumentFields
          }
        }
      }
    }
  `,
  [ReviewerAssigneeFields, ReviewerDocumentFields],
);

export const ReviewerLetterQuery = graphql(
  `
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
            ...ReviewerAssigneeFields
          }
          document {
            ...ReviewerDocumentFields
          }
        }
      }
    }
  `,
  [ReviewerAssigneeFields, ReviewerDocumentFields],
);

export const ReviewerReviewTrademarkMutation = graphql(
  `
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
          ...ReviewerUserErrorFields
        }
      }
    }
  `,
  [ReviewerUserErrorFields],
);

export const ReviewerReviewLetterMutation = graphql(
  `
    mutation ReviewerReviewLetter($input: ReviewInput!) {
      reviewAuthorizationLetter(input: $input) {
        letter {
          id
          status
          reviewNote
        }
        userErrors {
          ...ReviewerUserErrorFields
        }
      }
    }
  `,
  [ReviewerUserErrorFields],
);
