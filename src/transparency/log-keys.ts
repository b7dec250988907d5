import { SIG_TYPE_ED25519, ed25519PrivateKey, formatVkey, parseSkey, rawPublicKey } from '../tlog/note.js';
import { cosignatureVerifier, noteVerifier, type LogPolicy } from '../tlog/index.js';
import type { Config } from '../config.js';

export interface LogIdentity {
  origin: string;
  skey: string;
  /** The verifier key to publish: `<origin>+<key id>+<key>`. */
  vkey: string;
}

export type LogConfig = Pick<
  Config,
  | 'TLOG_SIGNING_KEY'
  | 'TLOG_CHECKPOINT_INTERVAL_SECONDS'
  | 'TLOG_REPUBLISH_SECONDS'
  | 'TLOG_BATCH_SIZE'
  | 'TLOG_WITNESSES'
  | 'TLOG_WITNESS_QUORUM'
>;

/** Whether this service keeps a transparency log: it does once its signing key is configured. */
export const logKept = (config: Pick<Config, 'TLOG_SIGNING_KEY'>): boolean => config.TLOG_SIGNING_KEY !== undefined;

/** The log's name and keys, or null when no key is configured (the log is then off). */
export function logIdentity(config: Pick<Config, 'TLOG_SIGNING_KEY'>): LogIdentity | null {
  const skey = config.TLOG_SIGNING_KEY;
  if (!skey) return null;
  const { name, key } = parseSkey(skey);
  return { origin: name, skey, vkey: formatVkey(name, SIG_TYPE_ED25519, rawPublicKey(ed25519PrivateKey(key))) };
}

/** What a reader of this log trusts: its key, and the configured witnesses with their quorum. */
export function logPolicy(identity: LogIdentity, config: Pick<LogConfig, 'TLOG_WITNESSES' | 'TLOG_WITNESS_QUORUM'>): LogPolicy {
  return {
    origin: identity.origin,
    log: noteVerifier(identity.vkey),
    witnesses: config.TLOG_WITNESSES.map((w) => cosignatureVerifier(w.vkey)),
    quorum: config.TLOG_WITNESS_QUORUM,
  };
}
