import type { TypedDocumentNode } from '@urql/core';
import { persistedText, sha256Hex } from '../graphql/document-hash.ts';
import { currentToken } from '../shell/session.tsx';
import { refusalMessage } from './mutation-failure.ts';

export interface UploadProgress {
  loaded: number;
  total: number;
}

export class UploadFailed extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

/** The operation's part of a multipart request: its hash in production builds (as the console's other requests), else its text. */
async function operationFields(document: TypedDocumentNode<unknown, unknown>) {
  const text = persistedText(document);
  if (!import.meta.env.PROD) return { query: text };
  return { extensions: { persistedQuery: { version: 1, sha256Hash: await sha256Hex(text) } } };
}

/**
 * Sends one mutation with one file as a GraphQL multipart request
 * (operations, map, file). XMLHttpRequest rather than fetch: only it reports
 * how much of the body has been sent, which the progress bar shows.
 */
export async function uploadWithProgress<Result, Variables>(
  document: TypedDocumentNode<Result, Variables>,
  variables: Variables,
  filePath: string,
  file: File,
  onProgress: (progress: UploadProgress) => void,
): Promise<Result> {
  const form = new FormData();
  form.append('operations', JSON.stringify({ ...(await operationFields(document as TypedDocumentNode<unknown, unknown>)), variables }));
  form.append('map', JSON.stringify({ 0: [`variables.${filePath}`] }));
  form.append('0', file, file.name);
  return new Promise<Result>((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', '/graphql');
    const token = currentToken();
    if (token) request.setRequestHeader('authorization', `Bearer ${token}`);
    // Uploads are requests a foreign page could forge; the API asks for this header on them.
    request.setRequestHeader('x-graphql-yoga-csrf', '1');
    request.upload.onprogress = (event) => onProgress({ loaded: event.loaded, total: event.lengthComputable ? event.total : file.size });
    request.onerror = () => reject(new UploadFailed('The service could not be reached. Check your connection and try again.'));
    request.onload = () => {
      let body: { data?: Result; errors?: Array<{ message: string; extensions?: { code?: string } }> };
      try {
        body = JSON.parse(request.responseText) as typeof body;
      } catch {
        reject(new UploadFailed(request.status === 413 ? 'The file is too large.' : 'The upload failed. Please try again.'));
        return;
      }
      const error = body.errors?.[0];
      if (error || !body.data) {
        const code = error?.extensions?.code;
        const message =
          code === 'LIMIT_EXCEEDED' ? 'The file is too large.' : (refusalMessage(code) ?? 'The upload failed. Please try again.');
        reject(new UploadFailed(message, code));
        return;
      }
      resolve(body.data);
    };
    request.send(form);
  });
}
