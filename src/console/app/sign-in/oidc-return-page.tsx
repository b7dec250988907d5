import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate } from '../shell/router.tsx';
import { useSession } from '../shell/session.tsx';
import { Page } from '../ui/page.tsx';
import { loadConsoleConfig } from './console-config.ts';
import { consolePageOrHome } from './next-page.ts';
import { finishSignIn } from './oidc-client.ts';
import { CALLBACK_PATH } from './oidc-paths.ts';
import { SignInProblem } from './oidc-settings.ts';

/** Where the identity provider sends the browser back after signing in: trades the answer for the console's session. */
export default function OidcReturnPage() {
  const { signIn } = useSession();
  const navigate = useNavigate();
  const [problem, setProblem] = useState<string | null>(null);
  const started = useRef(false);
  useEffect(() => {
    // Once: the answer's code works a single time.
    if (started.current) return;
    started.current = true;
    const answer = new URL(window.location.href);
    // The code and state have done their job; they stay out of the tab's history.
    window.history.replaceState(null, '', CALLBACK_PATH);
    loadConsoleConfig()
      .then((config) => {
        if (config.signIn.method !== 'oidc')
          throw new SignInProblem('This copy of the service does not sign in through an identity provider.');
        return finishSignIn(config.signIn, answer);
      })
      .then(
        ({ session, next }) => {
          signIn(session);
          navigate(consolePageOrHome(next), { replace: true });
        },
        (error: Error) => setProblem(error instanceof SignInProblem ? error.message : `Signing in did not work: ${error.message}`),
      );
  }, [navigate, signIn]);
  return (
    <Page title={problem ? 'Signing in did not work' : 'Signing you in'}>
      {problem ? (
        <>
          <p role="alert" className="error">
            {problem}
          </p>
          <p>
            <Link to="/console/sign-in">Sign in again</Link>
          </p>
        </>
      ) : (
        <p role="status">Finishing signing in…</p>
      )}
    </Page>
  );
}
