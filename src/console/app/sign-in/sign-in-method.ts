import type { ComponentType } from 'react';
import type { Session } from '../shell/session.tsx';

/**
 * One way of signing in. The sign-in page shows the method's choices; the
 * method calls `onSignedIn` once it holds a token for the API.
 */
export interface SignInMethod {
  Choices: ComponentType<{ onSignedIn(session: Session): void }>;
}
