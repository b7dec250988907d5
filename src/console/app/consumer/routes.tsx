import { lazy } from 'react';
import type { AppRoute } from '../shell/route-types.ts';

const CheckProductCodePage = lazy(() => import('./check-product-code-page.tsx'));
const ProductCodeLandingPage = lazy(() => import('./product-code-landing-page.tsx'));
const ReportPage = lazy(() => import('./report-page.tsx'));
const ComplaintsPage = lazy(() => import('./complaints-page.tsx'));
const ComplaintPage = lazy(() => import('./complaint-page.tsx'));

export const routes: AppRoute[] = [
  { path: '/console/check', page: CheckProductCodePage, access: 'anyone', nav: { label: 'Check a product code', order: 30 } },
  // Printed on a product's label or QR code: https://<service>/c/<brand>/<code>.
  { path: '/c/:brand/:code', page: ProductCodeLandingPage, access: 'anyone' },
  // The brand's GS1 Digital Link with this service as resolver: /c/<brand>/01/<GTIN>[/22/<variant>][/10/<lot>]/21/<serial>.
  { path: '/c/:brand/01/:gtin', page: ProductCodeLandingPage, access: 'anyone' },
  { path: '/c/:brand/01/:gtin/21/:serial', page: ProductCodeLandingPage, access: 'anyone' },
  { path: '/c/:brand/01/:gtin/10/:lot/21/:serial', page: ProductCodeLandingPage, access: 'anyone' },
  { path: '/c/:brand/01/:gtin/22/:variant/21/:serial', page: ProductCodeLandingPage, access: 'anyone' },
  { path: '/c/:brand/01/:gtin/22/:variant/10/:lot/21/:serial', page: ProductCodeLandingPage, access: 'anyone' },
  { path: '/console/report', page: ReportPage, access: ['CONSUMER'] },
  { path: '/console/complaints', page: ComplaintsPage, access: ['CONSUMER'], nav: { label: 'Your complaints', order: 40 } },
  // Opened by reviewers too (the coupon is shown to them); the API shows each person only what is theirs to see.
  { path: '/console/complaints/:id', page: ComplaintPage, access: 'signed-in' },
];
