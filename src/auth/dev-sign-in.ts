import type { IncomingMessage } from 'node:http';
import type { Plugin } from 'graphql-yoga';
import type { Config } from '../config.js';
import { DEMO_ACTORS } from './demo-actors.js';
import { isLoopbackHost } from './dev-token-guard.js';
import { signDevToken } from './tokens.js';

export const DEV_SIGN_IN_PATH = '/dev/sign-in';
// Long enough for a working session in the console, short enough that a token copied out of a tab soon stops working.
const TOKEN_MINUTES = 60;

/** Whether this process signs in demo people at all: development and tests, with dev (HS256) tokens. */
export const devSignInEnabled = (config: Config) => config.NODE_ENV !== 'production' && config.AUTH_MODE === 'hs256';

const answer = (status: number, body: object) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
  });

/**
 * POST /dev/sign-in {"subject": "demo-reviewer"}: a short-lived dev token for
 * one of the demo people, so the console can be used without an identity
 * provider. Only from this machine: the peer of the socket must be loopback
 * (a proxy's X-Forwarded-For is not believed), and never in production.
 */
export function useDevSignIn(config: Config): Plugin {
  return {
    async onRequest({ request, url, endResponse, serverContext }) {
      if (url.pathname !== DEV_SIGN_IN_PATH) return;
      if (!devSignInEnabled(config)) {
        return endResponse(
          answer(403, { error: 'Demo sign-in is turned off: it exists only in development and tests, with dev tokens (AUTH_MODE=hs256).' }),
        );
      }
      const peer = (serverContext as { req?: IncomingMessage }).req?.socket.remoteAddress ?? '';
      if (!isLoopbackHost(peer)) {
        return endResponse(answer(403, { error: 'Demo sign-in is only available from the machine the service runs on (loopback).' }));
      }
      if (request.method !== 'POST') return endResponse(answer(405, { error: 'Sign in with a POST request.' }));
      if (!request.headers.get('content-type')?.startsWith('application/json')) {
        return endResponse(answer(415, { error: 'Send {"subject": "<demo person>"} as application/json.' }));
      }
      const body = (await request.json().catch(() => null)) as { subject?: unknown } | null;
      const person = DEMO_ACTORS.find((actor) => actor.subject === body?.subject);
      if (!person) {
        return endResponse(answer(400, { error: `Choose one of the demo people: ${DEMO_ACTORS.map((a) => a.subject).join(', ')}.` }));
      }
      const expiresAt = new Date(Date.now() + TOKEN_MINUTES * 60 * 1000);
      const token = await signDevToken(config.AUTH_HS256_SECRET!, {
        sub: person.subject,
        roles: person.roles,
        // What the console's header and other people's views show: "Demo reviewer", not a pseudonym.
        name: `Demo ${person.subject.replace(/^demo-/, '')}`,
        expiresIn: `${TOKEN_MINUTES}m`,
        issuer: config.AUTH_ISSUER,
        audience: config.AUTH_AUDIENCE,
      });
      endResponse(answer(200, { token, subject: person.subject, roles: person.roles, expiresAt: expiresAt.toISOString() }));
    },
  };
}
