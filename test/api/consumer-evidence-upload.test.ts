import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildConsole } from '../../src/console/build/build-console.js';
import { photo } from '../support/complaint-operations.js';
import { startIdentityProvider, type IdentityProvider } from '../support/identity-provider.js';
import { startStack, type Stack } from '../support/stack.js';

// A consumer's phone sends complaint photos as multipart requests; in
// production those too must name the console's trusted document by hash.

let upload: { sha256Hash: string; document: string };
let idp: IdentityProvider;
let production: Stack;

beforeAll(async () => {
  // The console as `npm run build` makes it: its manifest lists the uploader's document as the browser hashes it.
  const dir = mkdtempSync(path.join(tmpdir(), 'console-dist-'));
  await buildConsole(dir);
  const manifest = JSON.parse(readFileSync(path.join(dir, 'trusted-documents.json'), 'utf8')) as Array<{
    name: string;
    sha256Hash: string;
    document: string;
  }>;
  upload = manifest.find((entry) => entry.name === 'ConsumerAddEvidence')!;
  idp = await startIdentityProvider();
  production = await startStack({ config: idp.config({ NODE_ENV: 'production', CONSOLE_DIST_DIR: dir }) });
});

afterAll(async () => {
  await Promise.all([production?.close(), idp?.close()]);
});

/** The request the console's uploader sends: operations (hash or text), map and the file. */
async function uploadRequest(operation: Record<string, unknown>) {
  const form = new FormData();
  const complaintId = Buffer.from(`Complaint:${randomUUID()}`).toString('base64');
  form.append('operations', JSON.stringify({ ...operation, variables: { input: { complaintId, photo: null } } }));
  form.append('map', JSON.stringify({ 0: ['variables.input.photo'] }));
  form.append('0', await photo(5, 320, 240));
  const token = await idp.token('consumer-with-phone', { roles: ['CONSUMER'] });
  const res = await production.http('/graphql', {
    method: 'POST',
    headers: { 'x-graphql-yoga-csrf': '1', authorization: `Bearer ${token}` },
    body: form,
  });
  return (await res.json()) as {
    errors?: Array<{ path?: string[]; extensions?: { code?: string } }>;
  };
}

describe('complaint photos from the production console', () => {
  it("runs the upload named by its hash: the resolver answers (a stranger's complaint), not the trusted-documents check", async () => {
    const body = await uploadRequest({ extensions: { persistedQuery: { version: 1, sha256Hash: upload.sha256Hash } } });
    expect(body.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([[['addEvidence'], 'FORBIDDEN']]);
  });

  it('refuses the same upload sent with its text', async () => {
    const body = await uploadRequest({ query: upload.document });
    expect(body.errors?.map((e) => e.extensions?.code)).toEqual(['PERSISTED_QUERY_ONLY']);
  });
});
