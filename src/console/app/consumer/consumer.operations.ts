import { graphql } from '../graphql/graphql.ts';

/** How every mutation here reports expected failures: `field` names the input field (shown next to it). */
export const ConsumerUserErrors = graphql(`
  fragment ConsumerUserErrors on UserError @_unmask {
    code
    field
    message
  }
`);

/** What the consumer's complaint steps answer: the complaint's new state, or why not. */
export const ConsumerComplaintChange = graphql(
  `
    fragment ConsumerComplaintChange on ComplaintPayload @_unmask {
      complaint {
        id
        status
      }
      userErrors {
        ...ConsumerUserErrors
      }
    }
  `,
  [ConsumerUserErrors],
);

// Counts as one check of the code every time it runs: the landing page asks once per visit.
export const ConsumerVerifyProductCodeQuery = graphql(`
  query ConsumerVerifyProductCode($brandSlug: String!, $code: String!) {
    verifyProductCode(brandSlug: $brandSlug, code: $code) {
      result
      sku
      firstVerifiedAt
      verificationCount
      brand {
        id
        name
        slug
      }
    }
  }
`);

export const ConsumerReportBrandQuery = graphql(`
  query ConsumerReportBrand($slug: String!) {
    brand(slug: $slug) {
      id
      name
      slug
    }
  }
`);

export const ConsumerFindStoreQuery = graphql(`
  query ConsumerFindStore($handleOrUrl: String!) {
    findStore(handleOrUrl: $handleOrUrl) {
      id
      name
      handle
    }
  }
`);

export const ConsumerFileComplaintMutation = graphql(
  `
    mutation ConsumerFileComplaint($input: FileComplaintInput!) {
      fileComplaint(input: $input) {
        ...ConsumerComplaintChange
      }
    }
  `,
  [ConsumerComplaintChange],
);

export const ConsumerAddEvidenceMutation = graphql(
  `
    mutation ConsumerAddEvidence($input: AddEvidenceInput!) {
      addEvidence(input: $input) {
        evidence {
          id
          thumbnailUrl
        }
        userErrors {
          ...ConsumerUserErrors
        }
      }
    }
  `,
  [ConsumerUserErrors],
);

export const ConsumerSubmitComplaintMutation = graphql(
  `
    mutation ConsumerSubmitComplaint($complaintId: ID!) {
      submitComplaint(input: { complaintId: $complaintId }) {
        ...ConsumerComplaintChange
      }
    }
  `,
  [ConsumerComplaintChange],
);

/** One complaint in the consumer's list. */
export const ConsumerComplaintListItem = graphql(`
  fragment ConsumerComplaintListItem on Complaint @_unmask {
    id
    status
    verdict
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
    informationRequests {
      open
      side
    }
  }
`);

// Under way and finished apart: a consumer has few complaints under way (the service limits them), so
// that list is always whole, however many finished ones pile up.
export const ConsumerComplaintsQuery = graphql(
  `
    query ConsumerComplaints {
      underWay: complaints(
        first: 100
        filter: { status: [AWAITING_EVIDENCE, AWAITING_MERCHANT_RESPONSE, UNDER_REVIEW, DECIDED, APPEALED] }
      ) {
        edges {
          node {
            ...ConsumerComplaintListItem
          }
        }
      }
      finished: complaints(first: 50, filter: { status: [CLOSED, EXPIRED, WITHDRAWN] }) {
        edges {
          node {
            ...ConsumerComplaintListItem
          }
        }
        pageInfo {
          hasNextPage
        }
      }
      myCoupons(first: 100) {
        edges {
          node {
            id
            code
            status
            expiresAt
            redeemedAt
            value {
              amount
              currency
            }
            complaint {
              id
            }
          }
        }
      }
    }
  `,
  [ConsumerComplaintListItem],
);

export const ConsumerComplaintPageQuery = graphql(`
  query ConsumerComplaintPage($id: ID!) {
    node(id: $id) {
      __typename
      ... on Complaint {
        id
        status
        verdict
        decisionNote
        createdAt
        description
        orderReference
        listingUrl
        merchantStatement
        appealReason
        appealedByRole
        store {
          id
          name
          handle
        }
        brand {
          id
          name
        }
        deadlines {
          evidenceDueAt
          merchantResponseDueAt
          reviewDueAt
          informationDueAt
          appealDueAt
        }
        evidence {
          id
          caption
          uploadedByRole
          thumbnailUrl
          createdAt
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
        timeline {
          at
          type
          message
          actorRole
        }
        coupon {
          id
          code
          status
          expiresAt
          redeemedAt
          value {
            amount
            currency
          }
          redeemedAtStore {
            name
          }
        }
      }
    }
  }
`);

export const ConsumerAnswerInformationRequestMutation = graphql(
  `
    mutation ConsumerAnswerInformationRequest($input: AnswerInformationRequestInput!) {
      answerInformationRequest(input: $input) {
        ...ConsumerComplaintChange
      }
    }
  `,
  [ConsumerComplaintChange],
);

export const ConsumerAppealDecisionMutation = graphql(
  `
    mutation ConsumerAppealDecision($input: AppealInput!) {
      appealDecision(input: $input) {
        ...ConsumerComplaintChange
      }
    }
  `,
  [ConsumerComplaintChange],
);

export const ConsumerWithdrawComplaintMutation = graphql(
  `
    mutation ConsumerWithdrawComplaint($complaintId: ID!) {
      withdrawComplaint(input: { complaintId: $complaintId }) {
        ...ConsumerComplaintChange
      }
    }
  `,
  [ConsumerComplaintChange],
);
