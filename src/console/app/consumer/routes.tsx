import { lazy } from 'react';
import type { AppRoute } from '../shell/route-types.ts';

const CheckProductCodePage = lazy(() => import('./check-product-code-page.tsx'));
const ProductCodeLandingPage = lazy(() => import('./product-code-landing-page.tsx'));

export const routes: AppRoute[] = [
  { path: '/console/check', page: CheckProductCodePage, access: 'anyone', nav: { label: 'Check a product code', order: 30 } },
  // Printed on a product's label or QR code: https://<service>/c/<brand>/<code>.
  { path: '/c/:brand/:code', page: ProductCodeLandingPage, access: 'anyone' },
];
