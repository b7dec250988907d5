import { routes } from '../routes.ts';
import { useMe } from './me.tsx';
import { Link, matchPath, useLocation } from './router.tsx';
import { mayOpen } from './route-types.ts';
import { useSession } from './session.tsx';

/** The pages this person may open, by the roles the API grants them. */
export function Navigation() {
  const { session } = useSession();
  const { roles } = useMe();
  const { pathname } = useLocation();
  const items = routes.filter((route) => route.nav && mayOpen(route, Boolean(session), roles)).sort((a, b) => a.nav!.order - b.nav!.order);
  if (items.length === 0) return null;
  return (
    <nav aria-label="Main" className="site-nav">
      <ul>
        {items.map((route) => (
          <li key={route.path}>
            <Link to={route.path} aria-current={matchPath(route.path, pathname) ? 'page' : undefined}>
              {route.nav!.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
