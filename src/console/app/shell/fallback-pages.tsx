import { Page } from '../ui/page.tsx';
import { Link, useLocation } from './router.tsx';
import type { AppRoute } from './route-types.ts';

const ROLE_NAMES: Record<string, string> = {
  CONSUMER: 'consumer',
  MERCHANT: 'store owner',
  BRAND: 'brand member',
  REVIEWER: 'reviewer',
  ADMIN: 'administrator',
};

export const roleName = (role: string) => ROLE_NAMES[role] ?? role.toLowerCase();

export function NotFoundPage() {
  return (
    <Page title="Page not found">
      <p>
        There is no page at this address. <Link to="/console/">Go to the start page</Link>.
      </p>
    </Page>
  );
}

export function SignInFirst() {
  const { pathname, search } = useLocation();
  return (
    <Page title="Please sign in">
      <p>
        This page is for signed-in people. <Link to={`/console/sign-in?next=${encodeURIComponent(pathname + search)}`}>Sign in</Link> to
        open it.
      </p>
    </Page>
  );
}

export function NotAllowedPage({ route }: { route: AppRoute }) {
  const needed = Array.isArray(route.access) ? route.access.map(roleName).join(' or ') : 'another';
  return (
    <Page title="Not available to you">
      <p>This page is for people with the {needed} role.</p>
    </Page>
  );
}
