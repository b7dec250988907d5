import { print, type DocumentNode } from '@0no-co/graphql.web';

/**
 * The text a document is persisted under. The build (in Node) and the browser
 * print the same document object the same way, so their hashes agree.
 */
export const persistedText = (document: DocumentNode): string => print(document);

/** Lowercase hex SHA-256, what `extensions.persistedQuery.sha256Hash` carries. */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}
