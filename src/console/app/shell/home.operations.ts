import { graphql } from '../graphql/graphql.ts';

export const ReviewQueueCountsQuery = graphql(`
  query ReviewQueueCounts {
    trademarkReviewQueue(first: 1) {
      counts {
        all
        unassigned
        mine
      }
    }
    letterReviewQueue(first: 1) {
      counts {
        all
        unassigned
        mine
      }
    }
    complaintReviewQueue(first: 1) {
      counts {
        all
        unassigned
        mine
        escalated
      }
    }
  }
`);
