/**
 * The Fastify application: JSON API under /api, server-rendered pages
 * elsewhere, both over one `StoryService`. `createApp` builds it without
 * listening (tests call `inject` or listen on an ephemeral port themselves);
 * `triangulate serve` listens. Every route declares its schemas
 * (./schemas.ts), and /api/openapi.json is generated from those declarations.
 */
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest, type RouteOptions } from 'fastify';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import { createRequire } from 'node:module';
import { Fetcher } from '../sources/index.js';
import type { Store } from '../store/index.js';
import { parseSince, SINCE_FORMATS } from '../time.js';
import { ApiError, fromFastifyError, ingestionFailed } from './errors.js';
import { openApiDocument, type DocumentedRoute } from './openapi.js';
import { registerPages, sendEncoded } from './pages.js';
import { routeSchemas, sharedSchemas } from './schemas.js';
import { RAW_CSP, checkHost, checkSameOrigin, checkToken, setSecurityHeaders } from './security.js';
import { receivePaste, receiveUpload, StoryService, type IngestResult, type PastedArticle, type Received } from './service.js';

export const VERSION = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;

export interface ServerOptions {
  store: Store;
  /** Write endpoints need this token when set (required to listen beyond loopback). */
  token?: string | null;
  /** True when the server listens on loopback only: it then answers to loopback Host names only. */
  loopbackOnly?: boolean;
  /** Let URL submission fetch private, loopback and link-local addresses. */
  allowPrivateUrls?: boolean;
  /** Largest upload (all files of one request together), bytes. Default 20 MB. */
  maxUploadBytes?: number;
  /** Largest JSON or form body (pasted text), bytes. Default 2 MB. */
  maxBodyBytes?: number;
  /** Largest fetched page, bytes. Default 5 MB. */
  maxFetchBytes?: number;
  /** Deadline for fetching a submitted URL. Default 15 s. */
  fetchTimeoutMs?: number;
  /** Replaces the fetcher built from the options above. */
  fetcher?: Fetcher;
  logger?: boolean;
}

export interface AppContext {
  service: StoryService;
  options: ServerOptions;
  /** Reads and checks an ingestion request of any kind; throws `ApiError` when nothing could be stored. */
  ingest(kind: 'files' | 'text' | 'url', request: FastifyRequest): Promise<IngestResult>;
}

export async function createApp(options: ServerOptions): Promise<FastifyInstance> {
  const maxUploadBytes = options.maxUploadBytes ?? 20 * 1024 * 1024;
  const maxBodyBytes = options.maxBodyBytes ?? 2 * 1024 * 1024;
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: maxBodyBytes,
    // Whole request received within this, so a slow client cannot hold a connection open forever.
    requestTimeout: 120_000,
    connectionTimeout: 130_000,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: false } },
  });
  const service = new StoryService(options.store);
  const fetcher = options.fetcher ?? new Fetcher({
    maxBytes: options.maxFetchBytes ?? 5 * 1024 * 1024,
    timeoutMs: options.fetchTimeoutMs ?? 15_000,
    allowPrivateUrls: options.allowPrivateUrls ?? false,
    // A person is waiting for the answer: fail fast instead of backing off.
    retries: 0,
  });
  const token = options.token ?? null;
  const routes: DocumentedRoute[] = [];
  app.addHook('onRoute', (route: RouteOptions) => {
    if (route.url.startsWith('/api/') && route.schema && route.method !== 'HEAD') routes.push({ method: String(route.method), url: route.url, schema: route.schema as DocumentedRoute['schema'], config: route.config as DocumentedRoute['config'] });
  });
  for (const schema of Object.values(sharedSchemas)) app.addSchema(schema);
  await app.register(formbody, { bodyLimit: maxBodyBytes });
  await app.register(multipart, { limits: { fileSize: maxUploadBytes, files: 50, fields: 10, fieldSize: 10_000, parts: 60 } });

  app.addHook('onRequest', async (request) => {
    checkHost(request, options.loopbackOnly ?? false);
    if (request.method === 'POST') checkSameOrigin(request);
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    setSecurityHeaders(reply);
    return payload;
  });
  app.setErrorHandler((error, request, reply) => {
    const apiError = fromFastifyError(error as Parameters<typeof fromFastifyError>[0]);
    if (apiError.status >= 500) request.log.error(error);
    if (apiError.status >= 500 && !options.logger) console.error(`triangulate serve: ${request.method} ${request.url} failed (${request.id}):`, error);
    return sendError(reply, request, apiError);
  });
  app.setNotFoundHandler((request, reply) => sendError(reply, request, new ApiError(404, 'TRI_E100', `nothing at ${request.method} ${request.url.split('?')[0]}; ${request.url.startsWith('/api/') ? 'GET /api/openapi.json lists the endpoints' : 'start from the story list at /'}`)));

  const ctx: AppContext = {
    service,
    options,
    async ingest(kind, request) {
      let received: Received[] = [];
      if (kind === 'files') {
        if (!request.isMultipart()) throw new ApiError(415, 'TRI_E105', 'upload files as multipart/form-data, in a field named "files"');
        let fieldToken: unknown;
        let total = 0;
        for await (const part of request.parts()) {
          if (part.type === 'field') { if (part.fieldname === 'token') fieldToken = part.value; continue; }
          const bytes = await part.toBuffer();
          total += bytes.length;
          if (total > maxUploadBytes) throw new ApiError(413, 'TRI_E104', `the upload is over the ${Math.round(maxUploadBytes / 1024 / 1024)} MB limit; send fewer or smaller files per request`);
          // An empty file input still sends a part with no name and no bytes.
          if (part.filename === '' && bytes.length === 0) continue;
          received.push(...await receiveUpload(part.filename || part.fieldname, bytes, maxUploadBytes));
        }
        checkToken(token, request, fieldToken);
        if (received.length === 0) throw new ApiError(400, 'TRI_E101', 'no file was uploaded: choose at least one .html, .txt, .md, .json or .jsonl file (field "files")');
      } else {
        const body = (request.body ?? {}) as Record<string, unknown>;
        checkToken(token, request, body.token);
        if (kind === 'text') {
          const fields: PastedArticle = { text: String(body.text ?? '') };
          for (const key of ['title', 'url', 'outlet', 'published'] as const) if (typeof body[key] === 'string') fields[key] = body[key] as string;
          if (!fields.text.trim()) throw new ApiError(400, 'TRI_E101', 'field "text" is empty: paste the article\'s text');
          received = [receivePaste(fields)];
        } else {
          const url = String(body.url ?? '').trim();
          if (!url) throw new ApiError(400, 'TRI_E101', 'field "url" is empty: give the address of an article page');
          // The fetcher's own deadline covers one request; this one covers robots.txt and redirects too.
          const result = await service.ingestUrl(fetcher, url, AbortSignal.timeout((options.fetchTimeoutMs ?? 15_000) * 2));
          if (result.ingested + result.duplicates === 0) throw ingestionFailed(result.messages);
          return result;
        }
      }
      const result = await service.ingest(received);
      if (result.ingested + result.duplicates === 0) throw ingestionFailed(result.messages);
      return result;
    },
  };

  registerApi(app, ctx, () => openApiDocument(routes, VERSION));
  registerPages(app, ctx);
  return app;
}

/** A `since` parameter (as `brief --since` reads it) as an ISO time; a 400 naming the accepted forms otherwise. */
export function readSince(value: string): string {
  const at = parseSince(value);
  if (at === null) throw new ApiError(400, 'TRI_E101', `since takes ${SINCE_FORMATS}, not "${value.slice(0, 100)}"`);
  return at;
}

/** JSON for /api and for clients that ask for it; an HTML page for a browser. */
export function sendError(reply: FastifyReply, request: FastifyRequest, error: ApiError): FastifyReply {
  reply.code(error.status);
  if (request.url.startsWith('/api/') || !(request.headers.accept ?? '').includes('text/html')) return reply.type('application/json; charset=utf-8').send(error.body());
  return reply.type('text/html; charset=utf-8').send(reply.server.renderErrorPage(error));
}

declare module 'fastify' {
  interface FastifyInstance {
    renderErrorPage(error: ApiError): string;
  }
}

function registerApi(app: FastifyInstance, ctx: AppContext, openapi: () => unknown): void {
  const { service, options } = ctx;
  const s = routeSchemas;
  let document: unknown;
  app.get('/api/openapi.json', { config: { hidden: true } }, async () => (document ??= openapi()));
  app.get('/api/health', { schema: s.health }, async () => ({ status: 'ok', version: VERSION, articles: await options.store.countArticles(), writable: !options.token }));

  app.get('/api/stories', { schema: s.listStories }, async (request) => {
    const q = request.query as { q?: string; from?: string; to?: string; outlet?: string; limit: number; offset: number };
    const { stories, next } = await service.listStories({
      limit: q.limit, offset: q.offset, ...(q.q?.trim() ? { search: q.q } : {}), ...(q.from ? { since: q.from } : {}), ...(q.to ? { until: q.to } : {}), ...(q.outlet?.trim() ? { outlet: q.outlet.trim() } : {}),
    });
    return { stories, limit: q.limit, offset: q.offset, next };
  });

  app.get('/api/stories/:id', { schema: s.getBriefing }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const { since } = request.query as { since?: string };
    if (since !== undefined) {
      const changes = await service.storyChanges(id, readSince(since));
      if (!changes) throw new ApiError(404, 'TRI_E100', `no story "${id}"; GET /api/stories lists the stories`);
      // Sent as `brief --since --format json` prints it, rather than through the serializer.
      return reply.type('application/json; charset=utf-8').send(JSON.stringify(changes.diff));
    }
    const view = await service.storyView(id);
    if (!view) throw new ApiError(404, 'TRI_E100', `no story "${id}"; GET /api/stories lists the stories`);
    // Stored as the CLI prints it, so it goes out as it is rather than through the serializer.
    return sendEncoded(reply.type('application/json; charset=utf-8'), request, view.json);
  });

  app.get('/api/articles', { schema: s.listArticles }, async (request) => {
    const q = request.query as { q?: string; limit: number; offset: number };
    const rows = await options.store.listArticles({ limit: q.limit + 1, offset: q.offset, ...(q.q?.trim() ? { search: q.q } : {}) });
    return { articles: rows.slice(0, q.limit), limit: q.limit, offset: q.offset, next: rows.length > q.limit ? q.offset + q.limit : null };
  });

  app.get('/api/articles/:id', { schema: s.getArticle }, async (request) => {
    const { id } = request.params as { id: string };
    const view = await service.articleView(id);
    if (!view) throw new ApiError(404, 'TRI_E100', `no article "${id}"; GET /api/articles lists the articles`);
    return { article: view.article, text: view.article.text, story: view.story, analysis: view.analysisJson, ...view.revisions };
  });

  app.get('/api/articles/:id/raw', { schema: s.getRaw, config: { raw: true } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const article = await options.store.getArticle(id);
    const raw = article ? await options.store.getRaw(article.rawHash) : null;
    if (!article || !raw) throw new ApiError(404, 'TRI_E100', `no raw input for article "${id}"`);
    const extension = { html: 'html', text: 'txt', json: 'json' }[raw.format];
    // Never rendered as a page of this site: a download, in a sandbox, with no type sniffing.
    reply.header('content-security-policy', RAW_CSP);
    reply.header('content-disposition', `attachment; filename="${id}.${extension}"`);
    return reply.type(`application/octet-stream`).send(Buffer.from(raw.bytes));
  });

  app.post('/api/ingest/files', { schema: s.ingestFiles }, async (request) => ctx.ingest('files', request));
  app.post('/api/ingest/text', { schema: s.ingestText }, async (request) => ctx.ingest('text', request));
  app.post('/api/ingest/url', { schema: s.ingestUrl }, async (request) => ctx.ingest('url', request));
}
