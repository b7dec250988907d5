import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'graphql-yoga';
import { DEMO_ACTORS } from '../auth/demo-actors.js';
import { devSignInEnabled } from '../auth/dev-sign-in.js';
import type { Config } from '../config.js';
import { consoleOidcOrigins, consoleOidcSettings } from './console-oidc-settings.js';

/** Where `npm run build` writes the console and the widget. */
export const DEFAULT_CONSOLE_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'console', 'dist');

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

// Vite names every file under assets/ by its content's hash: a new build makes new names.
const IMMUTABLE = 'public, max-age=31536000, immutable';
// The widget's file keeps its name across builds, so storefronts pick up a new one within minutes.
const WIDGET_CACHE = 'public, max-age=300';
const NOT_BUILT = 'The web console is not built: run `npm run build`, then reload.';

/** A product label's link: /c/<brand>/<code>, or the brand's GS1 Digital Link /c/<brand>/01/<GTIN>[/22/…][/10/…]/21/<serial>. */
const CONSUMER_LANDING = /^\/c\/[^/]+\/(?:[^/]+|01\/[^/]+(?:\/(?:22|10|21)\/[^/]+){1,3})\/?$/;

/**
 * The page's own origin only; images may also come from the object store
 * (presigned evidence URLs), and so may the documents reviewers read, which
 * the console fetches to draw PDFs itself rather than let the browser open them.
 * Production sign-in also talks to the identity provider.
 */
function contentSecurityPolicy(config: Config): string {
  const storage = new URL(config.S3_ENDPOINT).origin;
  const identityProvider = devSignInEnabled(config) ? [] : consoleOidcOrigins(config);
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src 'self' data: blob: ${storage}`,
    ["connect-src 'self'", storage, ...identityProvider].join(' '),
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** What the console needs to know before anyone signs in: how to sign in. */
export function consoleSettings(config: Config) {
  if (devSignInEnabled(config)) return { signIn: { method: 'demo', identities: DEMO_ACTORS } };
  return { signIn: consoleOidcSettings(config) };
}

/** A file below `root`, or null when the path leaves it or names nothing. */
async function fileUnder(root: string, relative: string): Promise<string | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(relative);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.split(/[\\/]/).includes('..')) return null;
  const file = path.join(root, decoded);
  if (!file.startsWith(root + path.sep)) return null;
  const info = await stat(file).catch(() => null);
  return info?.isFile() ? file : null;
}

/**
 * Serves the built web console under /console/ (any other /console/ path and
 * the consumer landing /c/<brand>/<code> get its index.html, whose script
 * routes in the browser), the storefront widget under /widget/, and the
 * console's settings at /console/config.json.
 */
export function useConsoleAssets(config: Config, distDir = DEFAULT_CONSOLE_DIST): Plugin {
  const consoleDir = path.join(distDir, 'console');
  const widgetDir = path.join(distDir, 'widget');
  const csp = contentSecurityPolicy(config);

  const send = async (request: Request, file: string, headers: Record<string, string>) => {
    const body = request.method === 'HEAD' ? null : await readFile(file);
    const type = CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream';
    return new Response(body, { status: 200, headers: { 'content-type': type, ...headers } });
  };
  const notBuilt = () =>
    new Response(NOT_BUILT, { status: 503, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });
  const notFound = () => new Response('Not found.', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  const indexPage = async (request: Request) => {
    const index = await fileUnder(consoleDir, 'index.html');
    if (!index) return notBuilt();
    return send(request, index, { 'cache-control': 'no-cache', 'content-security-policy': csp, 'referrer-policy': 'same-origin' });
  };

  const serve = async (request: Request, pathname: string): Promise<Response | null> => {
    if (pathname === '/console/config.json') {
      return Response.json(consoleSettings(config), { headers: { 'cache-control': 'no-cache' } });
    }
    if (pathname === '/console') return new Response(null, { status: 308, headers: { location: '/console/' } });
    if (pathname.startsWith('/console/')) {
      const relative = pathname.slice('/console/'.length);
      if (!relative.startsWith('assets/')) {
        const file = relative && relative !== 'index.html' ? await fileUnder(consoleDir, relative) : null;
        return file ? send(request, file, { 'cache-control': 'no-cache' }) : indexPage(request);
      }
      const file = await fileUnder(consoleDir, relative);
      if (file) return send(request, file, { 'cache-control': IMMUTABLE });
      return (await fileUnder(consoleDir, 'index.html')) ? notFound() : notBuilt();
    }
    if (CONSUMER_LANDING.test(pathname)) return indexPage(request);
    if (pathname.startsWith('/widget/')) {
      const file = await fileUnder(widgetDir, pathname.slice('/widget/'.length));
      if (file) return send(request, file, { 'cache-control': WIDGET_CACHE, 'access-control-allow-origin': '*' });
      return (await stat(widgetDir).catch(() => null)) ? notFound() : notBuilt();
    }
    return null;
  };

  return {
    async onRequest({ request, url, endResponse }) {
      if (request.method !== 'GET' && request.method !== 'HEAD') return;
      const response = await serve(request, url.pathname);
      if (response) endResponse(response);
    },
  };
}
