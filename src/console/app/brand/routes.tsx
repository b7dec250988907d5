import { lazy } from 'react';
import type { AppRoute } from '../shell/route-types.ts';

const BrandPortalPage = lazy(() => import('./brand-portal-page.tsx'));

export const routes: AppRoute[] = [
  { path: '/console/brand', page: BrandPortalPage, access: ['BRAND'], nav: { label: 'Brand portal', order: 20 } },
];
