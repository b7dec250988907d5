import { describe, expect, it } from 'vitest';
import { isStorageOutage } from '../../src/storage/object-storage.js';

// Which failures of the object store are an outage (answered SERVICE_UNAVAILABLE, worth
// trying again) and which are a refusal of this request.

const withCode = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:9000`), { code });
const s3Error = (name: string, httpStatusCode: number) => Object.assign(new Error(name), { name, $metadata: { httpStatusCode } });

describe('isStorageOutage', () => {
  it.each([
    ['connection refused', withCode('ECONNREFUSED')],
    ['connection reset', withCode('ECONNRESET')],
    ['a socket that went quiet', withCode('ETIMEDOUT')],
    ['an unknown host', withCode('ENOTFOUND')],
    ['the SDK giving up on a connection', Object.assign(new Error('Connection timed out after 3000 ms'), { name: 'TimeoutError' })],
    ['503 Service Unavailable', s3Error('ServiceUnavailable', 503)],
    ['500 Internal Error', s3Error('InternalError', 500)],
    ['a network error wrapped by the upload', new Error('upload failed', { cause: withCode('ECONNREFUSED') })],
  ])('%s is an outage', (_label, error) => {
    expect(isStorageOutage(error)).toBe(true);
  });

  it.each([
    ['access denied', s3Error('AccessDenied', 403)],
    ['a missing bucket', s3Error('NoSuchBucket', 404)],
    ['a programming error', new TypeError('body is not a stream')],
    ['nothing at all', undefined],
    ['a string', 'ECONNREFUSED'],
  ])('%s is not', (_label, error) => {
    expect(isStorageOutage(error)).toBe(false);
  });
});
