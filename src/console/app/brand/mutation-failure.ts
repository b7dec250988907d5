import type { CombinedError } from '@urql/core';

/** A refusal the API names by code, in plain words; null for codes a person can do nothing about. */
export function refusalMessage(code: unknown): string | null {
  if (code === 'FORBIDDEN') return 'Your role in this brand does not allow this.';
  if (code === 'UNAUTHENTICATED') return 'Your sign-in has ended. Please sign in again.';
  if (code === 'LIMIT_EXCEEDED') return 'That was too much at once. Try again with less.';
  return null;
}

/** A failed request in plain words, for a form to show next to its button. */
export function failureMessage(error: CombinedError | undefined): string | null {
  if (!error) return null;
  const refusal = refusalMessage(error.graphQLErrors[0]?.extensions?.code);
  if (refusal) return refusal;
  if (error.networkError) return 'The service could not be reached. Check your connection and try again.';
  return 'Something went wrong. Please try again.';
}
