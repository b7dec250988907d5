import { Suspense, useMemo } from 'react';
import { Provider as GraphQLProvider } from 'urql';
import { createGraphQLClient } from '../graphql/client.ts';
import { routes } from '../routes.ts';
import { Header } from './header.tsx';
import { MeProvider, useMe } from './me.tsx';
import { Navigation } from './navigation.tsx';
import { ParamsProvider, Router, matchPath, useLocation } from './router.tsx';
import { mayOpen } from './route-types.ts';
import { NotAllowedPage, NotFoundPage, SignInFirst } from './fallback-pages.tsx';
import { SessionProvider, currentToken, useSession } from './session.tsx';

export function App() {
  return (
    <SessionProvider>
      <Router>
        <SignedInClient />
      </Router>
    </SessionProvider>
  );
}

/** One GraphQL client per sign-in, so nothing of the previous person's carries over. */
function SignedInClient() {
  const { session, signOut } = useSession();
  const client = useMemo(() => createGraphQLClient({ token: currentToken, onUnauthenticated: signOut }), [session?.token, signOut]);
  return (
    <GraphQLProvider value={client}>
      <MeProvider key={session?.token ?? 'anonymous'}>
        <Layout />
      </MeProvider>
    </GraphQLProvider>
  );
}

function Layout() {
  const { pathname } = useLocation();
  const { session } = useSession();
  const { roles, fetching } = useMe();
  const matched = routes.map((route) => ({ route, params: matchPath(route.path, pathname) })).find((m) => m.params !== null);
  let content;
  if (!matched) content = <NotFoundPage />;
  else if (mayOpen(matched.route, Boolean(session), roles)) content = <matched.route.page />;
  else if (!session) content = <SignInFirst />;
  else if (fetching) content = <p role="status">Loading…</p>;
  else content = <NotAllowedPage route={matched.route} />;
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Header />
      <Navigation />
      <main id="main" tabIndex={-1}>
        <ParamsProvider params={matched?.params ?? {}}>
          <Suspense fallback={<p role="status">Loading…</p>}>{content}</Suspense>
        </ParamsProvider>
      </main>
    </>
  );
}
