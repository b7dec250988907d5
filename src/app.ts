import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createFetch } from '@whatwg-node/fetch';
import { createYoga, type PubSub } from 'graphql-yoga';
import { Access, resolveActor, type TokenVerifier } from './auth/index.js';
import { UnauthenticatedError } from './errors.js';
import { createErrorMasker } from './http/error-masking.js';
import { stopReadingAfterEarlyAnswer } from './http/early-answers.js';
import { edgeLimits } from './http/edge-limits.js';
import { useCredentialEndpoints } from './http/credential-endpoints.js';
import { usePublicRateLimit } from './http/public-rate-limit.js';
import { useHealthEndpoints, type ReadinessChecks } from './http/readiness.js';
import { currentRequestId, withRequestId } from './logger.js';
import { schema } from './schema/index.js';
import type { GraphQLContext, ServiceEvents } from './schema/context.js';
import type { ServiceDeps } from './services/service-deps.js';

export interface AppDeps {
  services: ServiceDeps;
  verifyToken: TokenVerifier;
  readiness: ReadinessChecks;
  events: PubSub<ServiceEvents>;
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

function clientAddressFrom(trustProxy: boolean) {
  return (request: Request, serverContext: unknown): string => {
    if (trustProxy) {
      const forwarded = request.headers.get('x-forwarded-for')?.split(',')[0]?.trim();
      if (forwarded) return forwarded;
    }
    return (serverContext as { req?: IncomingMessage }).req?.socket.remoteAddress ?? 'unknown';
  };
}

export function createApp({ services, verifyToken, readiness, events }: AppDeps) {
  const { db, logger, config } = services;
  const limits = edgeLimits(config, {
    multipartFileBytes: MULTIPART_FILE_CAP,
    authenticate: async (request) => {
      const token = bearerToken(request);
      if (!token) throw new UnauthenticatedError('Uploads need a bearer token.');
      return verifyToken(token);
    },
  });

  const yoga = createYoga<Record<string, unknown>, GraphQLContext>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    logging: logger.child({ component: 'yoga' }),
    maskedErrors: { maskError: createErrorMasker(logger) },
    fetchAPI: createFetch({ formDataLimits: limits.formDataLimits }),
    maxRequestBodySize: limits.maxRequestBodySize,
    plugins: [
      useHealthEndpoints(readiness),
      useCredentialEndpoints(services),
      usePublicRateLimit({ perMinute: config.PUBLIC_RATE_LIMIT_PER_MINUTE, clientAddress: clientAddressFrom(config.TRUST_PROXY) }),
      ...limits.plugins,
    ],
    context: async ({ request }) => {
      const token = bearerToken(request);
      const actor = token ? await resolveActor(db, await verifyToken(token)) : null;
      return { requestId: currentRequestId() ?? randomUUID(), deps: services, access: new Access(db, actor), events };
    },
  });

  const requestIdOf = (header: string | null | undefined) => (header && REQUEST_ID.test(header) ? header : randomUUID());

  return {
    yoga,
    /** In-process entry (tests): every log line of the request carries its id. */
    fetch(request: Request): Promise<Response> {
      const requestId = requestIdOf(request.headers.get('x-request-id'));
      return withRequestId(requestId, async () => {
        const response = await yoga.fetch(request);
        response.headers.set('x-request-id', requestId);
        return response;
      });
    },
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
