import { useState } from 'react';
import type { SignInMethod } from './sign-in-method.ts';

/**
 * Production: the platform's identity provider, by OpenID Connect (authorization
 * code with PKCE). The redirect and the token exchange belong in `start`; the
 * page around it is already in place.
 */
export function oidcSignIn(issuer: string): SignInMethod {
  const start = async (): Promise<void> => {
    throw new Error(`Signing in with ${issuer} is not available in this version of the console.`);
  };
  return {
    Choices() {
      const [problem, setProblem] = useState<string | null>(null);
      return (
        <>
          <button type="button" onClick={() => void start().catch((error: Error) => setProblem(error.message))}>
            Sign in with {new URL(issuer).host}
          </button>
          {problem && (
            <p role="alert" className="error">
              {problem}
            </p>
          )}
        </>
      );
    },
  };
}
