import { lazy } from 'react';
import type { AppRoute } from '../shell/route-types.ts';

// Loaded when first opened, so people who never review don't download these pages.
const ReviewQueuesPage = lazy(() => import('./review-queues-page.tsx'));
const ComplaintReviewPage = lazy(() => import('./complaint-review-page.tsx'));
const TrademarkReviewPage = lazy(() => import('./trademark-review-page.tsx'));
const LetterReviewPage = lazy(() => import('./letter-review-page.tsx'));

const REVIEWERS = ['REVIEWER', 'ADMIN'] as const;

export const routes: AppRoute[] = [
  { path: '/console/review', page: ReviewQueuesPage, access: REVIEWERS, nav: { label: 'Review queues', order: 10 } },
  { path: '/console/review/complaints/:id', page: ComplaintReviewPage, access: REVIEWERS },
  { path: '/console/review/trademarks/:id', page: TrademarkReviewPage, access: REVIEWERS },
  { path: '/console/review/letters/:id', page: LetterReviewPage, access: REVIEWERS },
];
