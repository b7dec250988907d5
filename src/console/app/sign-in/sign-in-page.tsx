import { useEffect, useMemo, useState } from 'react';
import { Link, useLocation, useNavigate } from '../shell/router.tsx';
import { useSession, type Session } from '../shell/session.tsx';
import { Page } from '../ui/page.tsx';
import { loadConsoleConfig, type SignInConfig } from './console-config.ts';
import { demoSignIn } from './demo-sign-in.tsx';
import { oidcSignIn } from './oidc-sign-in.tsx';
import { nextPage } from './next-page.ts';
import type { SignInMethod } from './sign-in-method.ts';

const methodFor = (config: SignInConfig): SignInMethod => (config.method === 'demo' ? demoSignIn(config.identities) : oidcSignIn(config));

export function SignInPage() {
  const { signIn } = useSession();
  const navigate = useNavigate();
  const { search } = useLocation();
  const [config, setConfig] = useState<SignInConfig | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    loadConsoleConfig().then(
      (loaded) => setConfig(loaded.signIn),
      (error: Error) => setProblem(error.message),
    );
  }, []);
  const method = useMemo(() => (config ? methodFor(config) : null), [config]);
  const onSignedIn = (session: Session) => {
    signIn(session);
    navigate(nextPage(search), { replace: true });
  };
  return (
    <Page title="Sign in">
      {problem && (
        <p role="alert" className="error">
          {problem}
        </p>
      )}
      {method ? <method.Choices onSignedIn={onSignedIn} /> : !problem && <p role="status">Loading…</p>}
      <p>
        Just want to check a product? <Link to="/console/check">Check a product code</Link> without signing in.
      </p>
    </Page>
  );
}
