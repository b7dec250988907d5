// Every page of the console, gathered from the areas. An area adds or changes
// pages only in its own routes.tsx.
import { routes as brand } from './brand/routes.tsx';
import { routes as consumer } from './consumer/routes.tsx';
import { routes as reviewer } from './reviewer/routes.tsx';
import type { AppRoute } from './shell/route-types.ts';
import { routes as shell } from './shell/routes.tsx';
import { routes as signIn } from './sign-in/routes.tsx';

export const routes: readonly AppRoute[] = [...shell, ...signIn, ...reviewer, ...brand, ...consumer];
