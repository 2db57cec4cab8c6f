/** The HTTP API and web UI (`triangulate serve`). */
import type { FastifyInstance } from 'fastify';
import { createApp, type ServerOptions } from './app.js';
import { isLoopbackHost } from './security.js';

export { createApp, VERSION, type ServerOptions } from './app.js';
export { StoryService, type IngestResult, type StorySummary } from './service.js';
export { isLoopbackHost } from './security.js';

export interface ListenOptions extends Omit<ServerOptions, 'loopbackOnly'> {
  host: string;
  port: number;
}

/** Listening beyond loopback without a token would let anyone on the network add articles. */
export class TokenRequiredError extends Error {}

export async function startServer(options: ListenOptions): Promise<{ app: FastifyInstance; url: string }> {
  const loopbackOnly = isLoopbackHost(options.host);
  if (!loopbackOnly && !options.token) {
    throw new TokenRequiredError(`listening on ${options.host} makes the server reachable from other machines: give --token (or set TRIANGULATE_TOKEN) so only people with it can add articles`);
  }
  const app = await createApp({ ...options, loopbackOnly });
  const address = await app.listen({ host: options.host, port: options.port });
  return { app, url: address };
}
