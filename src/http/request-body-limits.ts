import type { IncomingMessage } from 'node:http';
import type { FetchAPI, Plugin } from 'graphql-yoga';
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

/**
 * Caps request bodies before they are buffered: a Content-Length over the cap
 * is answered 413 at once, and a body without one (chunked) is counted as it
 * streams and refused at the first byte over. Yoga's own cap stays as a
 * backstop at the multipart size.
 */
export function useRequestBodyLimits(limits: BodyLimits): Plugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI, serverContext }) {
      if (request.method !== 'POST') return;
      const max = isMultipartRequest(request) ? limits.multipartMaxBytes : limits.maxBytes;
      const declared = request.headers.get('content-length');
      // A malformed Content-Length is refused by yoga's own check.
      const length = declared !== null && /^\d+$/.test(declared) ? Number(declared) : null;
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
