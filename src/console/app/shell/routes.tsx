import type { AppRoute } from './route-types.ts';
import { HomePage } from './home-page.tsx';

export const routes: AppRoute[] = [{ path: '/console/', page: HomePage, access: 'signed-in', nav: { label: 'Home', order: 0 } }];
