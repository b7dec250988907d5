import { lazy } from 'react';
import type { AppRoute } from '../shell/route-types.ts';

// Loaded when first opened, so people who never review don't download these pages.
const ReviewQueuesPage = lazy(() => import('./review-queues-page.tsx'));

export const routes: AppRoute[] = [
  { path: '/console/review', page: ReviewQueuesPage, access: ['REVIEWER', 'ADMIN'], nav: { label: 'Review queues', order: 10 } },
];
