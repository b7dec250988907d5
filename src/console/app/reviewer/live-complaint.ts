import { createClient, type Client } from 'graphql-sse';
import { useEffect, useRef } from 'react';
import type { DocumentNode } from '@0no-co/graphql.web';
import type { TadaDocumentNode } from 'gql.tada';
import { persistedText, sha256Hex } from '../graphql/document-hash.ts';
import { useSession } from '../shell/session.tsx';

/**
 * Follows a GraphQL subscription over server-sent events (the API's
 * `complaintUpdated`), one stream per subscription as the API serves them.
 * Production builds name the document by its hash, as every other console
 * operation does; the API runs only the trusted documents there.
 */
export function useLiveSubscription<Data, Variables extends Record<string, unknown>>(
  document: TadaDocumentNode<Data, Variables>,
  variables: Variables,
  onData: (data: Data) => void,
  pause = false,
) {
  const { session } = useSession();
  const token = session?.token ?? null;
  const latest = useRef(onData);
  latest.current = onData;
  const key = JSON.stringify(variables);
  useEffect(() => {
    if (pause || !token) return;
    const client: Client = createClient({
      url: '/graphql',
      headers: { authorization: `Bearer ${token}` },
      // A dropped stream (a restart, a network change) is opened again.
      retryAttempts: 10,
    });
    let stop: (() => void) | null = null;
    let cancelled = false;
    void payloadFor(document, JSON.parse(key) as Variables).then((payload) => {
      if (cancelled) return;
      stop = client.subscribe<Data>(payload, {
        next: (result) => {
          if (result.data) latest.current(result.data);
        },
        error: () => {},
        complete: () => {},
      });
    });
    return () => {
      cancelled = true;
      stop?.();
      client.dispose();
    };
  }, [document, key, token, pause]);
}

async function payloadFor(document: DocumentNode, variables: Record<string, unknown>) {
  const text = persistedText(document);
  if (!import.meta.env.PROD) return { query: text, variables };
  const sha256Hash = await sha256Hex(text);
  // The API takes a hash in place of the text; graphql-sse's type asks for a query all the same.
  return { query: undefined as unknown as string, variables, extensions: { persistedQuery: { version: 1, sha256Hash } } };
}
