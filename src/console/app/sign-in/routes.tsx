import { lazy } from 'react';
import type { AppRoute } from '../shell/route-types.ts';
import { CALLBACK_PATH, SIGNED_OUT_PATH } from './oidc-paths.ts';
import { SignInPage } from './sign-in-page.tsx';

export const routes: AppRoute[] = [
  { path: '/console/sign-in', page: SignInPage, access: 'anyone' },
  { path: CALLBACK_PATH, page: lazy(() => import('./oidc-return-page.tsx')), access: 'anyone' },
  { path: SIGNED_OUT_PATH, page: lazy(() => import('./signed-out-page.tsx')), access: 'anyone' },
];
