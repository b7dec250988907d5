import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GraphQLError } from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { RateLimiterRes } from 'rate-limiter-flexible';
import type { Logger } from '../logger.js';
import type { GraphQLContext } from '../schema/context.js';
import { addressKey, clientAddressResolver, type TrustProxy } from './client-address.js';
import type { RateLimiters } from './rate-limit-store.js';
import { rootFields } from './root-fields.js';

interface Caller {
  /** `actor:<sub>` when the bearer token verifies, else `address:<address or /64>`. */
  key: string;
  signedIn: boolean;
}

interface NodeServerContext {
  req?: IncomingMessage;
  res?: ServerResponse;
}

export interface RateLimitOptions {
  limiters: RateLimiters;
  trustProxy: TrustProxy;
  /** The verified subject of the request's bearer token, or null (no token, or one that does not verify). */
  callerSubject: (request: Request) => Promise<string | null>;
  streamsPerClient: number;
  logger: Logger;
}

const rateLimited = (message: string, retryAfterSeconds?: number) =>
  createGraphQLError(message, {
    extensions: {
      code: 'RATE_LIMITED',
      ...(retryAfterSeconds ? { retryAfterSeconds } : {}),
      http: { status: 429, headers: retryAfterSeconds ? { 'retry-after': String(retryAfterSeconds) } : {} },
    },
  });

const budgetSpent = (caller: Caller, retryAfter: number) =>
  rateLimited(
    caller.signedIn
      ? `Too many requests for this account; retry in ${retryAfter} s.`
      : `Too many requests without a token from this address; retry in ${retryAfter} s or sign in.`,
    retryAfter,
  );

const asResponse = (error: GraphQLError) => {
  const http = error.extensions.http as { status: number; headers: Record<string, string> };
  return new Response(JSON.stringify({ errors: [{ message: error.message, extensions: { ...error.extensions, http: undefined } }] }), {
    status: http.status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...http.headers },
  });
};

const wantsEventStream = (request: Request) => request.headers.get('accept')?.includes('text/event-stream') ?? false;

/**
 * Every request spends one point of its caller's budget before anything else
 * runs (GraphQL, /readyz, status lists, event streams alike), and a GraphQL
 * operation one more for each root field beyond the first, before it executes:
 * ten aliased lookups in one request cost what ten requests would. Signed-in
 * callers spend their own, larger budget per actor, whatever address they come
 * from; everyone else the budget of their address (an IPv6 /64), taken from
 * X-Forwarded-For only as far as TRUST_PROXY says proxies wrote it.
 * Event streams are also capped by how many a client holds open at once.
 */
export function useRateLimit(options: RateLimitOptions): Plugin<GraphQLContext> {
  const callers = new WeakMap<Request, Caller>();
  const openStreams = new Map<string, number>();
  const clientAddress = clientAddressResolver(options.trustProxy);

  const identify = async (request: Request, serverContext: NodeServerContext): Promise<Caller> => {
    const subject = await options.callerSubject(request);
    if (subject !== null) return { key: `actor:${subject}`, signedIn: true };
    const address = clientAddress(request.headers.get('x-forwarded-for'), serverContext.req?.socket.remoteAddress);
    return { key: `address:${addressKey(address)}`, signedIn: false };
  };

  /** Spends points; a refusal when the budget is gone. A failing store never refuses (the memory fallback normally answers). */
  const spend = async (caller: Caller, points: number): Promise<GraphQLError | null> => {
    const limiter = caller.signedIn ? options.limiters.signedIn : options.limiters.anonymous;
    try {
      await limiter.consume(caller.key, points);
      return null;
    } catch (outcome) {
      if (outcome instanceof RateLimiterRes) return budgetSpent(caller, Math.max(1, Math.ceil(outcome.msBeforeNext / 1000)));
      options.logger.warn(
        { error: outcome instanceof Error ? outcome.message : String(outcome) },
        'Rate-limit store failed; request let through',
      );
      return null;
    }
  };

  /** Takes a stream slot for the caller until the response ends; false when the caller holds the maximum already. */
  const openStream = (caller: Caller, res: ServerResponse): boolean => {
    const open = openStreams.get(caller.key) ?? 0;
    if (open >= options.streamsPerClient) return false;
    openStreams.set(caller.key, open + 1);
    res.once('close', () => {
      const left = (openStreams.get(caller.key) ?? 1) - 1;
      if (left <= 0) openStreams.delete(caller.key);
      else openStreams.set(caller.key, left);
    });
    return true;
  };

  const chargeRootFields = async (
    context: GraphQLContext & { request?: Request },
    document: Parameters<typeof rootFields>[0],
    operationName: string | null | undefined,
  ) => {
    const caller = context.request && callers.get(context.request);
    if (!caller) return null;
    const { count } = rootFields(document, operationName);
    return count > 1 ? spend(caller, count - 1) : null;
  };

  return {
    async onRequest({ request, serverContext, endResponse }) {
      const node = serverContext as NodeServerContext;
      const caller = await identify(request, node);
      callers.set(request, caller);
      const refusal = await spend(caller, 1);
      if (refusal) return endResponse(asResponse(refusal));
      // Streams are counted where the socket's end is seen (the Node listener).
      if (wantsEventStream(request) && node.res && !openStream(caller, node.res)) {
        endResponse(
          asResponse(
            rateLimited(
              `Too many open event streams from this ${caller.signedIn ? 'account' : 'address'} (at most ${options.streamsPerClient}); close one first.`,
            ),
          ),
        );
      }
    },
    async onExecute({ args, setResultAndStopExecution }) {
      const refusal = await chargeRootFields(args.contextValue, args.document, args.operationName);
      if (refusal) setResultAndStopExecution({ errors: [refusal] });
    },
    async onSubscribe({ args, setResultAndStopExecution }) {
      const refusal = await chargeRootFields(args.contextValue, args.document, args.operationName);
      if (refusal) setResultAndStopExecution({ errors: [refusal] });
    },
  };
}
