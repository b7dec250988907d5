import type { IncomingMessage } from 'node:http';
import { createGraphQLError, type FetchAPI, type Plugin } from 'graphql-yoga';
import { limitExceeded } from './limit-errors.js';
import { isMultipartRequest } from './multipart-requests.js';

export interface BodyLimits {
  /** JSON and every other body that is not an upload. */
  maxBytes: number;
  /** A multipart upload: its fields and its file. */
  multipartMaxBytes: number;
}

const tooLarge = (max: number) => limitExceeded('bodyBytes', `The request body is over ${max} bytes.`, { max, status: 413 });

/** The same request, whose body fails with a 413 refusal at the first byte past `max`. */
function countingBytes(request: Request, max: number, fetchAPI: FetchAPI): Request {
  // The node listener hands over Node's own stream, which only Node's TransformStream may pipe (as yoga does).
  const Transform = request.body instanceof ReadableStream ? globalThis.TransformStream : fetchAPI.TransformStream;
  let read = 0;
  const body = request.body!.pipeThrough(
    new Transform<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        read += chunk.byteLength;
        if (read > max) controller.error(tooLarge(max));
        else controller.enqueue(chunk);
      },
    }),
  );
  return new fetchAPI.Request(request.url, {
    method: request.method,
    headers: request.headers,
    signal: request.signal,
    body,
    duplex: 'half',
  } as RequestInit);
}

const invalidLength = () =>
  createGraphQLError('Content-Length header is invalid.', { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } });

/**
 * Caps request bodies before they are buffered: a Content-Length over the cap
 * is answered 413 at once, and a body without one (chunked) is counted as it
 * streams and refused at the first byte over. A JSON POST is capped at
 * `maxBytes`; a multipart one, and a body sent with any other method, at
 * `multipartMaxBytes`. This is the only cap (yoga's own is off): counting a
 * body twice was a second stream per request.
 */
export function useRequestBodyLimits(limits: BodyLimits): Plugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI, serverContext }) {
      const declared = request.headers.get('content-length');
      // Only one non-negative integer is a length; anything else (a list, as in request smuggling) is refused.
      if (declared !== null && !/^\d+$/.test(declared)) throw invalidLength();
      const length = declared === null ? null : Number(declared);
      const max = request.method === 'POST' && !isMultipartRequest(request) ? limits.maxBytes : limits.multipartMaxBytes;
      if (length !== null && length > max) throw tooLarge(max);
      if (!requestParser || !request.body) return;
      // Node's HTTP parser hands over exactly the declared length (and refuses a
      // request that also says it is chunked), so a body declared within the cap
      // stays within it without being counted.
      const fromNode = !!(serverContext as { req?: IncomingMessage } | undefined)?.req;
      if (fromNode && length !== null && !request.headers.has('transfer-encoding')) return;
      const parse = requestParser;
      setRequestParser((received) => parse(countingBytes(received, max, fetchAPI)));
    },
  };
}
