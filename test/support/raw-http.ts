// A request whose body the test writes piece by piece over node:http, to see
// whether the API answers while the body is still arriving (fetch sends the
// whole body before it shows the answer, and fails when the server hangs up).
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { CSRF_HEADERS } from '../../src/http/browser-defaults.js';

export interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: any;
}

export interface StreamedUpload {
  /** Settles with the answer as soon as its headers and body have arrived. */
  answer: Promise<RawAnswer>;
  /** Whether the answer has arrived. */
  answered(): boolean;
  /** Writes a piece of the body; false once the server has hung up or answered. */
  write(chunk: string | Uint8Array): Promise<boolean>;
  /** Bytes of body written so far. */
  sent(): number;
  /** Ends the body where it is. */
  end(): void;
  close(): void;
}

/**
 * Opens a request and leaves its body open: Content-Length is sent only when
 * given in `headers`, otherwise the body goes chunked.
 */
export function openRequest(url: string, headers: Record<string, string>): StreamedUpload {
  let sent = 0;
  let responded = false;
  // Writes waiting on a server that stopped reading end when it answers or the connection fails.
  const waiting = new Set<(written: boolean) => void>();
  // As a non-browser client sends it: with the CSRF header, so only the limits under test refuse it.
  const req = httpRequest(url, { method: 'POST', headers: { [CSRF_HEADERS[0]!]: '1', ...headers } });
  const answer = new Promise<RawAnswer>((resolve, reject) => {
    req.once('response', (res) => {
      responded = true;
      for (const settle of waiting) settle(false);
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.once('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // not JSON: kept as text
        }
        resolve({ status: res.statusCode!, headers: res.headers, body });
      });
      res.once('error', reject);
    });
    // A server that answers and hangs up may reset the socket under a write; only an error before any answer fails.
    req.on('error', (error) => {
      for (const settle of waiting) settle(false);
      if (!responded) reject(error);
    });
  });
  answer.catch(() => undefined);
  return {
    answer,
    answered: () => responded,
    sent: () => sent,
    write(chunk) {
      if (responded || req.destroyed || req.errored) return Promise.resolve(false);
      return new Promise((resolve) => {
        const settle = (written: boolean) => {
          waiting.delete(settle);
          resolve(written);
        };
        waiting.add(settle);
        req.write(chunk, (error) => {
          if (!error) sent += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength;
          settle(!error && !responded);
        });
      });
    },
    end() {
      if (!req.destroyed) req.end();
    },
    close() {
      req.destroy();
    },
  };
}

/**
 * Writes `filler` again and again until `totalBytes` of body have been sent
 * (the last piece cut to fit), unless the server answers first; then `tail`,
 * and the end. Returns the answer and how many bytes were sent.
 */
export async function sendUntilAnswered(
  upload: StreamedUpload,
  filler: string | Uint8Array,
  totalBytes: number,
  tail: string | Uint8Array = '',
) {
  const length = (chunk: string | Uint8Array) => (typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength);
  while (!upload.answered() && upload.sent() < totalBytes) {
    const room = totalBytes - upload.sent();
    const piece = length(filler) <= room ? filler : filler.slice(0, room);
    if (!(await upload.write(piece))) break;
  }
  // A server that reads it all gets its end, so the test fails on the assertions rather than on a timeout.
  if (!upload.answered()) {
    await upload.write(tail);
    upload.end();
  }
  const answer = await upload.answer;
  upload.close();
  return { ...answer, sent: upload.sent() };
}

/** The opening of a GraphQL multipart request: its `operations` and `map` fields and a file part's headers. */
export function multipartOpening(
  boundary: string,
  operations: unknown,
  map: Record<string, string[]>,
  file = { name: '0', filename: 'photo.jpg' },
) {
  return (
    `--${boundary}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n${JSON.stringify(operations)}\r\n` +
    `--${boundary}\r\nContent-Disposition: form-data; name="map"\r\n\r\n${JSON.stringify(map)}\r\n` +
    `--${boundary}\r\nContent-Disposition: form-data; name="${file.name}"; filename="${file.filename}"\r\nContent-Type: image/jpeg\r\n\r\n`
  );
}
