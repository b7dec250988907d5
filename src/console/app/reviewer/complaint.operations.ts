import { graphql } from '../graphql/graphql.ts';
import { ReviewerUserErrorFields, ReviewerAssigneeFields } from './shared-fields.operations.ts';

// A complaint's case file as a reviewer decides with it, and what a reviewer does with it.

export const ReviewerEvidenceFields = graphql(`
  fragment ReviewerEvidenceFields on Evidence {
    id
    caption
    uploadedByRole
    createdAt
    width
    height
    url
    thumbnailUrl
  }
`);

export const ReviewerComplaintFields = graphql(
  `
    fragment ReviewerComplaintFields on Complaint {
      id
      status
      escalated
      verdict
      decisionNote
      description
      orderReference
      listingUrl
      merchantStatement
      appealReason
      appealedByRole
      createdAt
      store {
        id
        name
        handle
        status
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
        appealDueAt
        merchantResponseDueAt
      }
      evidence {
        ...ReviewerEvidenceFields
        similarEvidence {
          ...ReviewerEvidenceFields
        }
      }
      timeline {
        at
        type
        actorRole
        message
      }
      informationRequests {
        side
        note
        open
        requestedAt
        dueAt
        answeredAt
        expiredAt
        statement
      }
      storeHistory {
        activeStrikes
        warningCount
        rescindedWarningCount
        earlierComplaintCount
        earlierVerdicts {
          counterfeit
          notCounterfeit
          insufficientEvidence
          undecided
        }
        earlierComplaints {
          id
          status
          verdict
          createdAt
        }
      }
      complainantRecord {
        complaintsFiled
        decided
        upheld
        upheldShare
        withdrawn
        expired
      }
      coupon {
        code
        value {
          amount
          currency
        }
      }
      warning {
        strikeNumber
      }
    }
  `,
  [ReviewerEvidenceFields, ReviewerAssigneeFields],
);

export const ReviewerComplaintQuery = graphql(
  `
    query ReviewerComplaint($id: ID!) {
      me {
        id
      }
      node(id: $id) {
        ... on Complaint {
          ...ReviewerComplaintFields
        }
      }
    }
  `,
  [ReviewerComplaintFields],
);

export const ReviewerComplaintUpdatedSubscription = graphql(
  `
    subscription ReviewerComplaintUpdated($id: ID!) {
      complaintUpdated(id: $id) {
        ...ReviewerComplaintFields
      }
    }
  `,
  [ReviewerComplaintFields],
);

export const ReviewerClaimOpenComplaintMutation = graphql(
  `
    mutation ReviewerClaimOpenComplaint($id: ID!) {
      claimComplaint(input: { complaintId: $id }) {
        complaint {
          ...ReviewerComplaintFields
        }
        userErrors {
          ...ReviewerUserErrorFields
        }
      }
    }
  `,
  [ReviewerComplaintFields, ReviewerUserErrorFields],
);

export const ReviewerDecideComplaintMutation = graphql(
  `
    mutation ReviewerDecideComplaint($input: DecideComplaintInput!) {
      decideComplaint(input: $input) {
        complaint {
          ...ReviewerComplaintFields
        }
        userErrors {
          ...ReviewerUserErrorFields
        }
      }
    }
  `,
  [ReviewerComplaintFields, ReviewerUserErrorFields],
);

export const ReviewerRequestInformationMutation = graphql(
  `
    mutation ReviewerRequestInformation($input: RequestComplaintInformationInput!) {
      requestComplaintInformation(input: $input) {
        complaint {
          ...ReviewerComplaintFields
        }
        userErrors {
          ...ReviewerUserErrorFields
        }
      }
    }
  `,
  [ReviewerComplaintFields, ReviewerUserErrorFields],
);
