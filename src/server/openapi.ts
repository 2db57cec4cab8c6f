/**
 * The OpenAPI 3.1 document, built from the schemas the routes were registered
 * with (collected by an onRoute hook): nothing here is written by hand but the
 * title. Shared schemas become components; `{ $ref: '<id>#…' }` references and
 * the schemas' own `#/$defs/…` references are rewritten to point there.
 */
import { ANALYSIS_ID, BRIEFING_ID, DIFF_ID, sharedSchemas } from './schemas.js';

export interface DocumentedRoute {
  method: string;
  url: string;
  schema: {
    summary?: string;
    description?: string;
    consumes?: string[];
    querystring?: { properties?: Record<string, Record<string, unknown>>; required?: string[] };
    params?: { properties?: Record<string, Record<string, unknown>>; required?: string[] };
    body?: Record<string, unknown>;
    response?: Record<string, Record<string, unknown>>;
  };
  config?: { raw?: boolean; hidden?: boolean };
}

/** Component name of each shared schema, by the $id routes refer to it with. */
const componentOf = new Map(Object.entries(sharedSchemas).map(([name, schema]) => [String(schema.$id), name]));

function rewrite(value: unknown, base: string | null): unknown {
  if (Array.isArray(value)) return value.map((v) => rewrite(v, base));
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (key === '$id') continue;
    if (key === '$ref' && typeof v === 'string') {
      const [id, pointer = ''] = v.split('#');
      const name = id ? componentOf.get(id) : base;
      out.$ref = `#/components/schemas/${name}${pointer}`;
      continue;
    }
    out[key] = rewrite(v, base);
  }
  return out;
}

const STATUS_TEXT: Record<string, string> = {
  200: 'OK', 400: 'Invalid request (TRI_E101)', 401: 'Token required or wrong (TRI_E102)', 403: 'Cross-site request refused (TRI_E103)', 404: 'Not found (TRI_E100)',
  413: 'Too large (TRI_E104)', 415: 'Unsupported media type (TRI_E105)', 422: 'Nothing could be ingested: the code and messages say why', 502: 'The URL could not be fetched',
};

export function openApiDocument(routes: DocumentedRoute[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    if (route.config?.hidden) continue;
    const { schema } = route;
    const path = route.url.replace(/:([A-Za-z_]+)/g, '{$1}');
    const parameters = [
      ...Object.entries(schema.params?.properties ?? {}).map(([name, s]) => ({ name, in: 'path', required: true, schema: rewrite(s, null) })),
      ...Object.entries(schema.querystring?.properties ?? {}).map(([name, s]) => ({
        name, in: 'query', required: schema.querystring?.required?.includes(name) ?? false, ...(s.description ? { description: s.description } : {}), schema: rewrite(s, null),
      })),
    ];
    const responses: Record<string, unknown> = {};
    for (const [status, s] of Object.entries(schema.response ?? {})) {
      responses[status] = { description: STATUS_TEXT[status] ?? String(status), content: { 'application/json': { schema: rewrite(s, null) } } };
    }
    if (route.config?.raw) responses['200'] = { description: 'the raw input, byte for byte', content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } };
    const operation: Record<string, unknown> = {
      operationId: `${route.method.toLowerCase()}${path.replace(/\{([^}]+)\}/g, 'By-$1').split(/[/.-]/).filter(Boolean).map((w) => w[0]!.toUpperCase() + w.slice(1)).join('')}`,
      summary: schema.summary, ...(schema.description ? { description: schema.description } : {}), parameters, responses,
    };
    if (route.method === 'POST') {
      operation.security = [{}, { token: [] }];
      if (schema.consumes?.includes('multipart/form-data')) {
        operation.requestBody = {
          required: true,
          content: { 'multipart/form-data': { schema: { type: 'object', properties: { files: { type: 'array', items: { type: 'string', format: 'binary' } }, token: { type: 'string' } }, required: ['files'] } } },
        };
      } else if (schema.body) {
        const body = rewrite(schema.body, null);
        operation.requestBody = { required: true, content: { 'application/json': { schema: body }, 'application/x-www-form-urlencoded': { schema: body } } };
      }
    }
    (paths[path] ??= {})[route.method.toLowerCase()] = operation;
  }
  const schemas = Object.fromEntries(Object.entries(sharedSchemas).map(([name, schema]) => [name, rewrite(schema, name)]));
  return {
    openapi: '3.1.0',
    info: {
      title: 'Triangulate HTTP API',
      version,
      description: 'Stories, briefings (the same JSON as `triangulate brief --format json`) and what changed in them since a time, articles with their analysis and revisions, and ingestion. Every error is `{status, code, message}`; docs/errors.md explains each code. Write endpoints need the server token when one is set.',
    },
    servers: [{ url: '/' }],
    components: { schemas, securitySchemes: { token: { type: 'http', scheme: 'bearer', description: 'The token given to `triangulate serve --token` (or TRIANGULATE_TOKEN).' } } },
    paths,
    'x-schema-ids': { briefing: BRIEFING_ID, analysis: ANALYSIS_ID, diff: DIFF_ID },
  };
}
