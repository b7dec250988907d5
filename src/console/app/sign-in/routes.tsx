import type { AppRoute } from '../shell/route-types.ts';
import { SignInPage } from './sign-in-page.tsx';

export const routes: AppRoute[] = [{ path: '/console/sign-in', page: SignInPage, access: 'anyone' }];
