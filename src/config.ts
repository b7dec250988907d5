import { z } from 'zod';
import { parseAmountCaps, parseCurrencyList } from './money.js';
import { compensationConfigProblems } from './services/compensation-policy.js';
import { authModeProblems } from './auth/dev-token-guard.js';
import { groupRolesSchema } from './auth/group-roles.js';
import { edgeConfigShape } from './edge-config.js';
import { transparencyLogShape, transparencyLogProblems } from './transparency/log-config.js';

// Every setting the service reads, described once. `loadConfig` is the only
// place that looks at the environment; everything else receives `Config`.

const seconds = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const DAY = 24 * 60 * 60;

/** W3C Bitstring Status List: at least 16 KiB of bits, so fetching a list reveals little about which badge is checked. */
export const PRIVATE_STATUS_LIST_BITS = 131_072;
// Signature algorithms an identity provider's tokens may use: asymmetric only,
// so a public key can never be replayed as an HMAC secret, and never `none`.
const ASYMMETRIC_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'] as const;

/** `a, b,c` as ['a', 'b', 'c']; empty when unset. */
const commaList = z
  .string()
  .default('')
  .transform((list) =>
    list
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean),
  );

const booleanFlag = z
  .enum(['true', 'false', '1', '0'])
  .default('false')
  .transform((v) => v === 'true' || v === '1');

export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

  DATABASE_URL: z.url({ message: 'must be a postgresql:// URL' }),

  TEMPORAL_ADDRESS: z.string().min(1),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('brand-auth'),

  S3_ENDPOINT: z.url(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_ACCESS_KEY_ID: z.string().min(1),
  S3_SECRET_ACCESS_KEY: z.string().min(1),
  S3_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be a valid S3 bucket name'),
  S3_FORCE_PATH_STYLE: booleanFlag.default(true),

  /** `hs256`: tokens signed with AUTH_HS256_SECRET (dev, tests). `jwks`: the identity provider's tokens. */
  AUTH_MODE: z.enum(['hs256', 'jwks']).default('hs256'),
  AUTH_HS256_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  AUTH_JWKS_URL: z.url().optional(),
  AUTH_ISSUER: z.string().min(1).optional(),
  AUTH_AUDIENCE: z.string().min(1).optional(),
  /** jwks mode: the algorithms accepted, comma-separated. */
  AUTH_JWKS_ALGORITHMS: z
    .string()
    .default('RS256,ES256,EdDSA')
    .transform((list) => list.split(',').map((a) => a.trim()))
    .pipe(z.array(z.enum(ASYMMETRIC_ALGORITHMS, { message: `must list algorithms among ${ASYMMETRIC_ALGORITHMS.join(', ')}` })).min(1)),
  /** Leeway for `exp` and `nbf` against the identity provider's clock. */
  AUTH_CLOCK_TOLERANCE_SECONDS: z.coerce.number().int().min(0).max(300).default(30),
  /** jwks mode: the claim listing the identity provider's groups of the person. */
  AUTH_GROUPS_CLAIM: z.string().min(1).default('groups'),
  /** jwks mode: JSON allow-list from group to role(s); only CONSUMER, MERCHANT and BRAND. */
  AUTH_GROUP_ROLES: groupRolesSchema,
  /** hs256 beyond loopback, for a container whose port is published on the host's loopback only. */
  AUTH_HS256_ALLOW_NON_LOOPBACK: booleanFlag,

  /** Key of the keyed hash under which product codes are stored. */
  PRODUCT_CODE_HMAC_SECRET: z.string().min(32, 'must be at least 32 characters'),
  /** A code checked more often than this raises one clone alert to its brand (a genuine item is checked a few times). */
  PRODUCT_CODE_CLONE_ALERT_CHECKS: z.coerce.number().int().min(1).max(1_000_000).default(5),
  /** Ed25519 private key (JWK JSON) that signs badge credentials and the status list; or a file holding it. */
  BADGE_SIGNING_JWK: z.string().min(1).optional(),
  BADGE_SIGNING_KEY_FILE: z.string().min(1).optional(),
  /** Where clients reach this service; names the credential issuer and the status list URL. */
  PUBLIC_BASE_URL: z.url().default('http://127.0.0.1:4000'),
  /** Cache time of a status list, and how long its signature stays valid (its `exp`). */
  STATUS_LIST_MAX_AGE_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  /** Bits (badges) per status list; below 131072 only outside production (see crossFieldProblems). */
  STATUS_LIST_SIZE: z.coerce
    .number()
    .int()
    .positive()
    .max(8 * 1024 * 1024)
    .refine((bits) => bits % 8 === 0, 'must be a multiple of 8')
    .default(PRIVATE_STATUS_LIST_BITS),
  /** Status lists that may exist; past them, no badge is issued until an operator raises it. */
  STATUS_LIST_MAX_LISTS: z.coerce.number().int().positive().max(1_000_000).default(1024),
  ...transparencyLogShape,
  /**
   * Longest time an anonymous storefront answer is served from memory. Badge
   * changes clear it at once; this bounds changes that send no badge
   * notification (a brand's or a store's name). 0 turns the cache off.
   */
  STOREFRONT_CACHE_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),
  BADGE_RENEWAL_REMINDER_SECONDS: seconds(30 * DAY),
  BADGE_SUSPENSION_SECONDS: seconds(30 * DAY),
  /** How long a caller waits for a complaint step before being told the worker is down or swamped (the step may still go through). */
  COMPLAINT_STEP_WAIT_SECONDS: z.coerce.number().int().min(1).max(300).default(15),
  /** Longest wait between two attempts to deliver one workflow message from the outbox (the delay doubles up to it). */
  OUTBOX_RETRY_MAX_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  /** How often the worker's sweep checks that every brand and badge needing a workflow has a running one. */
  RECONCILE_INTERVAL_SECONDS: z.coerce.number().int().min(10).default(300),
  /** What the sweep checks: everything in the database, or only what this task queue's API wrote (deployments sharing a database). */
  RECONCILE_SCOPE: z.enum(['all', 'task-queue']).default('all'),
  /** Bearer token a Prometheus scraper sends to GET /metrics on the API; unset, /metrics is not served. */
  METRICS_TOKEN: z.string().min(32, 'must be at least 32 characters').optional(),
  /** IP:port where the worker serves its Temporal SDK and activity metrics to Prometheus; unset, none are served. */
  WORKER_METRICS_ADDRESS: z
    .string()
    .regex(/^(\d{1,3}(\.\d{1,3}){3}|\[[0-9a-fA-F:]+\]):\d{1,5}$/, 'must be an IP address and port, like 0.0.0.0:9464')
    .optional(),
  /** OTLP/HTTP collector base URL (traces go to <url>/v1/traces); unset, nothing is traced. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  /** Rate limits, proxies and browser settings (src/edge-config.ts). */
  ...edgeConfigShape,

  /** The shape and cost of one GraphQL document; past any of them the request is refused before it runs. */
  QUERY_MAX_DEPTH: z.coerce.number().int().positive().default(10),
  QUERY_MAX_ALIASES: z.coerce.number().int().min(0).default(15),
  QUERY_MAX_DIRECTIVES: z.coerce.number().int().min(0).default(10),
  QUERY_MAX_TOKENS: z.coerce.number().int().positive().default(2000),
  QUERY_MAX_COST: z.coerce.number().int().positive().default(10_000),
  /** Bodies other than uploads; the largest legitimate one is 10,000 product codes (about 700 KB). */
  REQUEST_BODY_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(1024 * 1024),

  /** Presigned download URLs live at most 15 minutes. */
  PRESIGN_TTL_SECONDS: z.coerce.number().int().min(1).max(900).default(300),
  /** Trademark certificates and authorization letters. */
  DOCUMENT_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .max(15 * 1024 * 1024)
    .default(15 * 1024 * 1024),

  /**
   * An upload intent older than this names an object whose row was never committed; the orphan sweep removes it.
   * Longer than any upload takes from its intent to its commit.
   */
  UPLOAD_ORPHAN_GRACE_SECONDS: seconds(60 * 60),

  COMPLAINT_EVIDENCE_WINDOW_SECONDS: seconds(7 * DAY),
  COMPLAINT_MERCHANT_WINDOW_SECONDS: seconds(3 * DAY),
  COMPLAINT_REVIEW_SLA_SECONDS: seconds(2 * DAY),
  COMPLAINT_APPEAL_WINDOW_SECONDS: seconds(7 * DAY),
  /** How long a side has to answer a reviewer's request for more information when the reviewer names no deadline. */
  COMPLAINT_INFORMATION_WINDOW_SECONDS: seconds(3 * DAY),
  /** The furthest deadline a reviewer may give a request for more information. */
  COMPLAINT_INFORMATION_MAX_WINDOW_SECONDS: seconds(14 * DAY),
  /** Coupon value when a COUNTERFEIT decision names none. */
  COMPLAINT_DEFAULT_COMPENSATION_AMOUNT: z
    .string()
    .regex(/^\d{1,8}(\.\d{1,2})?$/, 'must be a decimal amount like 20.00')
    .default('20.00'),
  COMPLAINT_DEFAULT_COMPENSATION_CURRENCY: z
    .string()
    .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code like USD')
    .default('USD'),
  COUPON_VALIDITY_DAYS: z.coerce.number().int().positive().default(90),

  // Flooding limits: what one person can make the service store or decode.
  /** Photos per complaint and side (the consumer's, the merchant's, the brand's). */
  EVIDENCE_MAX_PER_SIDE: z.coerce.number().int().positive().default(10),
  /** Complaints a consumer may have open (not yet DECIDED, CLOSED, EXPIRED or WITHDRAWN) at once. */
  OPEN_COMPLAINTS_MAX_PER_CONSUMER: z.coerce.number().int().positive().default(5),
  /** Images decoded at once in this process; the rest wait their turn, so memory stays bounded. */
  IMAGE_DECODE_CONCURRENCY: z.coerce.number().int().positive().max(64).default(2),
  /** Highest compensation a decision may name: one amount for all currencies, or per currency. */
  COMPENSATION_MAX_AMOUNT: z
    .string()
    .default('USD:500,EUR:500,GBP:500,CNY:3500,JPY:75000')
    .transform((text, ctx) => {
      const parsed = parseAmountCaps(text);
      if ('problem' in parsed) {
        ctx.addIssue({ code: 'custom', message: parsed.problem });
        return z.NEVER;
      }
      return parsed.caps;
    }),
  /** Currencies a decision may compensate in. */
  COMPENSATION_CURRENCIES: z
    .string()
    .default('USD,EUR,GBP,CNY,JPY')
    .transform((text, ctx) => {
      const parsed = parseCurrencyList(text);
      if ('problem' in parsed) {
        ctx.addIssue({ code: 'custom', message: parsed.problem });
        return z.NEVER;
      }
      return parsed.currencies;
    }),

  /** Signed webhooks (src/webhooks): how long one request may take, and how a failed delivery is retried. */
  WEBHOOK_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(60).default(10),
  /** First wait after a failed attempt; each later one doubles, up to WEBHOOK_RETRY_MAX_INTERVAL_SECONDS. */
  WEBHOOK_RETRY_INITIAL_SECONDS: seconds(10),
  WEBHOOK_RETRY_MAX_INTERVAL_SECONDS: seconds(60 * 60),
  /** Attempts go on this long after the first; the last one falls at its end. At least a day in production. */
  WEBHOOK_RETRY_WINDOW_SECONDS: seconds(DAY),
  /** After a secret rotation the old secret keeps signing this long beside the new one. */
  WEBHOOK_SECRET_OVERLAP_SECONDS: seconds(DAY),
  /** Endpoints one brand or one store may register. */
  WEBHOOK_ENDPOINTS_MAX_PER_OWNER: z.coerce.number().int().positive().max(100).default(10),
  /**
   * Production runs only trusted documents (the storefront's and the web console's); these callers, by token
   * subject or OAuth client id (azp / client_id), comma-separated, may send any GraphQL document.
   */
  TRUSTED_DOCUMENTS_ALLOW_CLIENTS: commaList,
  /** Where `npm run build` put the web console, the widget and the trusted-documents manifest; default src/console/dist. */
  CONSOLE_DIST_DIR: z.string().min(1).optional(),
  /** The web console's OpenID Connect client (public, authorization code with PKCE) at AUTH_ISSUER; production sign-in. */
  CONSOLE_OIDC_CLIENT_ID: z.string().min(1).optional(),
  /** Scopes the console asks for, space-separated; `openid` is required. */
  CONSOLE_OIDC_SCOPES: z
    .string()
    .default('openid profile')
    .refine((scopes) => scopes.split(/\s+/).includes('openid'), 'must include openid'),
  /**
   * How the console asks for an access token whose audience is AUTH_AUDIENCE: `resource` (RFC 8707 resource
   * indicators), `audience` (the parameter some providers use instead), or `none` (the provider adds it itself).
   */
  CONSOLE_OIDC_AUDIENCE_PARAMETER: z.enum(['resource', 'audience', 'none']).default('resource'),
  /** Origins besides AUTH_ISSUER's the console calls during sign-in (a token endpoint on another host), comma-separated. */
  CONSOLE_OIDC_CONNECT_ORIGINS: commaList.pipe(z.array(z.url().transform((url) => new URL(url).origin))),
  /** Let stores claim loopback origins (http://127.0.0.1:3000) and verify them over loopback: development and tests only. */
  STORE_ORIGIN_ALLOW_LOOPBACK: booleanFlag,
  /** How long the service waits for a store's verification file, connection and answer together. */
  STORE_ORIGIN_FETCH_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(5000),
});

type Env = Record<string, string | undefined>;

/**
 * Rules that join several variables. They are checked on the raw environment,
 * so they are reported together with the per-variable problems.
 */
function crossFieldProblems(env: Env): string[] {
  const problems: string[] = [];
  const mode = env.AUTH_MODE ?? 'hs256';
  if (mode === 'hs256' && !env.AUTH_HS256_SECRET) problems.push('AUTH_HS256_SECRET is required when AUTH_MODE=hs256');
  if (mode === 'hs256' && env.NODE_ENV === 'production') problems.push('AUTH_MODE must be jwks in production');
  if (mode === 'jwks') {
    for (const key of ['AUTH_JWKS_URL', 'AUTH_ISSUER', 'AUTH_AUDIENCE']) {
      if (!env[key]) problems.push(`${key} is required when AUTH_MODE=jwks`);
    }
  }
  if (!env.BADGE_SIGNING_JWK && !env.BADGE_SIGNING_KEY_FILE) problems.push('BADGE_SIGNING_JWK or BADGE_SIGNING_KEY_FILE is required');
  // Small lists make boundary tests quick, but in production they would tell a list's host which few badges a storefront checks.
  if (env.NODE_ENV === 'production' && env.STATUS_LIST_SIZE && Number(env.STATUS_LIST_SIZE) < PRIVATE_STATUS_LIST_BITS)
    problems.push(`STATUS_LIST_SIZE must be at least ${PRIVATE_STATUS_LIST_BITS} in production`);
  // Receivers down for a day (a deploy gone wrong, a weekend) must still get every event.
  if (env.NODE_ENV === 'production' && env.WEBHOOK_RETRY_WINDOW_SECONDS && Number(env.WEBHOOK_RETRY_WINDOW_SECONDS) < 86_400)
    problems.push('WEBHOOK_RETRY_WINDOW_SECONDS must be at least 86400 (a day) in production');
  if (env.NODE_ENV === 'production' && ['true', '1'].includes(env.STORE_ORIGIN_ALLOW_LOOPBACK ?? ''))
    problems.push('STORE_ORIGIN_ALLOW_LOOPBACK must be false in production');
  // RFC 8707: a resource indicator is an absolute URI; providers refuse anything else.
  if (env.CONSOLE_OIDC_CLIENT_ID && (env.CONSOLE_OIDC_AUDIENCE_PARAMETER ?? 'resource') === 'resource' && env.AUTH_AUDIENCE) {
    if (!URL.canParse(env.AUTH_AUDIENCE))
      problems.push('AUTH_AUDIENCE must be an absolute URI (https://api.example.com) for CONSOLE_OIDC_AUDIENCE_PARAMETER=resource');
  }
  problems.push(...authModeProblems(env));
  problems.push(...transparencyLogProblems(env));
  return problems;
}

export type Config = z.output<typeof configSchema>;

// npm start and npm run worker read only the environment; the local defaults come from npm run dev.
const CONFIG_HINT = 'Set these in the environment (README, "Operating it"), or run `npm run dev` for local defaults.';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}\n${CONFIG_HINT}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: Env = process.env): Config {
  const parsed = configSchema.safeParse(env);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((issue) => {
        const key = issue.path.join('.') || '(config)';
        const message = issue.code === 'invalid_type' && env[key] === undefined ? 'is required' : issue.message;
        return `${key} ${message}`;
      });
  problems.push(...crossFieldProblems(env));
  if (parsed.success) problems.push(...compensationConfigProblems(parsed.data));
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  return parsed.data;
}

/**
 * Variables that have no default and must be set for the API and the worker in
 * the default (hs256) mode; an array lists alternatives, one of which is needed.
 */
export function requiredVariables(): Array<string | string[]> {
  const required = Object.entries(configSchema.shape)
    .filter(([, schema]) => !(schema as z.ZodType).safeParse(undefined).success)
    .map(([key]) => key);
  return [...required, 'AUTH_HS256_SECRET', ['BADGE_SIGNING_JWK', 'BADGE_SIGNING_KEY_FILE']];
}
