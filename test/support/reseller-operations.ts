export const RESELLERS = /* GraphQL */ `
  query ($slug: String!, $filter: ResellerFilter, $first: Int, $after: String) {
    brand(slug: $slug) {
      id
      resellers(filter: $filter, first: $first, after: $after) {
        counts {
          total
          active
          suspended
          expired
          revoked
          expiringSoon
        }
        edges {
          cursor
          node {
            store {
              id
              name
            }
            status
            expiresAt
            expiresSoon
            expiryReminderSentAt
            letter {
              letterId
              chainDepth
              status
              revokedReason
              validUntil
            }
            chain {
              letterId
              storeId
              storeName
              chainDepth
              status
            }
            badge {
              id
              kind
              status
              label
              expiresAt
              brand {
                slug
              }
              store {
                id
              }
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
`;

export const LETTER_DETAILS = /* GraphQL */ `
  query ($id: ID!) {
    node(id: $id) {
      id
      ... on AuthorizationLetter {
        status
        revokedReason
        badge {
          id
          status
          expiresAt
        }
        grantedLetters {
          id
          chainDepth
          status
          store {
            id
          }
        }
      }
    }
  }
`;

export const BADGE_TIMELINE = /* GraphQL */ `
  query ($id: ID!) {
    node(id: $id) {
      id
      ... on Badge {
        status
        expiresAt
        expiresSoon
        expiryReminderSentAt
        credential
        events {
          at
          type
          reason
        }
      }
    }
  }
`;

export interface ResellerNode {
  store: { id: string; name: string };
  status: string | null;
  expiresAt: string;
  expiresSoon: boolean;
  expiryReminderSentAt: string | null;
  letter: { letterId: string; chainDepth: number; status: string; revokedReason: string | null; validUntil: string };
  chain: Array<{ letterId: string; storeId: string; storeName: string; chainDepth: number; status: string }>;
  badge: { id: string; kind: string; status: string; label: string; expiresAt: string } | null;
}
