import { persistedText, sha256Hex } from '../graphql/document-hash.ts';
import type { ResultOf } from '../graphql/graphql.ts';
import { currentToken } from '../shell/session.tsx';
import { ConsumerAddEvidenceMutation } from './consumer.operations.ts';

type AddEvidenceResult = ResultOf<typeof ConsumerAddEvidenceMutation>['addEvidence'];

export interface UploadError {
  field: string[] | null;
  message: string;
}

/**
 * Adds one photo to a complaint as a GraphQL multipart request. XMLHttpRequest
 * rather than the GraphQL client: only it reports upload progress, which
 * matters on a phone's connection. Production builds name the operation by
 * its hash, as the client does.
 */
export async function uploadEvidence(
  complaintId: string,
  photo: File,
  onProgress: (fraction: number) => void,
  caption?: string,
): Promise<{ evidenceId: string } | { problem: UploadError }> {
  const text = persistedText(ConsumerAddEvidenceMutation);
  const operation: Record<string, unknown> = {
    variables: { input: { complaintId, photo: null, ...(caption ? { caption } : {}) } },
  };
  if (import.meta.env.PROD) operation.extensions = { persistedQuery: { version: 1, sha256Hash: await sha256Hex(text) } };
  else operation.query = text;
  const form = new FormData();
  form.append('operations', JSON.stringify(operation));
  form.append('map', JSON.stringify({ 0: ['variables.input.photo'] }));
  form.append('0', photo, photo.name);

  return new Promise((resolve) => {
    const request = new XMLHttpRequest();
    request.open('POST', '/graphql');
    const token = currentToken();
    if (token) request.setRequestHeader('authorization', `Bearer ${token}`);
    // The API asks multipart requests for this header: a plain HTML form can't send it.
    request.setRequestHeader('x-graphql-yoga-csrf', '1');
    request.setRequestHeader('accept', 'application/graphql-response+json, application/json');
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    const failed = (message: string) => resolve({ problem: { field: null, message } });
    request.onerror = () => failed('The photo could not be sent: check your connection and try again.');
    request.onload = () => {
      let body: { data?: { addEvidence: AddEvidenceResult } | null; errors?: Array<{ message: string; extensions?: { code?: string } }> };
      try {
        body = JSON.parse(request.responseText) as typeof body;
      } catch {
        return failed(`The photo could not be sent (HTTP ${request.status}). Please try again.`);
      }
      const payload = body.data?.addEvidence;
      const userError = payload?.userErrors[0];
      if (userError) return resolve({ problem: { field: userError.field ?? null, message: userError.message } });
      if (payload?.evidence) {
        onProgress(1);
        return resolve({ evidenceId: payload.evidence.id });
      }
      const code = body.errors?.[0]?.extensions?.code;
      if (code === 'UNAUTHENTICATED') return failed('Your sign-in has ended. Please sign in again.');
      // Size limits are answered before GraphQL runs, in words meant for people.
      failed(body.errors?.[0]?.message ?? `The photo could not be sent (HTTP ${request.status}). Please try again.`);
    };
    request.send(form);
  });
}
