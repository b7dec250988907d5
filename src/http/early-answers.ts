import type { IncomingMessage, ServerResponse } from 'node:http';

/** How long a connection stays open, unread, after an answer that came before its request's body ended. */
const LINGER_MS = 5_000;

/** A declared body up to this size is read (and dropped) after an early answer, so its connection stays usable. */
const DRAIN_BYTES = 1024 * 1024;

/**
 * A request answered before its body has arrived (refused for its size, or
 * an upload without a valid token) is read no further when its body is large
 * or of unknown size: its socket stops reading, so the client's sending
 * stalls, and is closed a little later. Closing it at once would reset the
 * connection under a client still sending, and HTTP clients (Node's among
 * them) then lose the answer they were sent; reading on would take in
 * whatever the client sends. A small declared body is left to Node, which
 * reads and drops it and keeps the connection alive: a client that reuses it
 * for its next request must not find it closed under that request.
 */
export function stopReadingAfterEarlyAnswer(req: IncomingMessage, res: ServerResponse): void {
  // Taken now: a request whose connection went away no longer names its socket.
  const socket = req.socket;
  res.once('finish', () => {
    if (req.complete || socket.destroyed) return;
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared <= DRAIN_BYTES) return;
    socket.pause();
    setTimeout(() => socket.destroy(), LINGER_MS).unref();
  });
}
