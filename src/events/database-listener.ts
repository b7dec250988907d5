import pg from 'pg';
import type { Logger } from '../logger.js';

export interface DatabaseListener {
  close(): Promise<void>;
}

const RECONNECT_MS = 1000;

/** LISTENs on channels with its own connection, reconnecting if it drops. */
export function listenToDatabase(
  databaseUrl: string,
  channels: Record<string, (payload: string) => void>,
  logger: Logger,
): DatabaseListener {
  let client: pg.Client | null = null;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;

  const connect = async () => {
    const next = new pg.Client({ connectionString: databaseUrl });
    next.on('notification', (message) => {
      const handler = channels[message.channel];
      if (handler && message.payload !== undefined) handler(message.payload);
    });
    next.on('error', (error) => {
      logger.warn({ err: error }, 'database listener lost its connection; reconnecting');
      void next.end().catch(() => undefined);
      if (!closed) timer = setTimeout(() => void connect(), RECONNECT_MS);
    });
    try {
      await next.connect();
      for (const channel of Object.keys(channels)) await next.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      if (closed) await next.end();
      else client = next;
    } catch (error) {
      logger.warn({ err: error }, 'database listener could not connect; retrying');
      void next.end().catch(() => undefined);
      if (!closed) timer = setTimeout(() => void connect(), RECONNECT_MS);
    }
  };
  void connect();

  return {
    async close() {
      closed = true;
      clearTimeout(timer);
      await client?.end().catch(() => undefined);
    },
  };
}
