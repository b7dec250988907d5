import type { AddressInfo } from 'node:net';
import { createServer, type Plugin, type ViteDevServer } from 'vite';
import { consoleViteConfig } from '../console/build/vite-config.js';

// Paths the console's pages call that the API answers; everything else is the console itself, with hot reload.
const API_PATHS = ['/graphql', '/dev', '/console/config.json', '/storefront-operations.json', '/.well-known', '/status', '/widget'];

/** The consumer landing (/c/<brand>/<code>) lies outside /console/; in development Vite serves the console's page there too. */
const consumerLanding: Plugin = {
  name: 'consumer-landing',
  configureServer(server) {
    server.middlewares.use((req, _res, next) => {
      if (req.url && /^\/c\/[^/]+\/[^/?]+\/?(\?.*)?$/.test(req.url)) req.url = '/console/';
      next();
    });
  },
};

/** Vite's dev server for the console on `host`, proxying API paths to `apiBase`; returns it and its console URL. */
export async function startConsoleDevServer(host: string, apiBase: string): Promise<{ server: ViteDevServer; url: string }> {
  const config = consoleViteConfig({ logLevel: 'info' });
  const server = await createServer({
    ...config,
    plugins: [...(config.plugins ?? []), consumerLanding],
    server: {
      host,
      port: 5173,
      strictPort: false,
      proxy: Object.fromEntries(API_PATHS.map((path) => [path, { target: apiBase }])),
    },
  });
  await server.listen();
  const { port } = server.httpServer!.address() as AddressInfo;
  return { server, url: `http://${host}:${port}/console/` };
}
