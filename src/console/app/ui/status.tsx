import type { CombinedError } from '@urql/core';

export function Loading({ what }: { what: string }) {
  return <p role="status">Loading {what}…</p>;
}

/** A failed request in plain words; the details stay in the browser's console. */
export function RequestFailed({ error, what }: { error: CombinedError; what: string }) {
  const code = error.graphQLErrors[0]?.extensions?.code;
  const message =
    code === 'FORBIDDEN'
      ? `You may not see ${what}.`
      : code === 'UNAUTHENTICATED'
        ? 'Your sign-in has ended. Please sign in again.'
        : error.networkError
          ? `The service could not be reached to load ${what}. Check your connection and try again.`
          : `Something went wrong while loading ${what}. Please try again.`;
  return (
    <p role="alert" className="error">
      {message}
    </p>
  );
}
