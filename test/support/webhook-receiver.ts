import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// A real webhook receiver on loopback. Each route answers from its plan
// ('fail': 500, 'hang': no answer, 'ok': 204), then 'ok' once the plan is used
// up, and applies an event's effect once per webhook-id, as receivers should.

export type Answer = 'ok' | 'fail' | 'hang';

export interface ReceivedRequest {
  headers: IncomingHttpHeaders;
  body: string;
  answer: Answer;
}

export interface Route {
  url: string;
  plan: Answer[];
  requests: ReceivedRequest[];
  /** webhook-ids whose effect was applied, once each. */
  effects: string[];
}

export async function startReceiver() {
  const routes = new Map<string, Route>();
  const hanging = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const route = routes.get(req.url ?? '');
      if (!route) return res.writeHead(404).end();
      const answer = route.plan.shift() ?? 'ok';
      route.requests.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), answer });
      if (answer === 'hang') return void hanging.add(res);
      if (answer === 'fail') return res.writeHead(500).end('try again');
      const id = String(req.headers['webhook-id']);
      if (!route.effects.includes(id)) route.effects.push(id);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let next = 0;
  return {
    route(plan: Answer[] = []): Route {
      const path = `/hooks/${++next}`;
      const route: Route = { url: `${base}${path}`, plan: [...plan], requests: [], effects: [] };
      routes.set(path, route);
      return route;
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>;
