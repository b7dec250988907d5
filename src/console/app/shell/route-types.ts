import type { ComponentType } from 'react';

export type Role = 'CONSUMER' | 'MERCHANT' | 'BRAND' | 'REVIEWER' | 'ADMIN';

/** One page of the console. Each area exports its list as `routes` from its own `routes.tsx`. */
export interface AppRoute {
  /** `/console/...`, or a public landing path; `:name` parts are read with useParams(). */
  path: string;
  page: ComponentType;
  /** Who may open it: anyone (no sign-in), anyone signed in, or people holding one of these roles. */
  access: 'anyone' | 'signed-in' | readonly Role[];
  /** Listed in the navigation (for those who may open it) under this label, in this order. */
  nav?: { label: string; order: number };
}

export const mayOpen = (route: AppRoute, signedIn: boolean, roles: readonly Role[]): boolean =>
  route.access === 'anyone' || (signedIn && (route.access === 'signed-in' || route.access.some((role) => roles.includes(role))));
