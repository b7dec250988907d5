import { graphql } from '../graphql/graphql.ts';
import { ReviewerUserErrorFields, ReviewerAssigneeFields, ReviewerPageInfoFields } from './shared-fields.operations.ts';

// The three work queues, one page each with the header's numbers, and the claims.

export const ReviewerComplaintQueueQuery = graphql(
  `
    query ReviewerComplaintQueue(
      $filter: ComplaintQueueFilter
      $orderBy: ComplaintQueueOrder
      $first: Int
      $after: String
      $last: Int
      $before: String
    ) {
      complaintReviewQueue(filter: $filter, orderBy: $orderBy, first: $first, after: $after, last: $last, before: $before) {
        counts {
          all
          unassigned
          mine
          escalated
        }
        edges {
          node {
            id
            status
            escalated
            createdAt
            orderReference
            store {
              id
              name
            }
            brand {
              id
              name
            }
            assignedReviewer {
              ...ReviewerAssigneeFields
            }
            deadlines {
              reviewDueAt
              informationDueAt
            }
          }
        }
        pageInfo {
          ...ReviewerPageInfoFields
        }
      }
    }
  `,
  [ReviewerAssigneeFields, ReviewerPageInfoFields],
);

export const ReviewerTrademarkQueueQuery = graphql(
  `
    query ReviewerTrademarkQueue(
      $filter: TrademarkQueueFilter
      $orderBy: ReviewQueueOrder
      $first: Int
      $after: String
      $last: Int
      $before: String
    ) {
      trademarkReviewQueue(filter: $filter, orderBy: $orderBy, first: $first, after: $after, last: $last, before: $before) {
        counts {
          all
          unassigned
          mine
        }
        edges {
          node {
            id
            status
            registrationNumber
            office
            holderName
            brand {
              id
              name
            }
            assignedReviewer {
              ...ReviewerAssigneeFields
            }
          }
        }
        pageInfo {
          ...ReviewerPageInfoFields
        }
      }
    }
  `,
  [ReviewerAssigneeFields, ReviewerPageInfoFields],
);

export const ReviewerLetterQueueQuery = graphql(
  `
    query ReviewerLetterQueue(
      $filter: LetterQueueFilter
      $orderBy: ReviewQueueOrder
      $first: Int
      $after: String
      $last: Int
      $before: String
    ) {
      letterReviewQueue(filter: $filter, orderBy: $orderBy, first: $first, after: $after, last: $last, before: $before) {
        counts {
          all
          unassigned
          mine
        }
        edges {
          node {
            id
            status
            scope
            chainDepth
            brandConfirmation
            brand {
              id
              name
            }
            store {
              id
              name
            }
            assignedReviewer {
              ...ReviewerAssigneeFields
            }
          }
        }
        pageInfo {
          ...ReviewerPageInfoFields
        }
      }
    }
  `,
  [ReviewerAssigneeFields, ReviewerPageInfoFields],
);

export const ReviewerClaimComplaintMutation = graphql(
  `
    mutation ReviewerClaimComplaint($id: ID!) {
      claimComplaint(input: { complaintId: $id }) {
        complaint {
          id
          assignedReviewer {
            ...ReviewerAssigneeFields
          }
        }
        userErrors {
          ...ReviewerUserErrorFields
        }
      }
    }
  `,
  [ReviewerUserErrorFields, ReviewerAssigneeFields],
);

export const ReviewerClaimTrademarkMutation = graphql(
  `
    mutation ReviewerClaimTrademark($id: ID!) {
      claimTrademarkReview(input: { id: $id }) {
        trademark {
          id
          assignedReviewer {
            ...ReviewerAssigneeFields
          }
        }
        userErrors {
          ...ReviewerUserErrorFields
        }
      }
    }
  `,
  [ReviewerUserErrorFields, ReviewerAssigneeFields],
);

export const ReviewerReleaseTrademarkMutation = graphql(
  `
    mutation ReviewerReleaseTrademark($id: ID!) {
      releaseTrademarkReview(input: { id: $id }) {
        trademark {
          id
          assignedReviewer {
            ...ReviewerAssigneeFields
          }
        }
        userErrors {
          ...ReviewerUserErrorFields
        }
      }
    }
  `,
  [ReviewerUserErrorFields, ReviewerAssigneeFields],
);

export const ReviewerClaimLetterMutation = graphql(
  `
    mutation ReviewerClaimLetter($id: ID!) {
      claimLetterReview(input: { id: $id }) {
        letter {
          id
          assignedReviewer {
            ...ReviewerAssigneeFields
          }
        }
        userErrors {
          ...ReviewerUserErrorFields
        }
      }
    }
  `,
  [ReviewerUserErrorFields, ReviewerAssigneeFields],
);

export const ReviewerReleaseLetterMutation = graphql(
  `
    mutation ReviewerReleaseLetter($id: ID!) {
      releaseLetterReview(input: { id: $id }) {
        letter {
          id
          assignedReviewer {
            ...ReviewerAssigneeFields
          }
        }
        userErrors {
          ...ReviewerUserErrorFields
        }
      }
    }
  `,
  [ReviewerUserErrorFields, ReviewerAssigneeFields],
);
