import { z } from 'zod';
import { generateNoteKey } from '../tlog/index.js';
import { parseSkey, parseVkey } from '../tlog/note.js';

// The transparency log's settings. Its signing key is its own, never the badge
// key: the key's name is the log's origin, e.g. `auth.example.com/transparency-log`.

const witnessSchema = z.object({ url: z.url(), vkey: z.string().min(1) });

const witnessList = z
  .string()
  .default('[]')
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a JSON array of {"url", "vkey"}' });
      return z.NEVER;
    }
  })
  .pipe(
    z.array(
      witnessSchema.refine(
        (w) => {
          try {
            return parseVkey(w.vkey).type === 0x04;
          } catch {
            return false;
          }
        },
        { message: 'vkey must be an Ed25519 cosignature/v1 (type 04) verifier key' },
      ),
    ),
  );

export const transparencyLogShape = {
  /** The log's Ed25519 note signing key (`PRIVATE+KEY+<origin>+…`); its name is the origin. */
  TLOG_SIGNING_KEY: z
    .string()
    .min(1)
    .refine(
      (skey) => {
        try {
          return parseSkey(skey).type === 0x01;
        } catch {
          return false;
        }
      },
      { message: 'must be an Ed25519 note signing key (PRIVATE+KEY+<origin>+<id>+<key>)' },
    )
    .optional(),
  /** At most one new checkpoint this often while the log grows; also how often pending entries are taken in. */
  TLOG_CHECKPOINT_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  /** An idle log's checkpoint is signed and published again this often, so monitors see it is alive. */
  TLOG_REPUBLISH_SECONDS: z.coerce.number().int().min(1).default(3600),
  /** Entries taken into the log per integration step. */
  TLOG_BATCH_SIZE: z.coerce.number().int().min(1).max(65_536).default(4096),
  /** Witnesses asked to cosign each checkpoint: JSON `[{"url": "https://witness/…", "vkey": "<name>+<id>+<key>"}]`. */
  TLOG_WITNESSES: witnessList,
  /** Cosignatures needed before a checkpoint is published. */
  TLOG_WITNESS_QUORUM: z.coerce.number().int().min(0).default(0),
};

type Env = Record<string, string | undefined>;

/** Whether the log's note key holds the same Ed25519 seed as the badge JWK (a signature by one would then be one by the other). */
function sameKey(skey: string, jwk: string): boolean {
  try {
    const seed = parseSkey(skey).key;
    const d = (JSON.parse(jwk) as { d?: string }).d;
    return d !== undefined && Buffer.from(d, 'base64url').equals(seed);
  } catch {
    return false;
  }
}

export function transparencyLogProblems(env: Env): string[] {
  const problems: string[] = [];
  if (env.NODE_ENV === 'production' && !env.TLOG_SIGNING_KEY) problems.push('TLOG_SIGNING_KEY is required in production');
  let witnesses = 0;
  try {
    witnesses = (JSON.parse(env.TLOG_WITNESSES ?? '[]') as unknown[]).length;
  } catch {
    // reported by the schema
  }
  if (env.TLOG_SIGNING_KEY && env.BADGE_SIGNING_JWK && sameKey(env.TLOG_SIGNING_KEY, env.BADGE_SIGNING_JWK))
    problems.push('TLOG_SIGNING_KEY must be a key of its own, not the badge signing key');
  if (Number(env.TLOG_WITNESS_QUORUM ?? 0) > witnesses)
    problems.push(`TLOG_WITNESS_QUORUM is ${env.TLOG_WITNESS_QUORUM} but only ${witnesses} witnesses are configured`);
  return problems;
}

/** A new log key for local use; production keys are made once and kept in the secret store. */
export const generateLogKey = (origin = '127.0.0.1/transparency-log') => generateNoteKey(origin).skey;
