import { persistedExchange } from '@urql/exchange-persisted';
import { Client, fetchExchange, mapExchange, type Exchange } from '@urql/core';
import { persistedText, sha256Hex } from './document-hash.ts';

export interface ClientOptions {
  /** The signed-in person's bearer token, read at each request. */
  token: () => string | null;
  /** Called when the API says the token is no longer accepted. */
  onUnauthenticated: () => void;
}

/**
 * The console's GraphQL client. Production builds send only each document's
 * hash (the API runs nothing else there); development sends the text, so a
 * page being edited works without a build. No document cache: a reviewer
 * always sees the queues as they are now.
 */
export function createGraphQLClient({ token, onUnauthenticated }: ClientOptions): Client {
  const exchanges: Exchange[] = [
    mapExchange({
      onResult(result) {
        if (result.error?.graphQLErrors.some((e) => e.extensions?.code === 'UNAUTHENTICATED')) onUnauthenticated();
        return result;
      },
    }),
  ];
  if (import.meta.env.PROD) {
    exchanges.push(
      persistedExchange({
        enforcePersistedQueries: true,
        enableForMutation: true,
        preferGetForPersistedQueries: false,
        generateHash: (_text, document) => sha256Hex(persistedText(document)),
      }),
    );
  }
  exchanges.push(fetchExchange);
  return new Client({
    url: '/graphql',
    exchanges,
    requestPolicy: 'network-only',
    // JSON POSTs: the API asks GETs for a CSRF header, and a GET's URL would end up in logs.
    preferGetMethod: false,
    fetchOptions: () => {
      const current = token();
      const headers: Record<string, string> = current ? { authorization: `Bearer ${current}` } : {};
      return { headers };
    },
  });
}
