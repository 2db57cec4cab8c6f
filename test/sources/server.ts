/**
 * A local HTTP server for network tests: listens on 127.0.0.1 on an ephemeral
 * port, answers from a route table the test can change between requests,
 * and records every request (path and headers) it saw.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';

export type Route = (req: http.IncomingMessage, res: http.ServerResponse) => void | Promise<void>;

export interface TestServer {
  /** `http://127.0.0.1:PORT` (`https://` when started with a certificate) */
  origin: string;
  routes: Map<string, Route>;
  requests: Array<{ path: string; headers: http.IncomingHttpHeaders }>;
  /** Most requests in flight at once. */
  peakInFlight: number;
  close(): Promise<void>;
}

export async function startServer(routes: Record<string, Route> = {}, tls?: { key: string; cert: string }): Promise<TestServer> {
  const table = new Map(Object.entries(routes));
  let inFlight = 0;
  const state: TestServer = {
    origin: '',
    routes: table,
    requests: [],
    peakInFlight: 0,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const path = req.url ?? '/';
    state.requests.push({ path, headers: req.headers });
    inFlight++;
    state.peakInFlight = Math.max(state.peakInFlight, inFlight);
    res.on('close', () => { inFlight--; });
    const route = table.get(path) ?? table.get(path.split('?')[0]!);
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    try {
      await route(req, res);
    } catch {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    }
  };
  const server = tls ? https.createServer(tls, handle) : http.createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.origin = `${tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}

/** A route answering with a fixed body and headers. */
export function respond(body: string | Uint8Array, headers: Record<string, string> = { 'content-type': 'text/html; charset=utf-8' }, status = 200): Route {
  return (_req, res) => {
    res.writeHead(status, { 'content-length': String(typeof body === 'string' ? Buffer.byteLength(body) : body.length), ...headers });
    res.end(body);
  };
}

/** A news page long enough for the extractor, with a title and paragraphs. */
export function newsPage(title: string, paragraphs: string[], extraHead = ''): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title>${extraHead}</head><body><nav>Home · World · Sport</nav><article><h1>${title}</h1>${paragraphs.map((p) => `<p>${p}</p>`).join('')}</article><footer>© Example News</footer></body></html>`;
}
