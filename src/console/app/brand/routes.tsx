import { lazy } from 'react';
import type { AppRoute } from '../shell/route-types.ts';

// Loaded when first opened, so people who don't work for a brand don't download these pages.
const BrandListPage = lazy(() => import('./brand-list-page.tsx'));
const TrademarksPage = lazy(() => import('./trademarks-page.tsx'));
const LettersPage = lazy(() => import('./letters-page.tsx'));
const ResellersPage = lazy(() => import('./resellers-page.tsx'));
const ProductCodesPage = lazy(() => import('./product-codes-page.tsx'));
const ScanInsightPage = lazy(() => import('./scan-insight-page.tsx'));
const TeamPage = lazy(() => import('./team-page.tsx'));
const WebhooksPage = lazy(() => import('./webhooks-page.tsx'));

const BRAND: AppRoute['access'] = ['BRAND'];

export const routes: AppRoute[] = [
  { path: '/console/brand', page: BrandListPage, access: BRAND, nav: { label: 'Brand portal', order: 20 } },
  { path: '/console/brand/:slug', page: TrademarksPage, access: BRAND },
  { path: '/console/brand/:slug/letters', page: LettersPage, access: BRAND },
  { path: '/console/brand/:slug/resellers', page: ResellersPage, access: BRAND },
  { path: '/console/brand/:slug/codes', page: ProductCodesPage, access: BRAND },
  { path: '/console/brand/:slug/insight', page: ScanInsightPage, access: BRAND },
  { path: '/console/brand/:slug/team', page: TeamPage, access: BRAND },
  { path: '/console/brand/:slug/webhooks', page: WebhooksPage, access: BRAND },
];
