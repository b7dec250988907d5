import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { signDevToken } from '../../../src/auth/tokens.js';
import { REGISTER_BRAND } from '../../support/brand-operations.js';
import { ADD_EVIDENCE } from '../../support/complaint-operations.js';
import { multipartOpening, openRequest, sendUntilAnswered } from '../../support/raw-http.js';
import { startStack, unique, type Stack } from '../../support/stack.js';

// Bodies are bounded before they are buffered: a JSON body over 1 MiB, a
// multipart request with more than its two fields and one file or a file over
// the cap is refused with 413 while it is still arriving, and an upload without
// a valid token is refused with 401 before its file is read. The requests are
// written piece by piece, so each test also shows that the server answered
// before the client had finished sending.

const MiB = 1024 * 1024;
const BOUNDARY = 'edge-limits-boundary';
const MULTIPART = { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` };

let stack: Stack;
let brandToken: string;
let consumerToken: string;
let process: ReturnType<typeof vi.spyOn>;
let put: ReturnType<typeof vi.spyOn>;

beforeAll(async () => {
  stack = await startStack();
  brandToken = await stack.token(unique('brand'), ['BRAND']);
  consumerToken = await stack.token(unique('consumer'), ['CONSUMER']);
  // The photo pipeline and the bucket, watched: a refused upload reaches neither.
  process = vi.spyOn(stack.runtime.services.images, 'process');
  put = vi.spyOn(stack.runtime.services.storage, 'put');
});

beforeEach(() => {
  process.mockClear();
  put.mockClear();
});

afterAll(async () => {
  await stack?.close();
});

/** A registerBrand request whose JSON body is padded to `bytes`, written in 64 KiB pieces. */
function paddedRegistration(slug: string, bytes: number) {
  const head = JSON.stringify({ query: REGISTER_BRAND, variables: { input: { name: 'Padded', slug }, padding: '' } }).slice(0, -3);
  const tail = '"}}';
  return { head, filler: 'x'.repeat(64 * 1024), fillerBytes: bytes - head.length - tail.length, tail };
}

async function send(
  headers: Record<string, string>,
  body: { head: string; filler: string | Uint8Array; fillerBytes: number; tail: string },
) {
  const upload = openRequest(stack.endpoint, headers);
  await upload.write(body.head);
  return sendUntilAnswered(upload, body.filler, body.head.length + body.fillerBytes, body.tail);
}

const limitRefusal = (limit: string) => ({
  errors: [
    { message: expect.any(String), extensions: expect.objectContaining({ code: 'LIMIT_EXCEEDED', limit, max: expect.any(Number) }) },
  ],
});

describe('JSON bodies', () => {
  it.each([
    ['declared in Content-Length', true],
    ['sent chunked, without a length', false],
  ])('are refused with 413 once over 1 MiB (%s), before the rest is read, and nothing is written', async (_case, declared) => {
    const slug = unique('padded');
    const body = paddedRegistration(slug, 64 * MiB);
    const headers: Record<string, string> = { 'content-type': 'application/json', authorization: `Bearer ${brandToken}` };
    if (declared) headers['content-length'] = String(body.head.length + body.fillerBytes + body.tail.length);

    const answer = await send(headers, body);
    expect(answer.status).toBe(413);
    expect(answer.body).toEqual(limitRefusal('bodyBytes'));
    expect(answer.body.errors[0].extensions.max).toBe(MiB);
    expect(answer.sent).toBeLessThan(64 * MiB);
    expect(await stack.db.brand.count({ where: { slug } })).toBe(0);
  });

  it('are read up to 1 MiB: a registration padded to just under it goes through', async () => {
    const slug = unique('padded');
    const body = paddedRegistration(slug, MiB - 1024);
    const answer = await send({ 'content-type': 'application/json', authorization: `Bearer ${brandToken}` }, body);
    expect(answer.status).toBe(200);
    expect(answer.body.data.registerBrand.brand).toMatchObject({ id: expect.any(String) });
    expect(await stack.db.brand.count({ where: { slug } })).toBe(1);
  });
});

describe('multipart requests', () => {
  const complaintId = Buffer.from(`Complaint:${randomUUID()}`).toString('base64');
  const operations = { query: ADD_EVIDENCE, variables: { input: { complaintId, photo: null } } };
  const map = { 0: ['variables.input.photo'] };
  const photoBytes = new Uint8Array(64 * 1024).fill(0xff);
  const closing = `\r\n--${BOUNDARY}--\r\n`;

  /** Nothing of an upload was processed or stored. */
  function expectNothingProcessed() {
    expect(process).not.toHaveBeenCalled();
    expect(put).not.toHaveBeenCalled();
  }

  it.each([
    ['no token', null],
    ['a malformed token', 'not-a-jwt'],
    ['a token signed with another key', 'forged'],
  ])('with %s are answered 401 before the file is read', async (_case, token) => {
    const headers: Record<string, string> = { ...MULTIPART };
    if (token === 'forged') headers.authorization = `Bearer ${await signDevToken('x'.repeat(40), { sub: 'mallory', roles: ['CONSUMER'] })}`;
    else if (token) headers.authorization = `Bearer ${token}`;

    const answer = await send(headers, {
      head: multipartOpening(BOUNDARY, operations, map),
      filler: photoBytes,
      fillerBytes: 32 * MiB,
      tail: closing,
    });
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({ errors: [{ message: expect.any(String), extensions: { code: 'UNAUTHENTICATED' } }] });
    expect(answer.sent).toBeLessThan(32 * MiB);
    expectNothingProcessed();
  });

  it('are refused with 413 at once when declared over the cap', async () => {
    const headers = { ...MULTIPART, authorization: `Bearer ${consumerToken}`, 'content-length': String(64 * MiB) };
    const answer = await send(headers, {
      head: multipartOpening(BOUNDARY, operations, map),
      filler: photoBytes,
      fillerBytes: 64 * MiB,
      tail: '',
    });
    expect(answer.status).toBe(413);
    expect(answer.body).toEqual(limitRefusal('bodyBytes'));
    expect(answer.sent).toBeLessThan(64 * MiB);
    expectNothingProcessed();
  });

  it('are refused with 413 while a file over 20 MiB arrives', async () => {
    const answer = await send(
      { ...MULTIPART, authorization: `Bearer ${consumerToken}` },
      { head: multipartOpening(BOUNDARY, operations, map), filler: photoBytes, fillerBytes: 64 * MiB, tail: closing },
    );
    expect(answer.status).toBe(413);
    expect(answer.body).toEqual(limitRefusal('fileBytes'));
    expect(answer.sent).toBeLessThan(64 * MiB);
    expectNothingProcessed();
  });

  it('are refused with 413 at the first field besides operations and map (40 fields of 1 MiB were accepted)', async () => {
    const fields = multipartOpening(BOUNDARY, operations, map).split(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="0"`)[0]!;
    const extraField = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="pad"\r\n\r\n${'x'.repeat(MiB - 1024)}\r\n`;
    const answer = await send(
      { ...MULTIPART, authorization: `Bearer ${consumerToken}` },
      { head: fields, filler: extraField, fillerBytes: 40 * MiB, tail: closing },
    );
    expect(answer.status).toBe(413);
    expect(answer.body).toEqual(limitRefusal('multipartFields'));
    expect(answer.sent).toBeLessThan(40 * MiB);
    expectNothingProcessed();
  });

  it('are refused with 413 for an operations field over 1 MiB, and for a second file (a fourth part)', async () => {
    const hugeOperations = { ...operations, variables: { ...operations.variables, padding: 'x'.repeat(2 * MiB) } };
    const big = await send(
      { ...MULTIPART, authorization: `Bearer ${consumerToken}` },
      { head: multipartOpening(BOUNDARY, hugeOperations, map), filler: photoBytes, fillerBytes: 64 * 1024, tail: closing },
    );
    expect(big.status).toBe(413);
    expect(big.body).toEqual(limitRefusal('multipartFieldBytes'));

    const secondFile = `\r\n--${BOUNDARY}\r\nContent-Disposition: form-data; name="1"; filename="b.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`;
    const two = await send(
      { ...MULTIPART, authorization: `Bearer ${consumerToken}` },
      {
        head: multipartOpening(BOUNDARY, operations, { ...map, 1: ['variables.other'] }),
        filler: photoBytes,
        fillerBytes: 64 * 1024,
        tail: `${secondFile}abc${closing}`,
      },
    );
    expect(two.status).toBe(413);
    expect(two.body).toEqual(limitRefusal('multipartParts'));
    expectNothingProcessed();
  });
});
