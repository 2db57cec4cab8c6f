/** A demo database and a server on 127.0.0.1 for the server tests; each test file starts its own. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { ingestPaths } from '../../src/pipeline/ingest.js';
import { processPending } from '../../src/pipeline/process.js';
import { createApp, type ServerOptions } from '../../src/server/index.js';
import { openStore, type Store } from '../../src/store/index.js';

export const DEMO = path.resolve('examples/riyadh-talks');

/** A fresh database holding the demo story (ingested and processed as `triangulate ingest` does). */
export async function demoStore(): Promise<{ store: Store; file: string }> {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'tri-server-')), 'demo.db');
  const store = await openStore({ path: file });
  await ingestPaths(store, [DEMO]);
  await processPending(store, { workers: 0 });
  return { store, file };
}

export interface Running {
  app: FastifyInstance;
  base: string;
  close(): Promise<void>;
}

/** Listens on an ephemeral loopback port. */
export async function serve(options: ServerOptions): Promise<Running> {
  const app = await createApp({ loopbackOnly: true, ...options });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, base: address, close: () => app.close() };
}

/** A story with a title, text and quotes full of markup and script, in two outlets so it forms a story. */
export const HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>';
export function hostileArticles(): Array<Record<string, string>> {
  return ['Harbour Gazette', 'Coast Daily'].map((outlet, i) => ({
    title: `Bridge closes ${HOSTILE}`,
    outlet,
    published: `2025-03-0${3 + i}`,
    text: `The council voted on Monday to close the Kingsway ${HOSTILE} bridge for four weeks of repairs, ${i === 0 ? 'officials' : 'council staff'} said.\n\n`
      + `“We have no choice <b onclick="alert(2)">at all</b> ${HOSTILE},” Mayor Jane Doe told reporters at the town hall on Monday.\n\n`
      + `Engineers found cracks in two of the bridge's supports during a routine inspection in February, and repairs will cost about $2 million.`,
  }));
}
