import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { safeFetchText } from '../../src/net/safe-fetch.js';

// The fetch the service makes to a URL a store named, against real servers on
// loopback (allowed only when the policy allows loopback).

const servers: Server[] = [];
async function serve(listener: RequestListener): Promise<string> {
  const server = createServer(listener);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

const options = { allowLoopback: true, timeoutMs: 2000, maxBytes: 64 };

describe('safeFetchText', () => {
  it('reads a small file', async () => {
    const origin = await serve((_req, res) => res.end('token\n'));
    await expect(safeFetchText(`${origin}/file.txt`, options)).resolves.toEqual({ status: 200, body: 'token\n' });
  });

  it('connects to a host name through the checked lookup', async () => {
    const origin = await serve((_req, res) => res.end('by name'));
    const port = new URL(origin).port;
    await expect(safeFetchText(`http://localhost:${port}/`, options)).resolves.toEqual({ status: 200, body: 'by name' });
  });

  it('refuses loopback, by address or by name, unless the policy allows it', async () => {
    const origin = await serve((_req, res) => res.end('token'));
    const port = new URL(origin).port;
    const strict = { ...options, allowLoopback: false };
    await expect(safeFetchText(`${origin}/`, strict)).rejects.toThrow('not an address on the public internet');
    await expect(safeFetchText(`http://localhost:${port}/`, strict)).rejects.toThrow('not on the public internet');
    await expect(safeFetchText(`http://[::ffff:127.0.0.1]:${port}/`, strict)).rejects.toThrow('not an address on the public internet');
  });

  it('never connects to private addresses, even when loopback is allowed', async () => {
    await expect(safeFetchText('http://10.255.255.1/', options)).rejects.toThrow('not an address on the public internet');
    await expect(safeFetchText('http://169.254.169.254/latest/meta-data/', options)).rejects.toThrow(
      'not an address on the public internet',
    );
  });

  it('follows redirects within the origin only', async () => {
    const other = await serve((_req, res) => res.end('elsewhere'));
    const origin = await serve((req, res) => {
      if (req.url === '/moved') res.writeHead(302, { location: '/file.txt' }).end();
      else if (req.url === '/away') res.writeHead(301, { location: `${other}/file.txt` }).end();
      else if (req.url === '/loop') res.writeHead(302, { location: '/loop' }).end();
      else res.end('here');
    });
    await expect(safeFetchText(`${origin}/moved`, options)).resolves.toEqual({ status: 200, body: 'here' });
    await expect(safeFetchText(`${origin}/away`, options)).rejects.toThrow('redirected to another site');
    await expect(safeFetchText(`${origin}/loop`, options)).rejects.toThrow('redirected too many times');
  });

  it('stops reading past the size cap, declared or not', async () => {
    const origin = await serve((req, res) => {
      if (req.url === '/declared') res.writeHead(200, { 'content-length': '1000' }).end('x'.repeat(1000));
      else {
        res.writeHead(200);
        res.write('x'.repeat(40));
        res.end('x'.repeat(40));
      }
    });
    await expect(safeFetchText(`${origin}/declared`, options)).rejects.toThrow('larger than 64 bytes');
    await expect(safeFetchText(`${origin}/chunked`, options)).rejects.toThrow('larger than 64 bytes');
  });

  it('gives up on a server that does not answer in time', async () => {
    const origin = await serve(() => undefined);
    await expect(safeFetchText(`${origin}/`, { ...options, timeoutMs: 200 })).rejects.toThrow('did not answer within 200 ms');
  });

  it('reports a refused connection and other schemes plainly', async () => {
    const origin = await serve((_req, res) => res.end());
    const closed = servers.pop()!;
    await new Promise((resolve) => closed.close(resolve));
    await expect(safeFetchText(`${origin}/`, options)).rejects.toThrow('refused the connection');
    await expect(safeFetchText('file:///etc/passwd', options)).rejects.toThrow('Only http and https');
  });
});
