import { Client, Connection } from '@temporalio/client';
import type { Config } from '../config.js';

/**
 * Connects on first use, so the API starts (and reports itself not ready)
 * while Temporal is still coming up.
 */
export function connectTemporal(config: Pick<Config, 'TEMPORAL_ADDRESS' | 'TEMPORAL_NAMESPACE'>) {
  const connection = Connection.lazy({ address: config.TEMPORAL_ADDRESS, connectTimeout: '5s' });
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
  return { connection, client };
}
