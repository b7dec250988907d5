import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createFetch } from '@whatwg-node/fetch';
import { createYoga, type PubSub } from 'graphql-yoga';
import { Access, resolveActor, type TokenVerifier } from './auth/index.js';
import type { TokenClaims } from './auth/tokens.js';
import { UnauthenticatedError } from './errors.js';
import { createErrorMasker } from './http/error-masking.js';
import { stopReadingAfterEarlyAnswer } from './http/early-answers.js';
import { edgeLimits } from './http/edge-limits.js';
import { useCredentialEndpoints } from './http/credential-endpoints.js';
import { useTransparencyLogEndpoints } from './http/transparency-log-endpoints.js';
import { corsFor, useCsrfPrevention, useNoSniff } from './http/browser-defaults.js';
import { usePostOnlyFields } from './http/post-only-fields.js';
import { productionLockdown } from './http/production-lockdown.js';
import { useRateLimit } from './http/rate-limit.js';
import type { RateLimiters } from './http/rate-limit-store.js';
import { useHealthEndpoints, type ReadinessChecks } from './http/readiness.js';
import { useStorefrontCache, type StorefrontCache } from './http/storefront-cache.js';
import { useStorefrontOperations } from './http/storefront-operations.js';
import { DEFAULT_CONSOLE_DIST, useConsoleAssets } from './http/console-assets.js';
import { loadTrustedDocuments, trustedDocumentPolicy } from './http/trusted-documents.js';
import { useDevSignIn } from './auth/dev-sign-in.js';
import { currentRequestId, withRequestId } from './logger.js';
import { createMetrics } from './observability/metrics.js';
import { useMetrics } from './observability/metrics-plugin.js';
import { useRequestTracing } from './observability/request-tracing.js';
import { timedImageProcessor } from './observability/timed-images.js';
import { activeTracing } from './observability/tracing.js';
import { schema } from './schema/index.js';
import type { GraphQLContext, ServiceEvents } from './schema/context.js';
import type { ServiceDeps } from './services/service-deps.js';

export interface AppDeps {
  services: ServiceDeps;
  verifyToken: TokenVerifier;
  readiness: ReadinessChecks;
  events: PubSub<ServiceEvents>;
  rateLimiters: RateLimiters;
  /** Anonymous storefront answers; cleared on every badge change. */
  storefrontCache: StorefrontCache;
}

// The largest multipart file accepted at all. Files under it reach the service,
// which applies each upload's own limit and answers with a userError; beyond it
// the request is refused before it is fully read, which bounds memory.
const MULTIPART_FILE_CAP = 20 * 1024 * 1024;

const REQUEST_ID = /^[A-Za-z0-9._-]{8,100}$/;

function bearerToken(request: Request): string | null {
  const header = request.headers.get('authorization');
  if (!header) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw new UnauthenticatedError('The Authorization header must be "Bearer <token>".');
  return match[1]!;
}

export function createApp({ services: deps, verifyToken, readiness, events, rateLimiters, storefrontCache }: AppDeps) {
  const metrics = createMetrics();
  const tracing = activeTracing();
  const services: ServiceDeps = { ...deps, images: timedImageProcessor(deps.images, metrics) };
  const { db, logger, config } = services;
  // The rate limit (at the request's start) and the context both need the token's claims: verified once per request.
  const verified = new WeakMap<Request, Promise<TokenClaims | null>>();
  const claimsOf = (request: Request) => {
    let claims = verified.get(request);
    if (!claims) {
      const token = bearerToken(request);
      claims = token ? verifyToken(token) : Promise.resolve(null);
      verified.set(request, claims);
    }
    return claims;
  };
  const callerSubject = async (request: Request) => {
    try {
      return (await claimsOf(request))?.subject ?? null;
    } catch {
      return null; // no usable token: limited as anonymous, and the context answers UNAUTHENTICATED
    }
  };
  const production = config.NODE_ENV === 'production';
  const consoleDist = config.CONSOLE_DIST_DIR ?? DEFAULT_CONSOLE_DIST;
  const trustedDocuments = trustedDocumentPolicy(config, loadTrustedDocuments(consoleDist, logger), async (request) => {
    const claims = await claimsOf(request);
    return claims && { subject: claims.subject, clientId: claims.clientId ?? null };
  });
  const limits = edgeLimits(config, {
    multipartFileBytes: MULTIPART_FILE_CAP,
    authenticate: async (request) => {
      const claims = await claimsOf(request);
      if (!claims) throw new UnauthenticatedError('Uploads need a bearer token.');
      return claims;
    },
  });

  const yoga = createYoga<Record<string, unknown>, GraphQLContext>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    graphiql: !production,
    cors: corsFor(config.CORS_ORIGINS),
    logging: logger.child({ component: 'yoga' }),
    maskedErrors: { maskError: createErrorMasker(logger) },
    fetchAPI: createFetch({ formDataLimits: limits.formDataLimits }),
    maxRequestBodySize: limits.maxRequestBodySize,
    plugins: [
      // Around everything else: the request's span is the parent of what serving it does.
      ...(tracing ? [useRequestTracing(tracing)] : []),
      // Before the rate limit: scrapes are never refused, and refusals are counted.
      ...useMetrics({ metrics, token: config.METRICS_TOKEN }),
      // Then: every route below spends from the caller's budget.
      useRateLimit({
        limiters: rateLimiters,
        trustProxy: config.TRUST_PROXY,
        callerSubject,
        streamsPerClient: config.SSE_STREAMS_PER_CLIENT,
        logger,
      }),
      useNoSniff(),
      useHealthEndpoints(readiness, logger),
      useCredentialEndpoints(services),
      useTransparencyLogEndpoints(services),
      useConsoleAssets(config, consoleDist),
      useDevSignIn(config),
      useCsrfPrevention(),
      usePostOnlyFields(schema),
      ...(production ? productionLockdown() : []),
      ...limits.plugins,
      // Before the cache: it keys answers by the text a hash stands for.
      ...useStorefrontOperations(trustedDocuments),
      ...(config.STOREFRONT_CACHE_SECONDS > 0 ? useStorefrontCache(storefrontCache, config.STOREFRONT_CACHE_SECONDS * 1000) : []),
    ],
    context: async ({ request }) => {
      const claims = await claimsOf(request);
      const actor = claims ? await resolveActor(db, claims) : null;
      return { requestId: currentRequestId() ?? randomUUID(), deps: services, access: new Access(db, actor), events };
    },
  });

  const requestIdOf = (header: string | null | undefined) => (header && REQUEST_ID.test(header) ? header : randomUUID());

  return {
    yoga,
    /** Node HTTP entry. */
    handle(req: IncomingMessage, res: ServerResponse): void {
      const header = req.headers['x-request-id'];
      const requestId = requestIdOf(Array.isArray(header) ? header[0] : header);
      res.setHeader('x-request-id', requestId);
      stopReadingAfterEarlyAnswer(req, res);
      const started = performance.now();
      withRequestId(requestId, () => {
        res.once('finish', () =>
          logger.info(
            { method: req.method, path: req.url?.split('?')[0], status: res.statusCode, ms: Math.round(performance.now() - started) },
            'request',
          ),
        );
        void yoga.handle(req, res);
      });
    },
  };
}

export type App = ReturnType<typeof createApp>;
