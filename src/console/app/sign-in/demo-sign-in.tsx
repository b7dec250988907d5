import { useState } from 'react';
import { roleName } from '../shell/fallback-pages.tsx';
import type { Role } from '../shell/route-types.ts';
import type { Session } from '../shell/session.tsx';
import type { SignInMethod } from './sign-in-method.ts';

interface DevSignInAnswer {
  token: string;
  subject: string;
  expiresAt: string;
}

async function devSignIn(subject: string): Promise<Session> {
  const response = await fetch('/dev/sign-in', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ subject }),
  });
  const body = (await response.json().catch(() => ({}))) as Partial<DevSignInAnswer> & { error?: string };
  if (!response.ok || !body.token) throw new Error(body.error ?? `Signing in failed (HTTP ${response.status}).`);
  return {
    token: body.token,
    subject: body.subject ?? subject,
    expiresAt: Date.parse(body.expiresAt ?? '') || Date.now() + 60 * 60 * 1000,
  };
}

/** Development and tests: pick one of the demo people; the API signs a short-lived token for them. */
export function demoSignIn(identities: Array<{ subject: string; roles: Role[] }>): SignInMethod {
  return {
    Choices({ onSignedIn }) {
      const [problem, setProblem] = useState<string | null>(null);
      const [busy, setBusy] = useState(false);
      const choose = async (subject: string) => {
        setBusy(true);
        setProblem(null);
        try {
          onSignedIn(await devSignIn(subject));
        } catch (error) {
          setProblem((error as Error).message);
        } finally {
          setBusy(false);
        }
      };
      return (
        <section aria-labelledby="demo-heading">
          <h2 id="demo-heading">Demo people</h2>
          <p>This is a development copy of the service: sign in as one of its demo people.</p>
          <ul className="choices">
            {identities.map(({ subject, roles }) => (
              <li key={subject}>
                <button type="button" disabled={busy} onClick={() => void choose(subject)}>
                  {subject} ({roles.map(roleName).join(', ')})
                </button>
              </li>
            ))}
          </ul>
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
