import type { IncomingMessage, ServerResponse } from 'node:http';

/** How long a connection stays open, unread, after an answer that came before its request's body ended. */
const LINGER_MS = 5_000;

/**
 * A request answered before its body has arrived (refused for its size, or
 * an upload without a valid token) is read no further: its socket stops
 * reading, so the client's sending stalls, and is closed a little later.
 * Closing it at once would reset the connection under a client still
 * sending, and HTTP clients (Node's among them) then lose the answer they
 * were sent; reading on would take in whatever the client sends.
 */
export function stopReadingAfterEarlyAnswer(req: IncomingMessage, res: ServerResponse): void {
  // Taken now: a request whose connection went away no longer names its socket.
  const socket = req.socket;
  // The connection of an early answer is closed soon: the client must not send its next request on it.
  const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
  res.writeHead = ((...args: unknown[]) => {
    if (!req.complete) res.setHeader('connection', 'close');
    return writeHead(...args);
  }) as typeof res.writeHead;
  res.once('finish', () => {
    if (req.complete || socket.destroyed) return;
    socket.pause();
    setTimeout(() => socket.destroy(), LINGER_MS).unref();
  });
}
