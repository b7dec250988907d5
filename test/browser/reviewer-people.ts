import type { Browser, Page } from 'playwright-core';
import type { Stack } from '../support/stack.js';
import { actor, type Actor } from '../support/store-operations.js';

// Reviewers of their own for the reviewer pages' tests: the demo reviewer's
// claims are counted by the sign-in test, and a second reviewer is needed to
// see another one's claim. Sign-in itself is covered there; here a reviewer's
// tab starts signed in, with the session the console keeps in sessionStorage.

const SESSION_KEY = 'brand-auth.session';

export interface ReviewerTab {
  reviewer: Actor;
  /** How the console names this reviewer to others. */
  displayName: string;
  page: Page;
  close(): Promise<void>;
}

const ME = /* GraphQL */ `
  {
    me {
      displayName
    }
  }
`;

export async function reviewerTab(stack: Stack, browser: Browser): Promise<ReviewerTab> {
  const reviewer = await actor(stack, 'reviewer', ['REVIEWER']);
  const me = await stack.gql(ME, {}, { token: reviewer.token });
  const displayName = me.body.data.me.displayName as string;
  const { page, close } = await signedInTab(browser, reviewer);
  return { reviewer, displayName, page, close };
}

/** A tab whose console session is this person's from the first page on. */
export async function signedInTab(browser: Browser, person: Pick<Actor, 'subject' | 'token'>) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const session = JSON.stringify({ token: person.token, subject: person.subject, expiresAt: Date.now() + 3_600_000 });
  await context.addInitScript(
    ([key, value]) => {
      if (!sessionStorage.getItem(key)) sessionStorage.setItem(key, value);
    },
    [SESSION_KEY, session] as const,
  );
  const page = await context.newPage();
  return { page, close: () => context.close() };
}
