import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { bareHost, type UrlRules } from './address-check.js';
import { checkedLookup, resolveAllowed } from './safe-lookup.js';

export interface SendResult {
  statusCode: number | null;
  /** Why the attempt failed, in words for the endpoint's owner; null on a 2xx answer. */
  error: string | null;
  durationMs: number;
}

// Receivers answer with a short acknowledgement; more is read and thrown away up to this.
const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * POSTs one signed body. Redirects are not followed (a 3xx is a failure), the
 * destination is checked at connection time, and the whole exchange is bounded by `timeoutMs`.
 */
export async function sendWebhook(
  target: string,
  headers: Record<string, string>,
  body: string,
  options: UrlRules & { timeoutMs: number },
): Promise<SendResult> {
  const started = performance.now();
  const done = (statusCode: number | null, error: string | null): SendResult => ({
    statusCode,
    error,
    durationMs: Math.round(performance.now() - started),
  });
  const url = new URL(target);
  try {
    // Node connects to an IP literal without a lookup, so it is checked here.
    if (isIP(bareHost(url.hostname))) await resolveAllowed(url.hostname, options);
  } catch (error) {
    return done(null, (error as Error).message);
  }
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<SendResult>((resolve) => {
    let settled = false;
    const finish = (result: SendResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const request = client.request(
      url,
      {
        method: 'POST',
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'user-agent': 'brand-auth-webhooks/1',
        },
        lookup: checkedLookup(options),
        agent: false,
      },
      (response) => {
        let read = 0;
        response.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > MAX_RESPONSE_BYTES) response.destroy();
        });
        const statusCode = response.statusCode ?? null;
        const answered = () => {
          if (statusCode !== null && statusCode >= 200 && statusCode < 300) finish(done(statusCode, null));
          else if (statusCode !== null && statusCode >= 300 && statusCode < 400)
            finish(done(statusCode, `HTTP ${statusCode}: redirects are not followed`));
          else finish(done(statusCode, `HTTP ${statusCode}`));
        };
        response.on('end', answered);
        response.on('close', answered);
        response.on('error', answered);
      },
    );
    const timer = setTimeout(() => {
      finish(done(null, `No answer within ${options.timeoutMs} ms`));
      request.destroy();
    }, options.timeoutMs);
    request.on('error', (error) => finish(done(null, error.message)));
    request.end(body);
  });
}
