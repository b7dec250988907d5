import { useEffect, useRef, useState } from 'react';
import { useLocation } from '../shell/router.tsx';
import { useSession } from '../shell/session.tsx';
import { nextPage } from './next-page.ts';
import { providerName, SignInProblem, type OidcSettings } from './oidc-settings.ts';
import { endSessionUrl, takeProviderSignIn } from './provider-sign-in.ts';
import type { SignInMethod } from './sign-in-method.ts';

/**
 * After the console's Sign out (which ends the console's session and opens
 * this page), the provider's own sign-in is still open: a sign-in record from
 * a session that had not yet expired means the person chose to sign out, so
 * the provider is asked to end its session too. An expired one is dropped.
 */
function useSignOutAtProvider(settings: OidcSettings): { leaving: boolean; notice: string | null } {
  const { session } = useSession();
  const [state, setState] = useState<{ leaving: boolean; notice: string | null }>({ leaving: false, notice: null });
  const checked = useRef(false);
  useEffect(() => {
    if (checked.current || session) return;
    checked.current = true;
    const record = takeProviderSignIn();
    if (!record || record.expiresAt <= Date.now()) return;
    const url = endSessionUrl(settings, record);
    if (url) {
      setState({ leaving: true, notice: null });
      window.location.assign(url);
    } else {
      setState({
        leaving: false,
        notice: `You have signed out of the console. ${providerName(settings.issuer)} keeps its own sign-in: sign out there too on a shared computer.`,
      });
    }
  }, [session, settings]);
  return state;
}

/** Production: the platform's identity provider, by OpenID Connect (authorization code with PKCE). */
export function oidcSignIn(settings: OidcSettings): SignInMethod {
  const host = providerName(settings.issuer);
  return {
    Choices() {
      const { search } = useLocation();
      const [problem, setProblem] = useState<string | null>(null);
      const [busy, setBusy] = useState(false);
      const { leaving, notice } = useSignOutAtProvider(settings);
      if (leaving) return <p role="status">Signing you out at {host}…</p>;
      const start = () => {
        setBusy(true);
        setProblem(null);
        // The OpenID Connect client loads when someone signs in, not with every page of the console.
        import('./oidc-client.ts')
          .then(({ startSignIn }) => startSignIn(settings, nextPage(search)))
          .catch((error: Error) => {
            setProblem(
              error instanceof SignInProblem
                ? error.message
                : 'Signing in could not start: check your connection, reload the page and try again.',
            );
            setBusy(false);
          });
      };
      return (
        <section aria-labelledby="oidc-heading">
          <h2 id="oidc-heading">Your account</h2>
          {notice && <p role="status">{notice}</p>}
          <p>You sign in at {host}, the platform's sign-in service, and come straight back here.</p>
          <button type="button" disabled={busy} onClick={start}>
            Sign in with {host}
          </button>
          {busy && !problem && <p role="status">Opening {host}…</p>}
          {problem && (
            <p role="alert" className="error">
              {problem}
            </p>
          )}
        </section>
      );
    },
  };
}
