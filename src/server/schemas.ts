/**
 * The JSON Schemas of the HTTP API. The same objects validate requests (Fastify
 * compiles them), shape responses (serialisation drops any field a schema does
 * not name) and make up the OpenAPI document at /api/openapi.json, so the
 * published contract cannot drift from what the server does. The briefing and
 * analysis schemas are the ones the CLI publishes in docs/schema/.
 */
import { readFileSync } from 'node:fs';
import { SINCE_FORMATS } from '../time.js';

/** docs/schema/ from src/server and from dist/server alike (the package ships docs/schema). */
function published(name: string): Record<string, unknown> {
  const schema = JSON.parse(readFileSync(new URL(`../../docs/schema/${name}.schema.json`, import.meta.url), 'utf8')) as Record<string, unknown>;
  // Fastify's validator speaks draft-07 by default; the keywords these schemas use mean the same there.
  delete schema.$schema;
  return schema;
}

export const BRIEFING_ID = 'https://triangulate.dev/schema/briefing.schema.json';
export const ANALYSIS_ID = 'https://triangulate.dev/schema/analysis.schema.json';
export const DIFF_ID = 'https://triangulate.dev/schema/diff.schema.json';

const ref = (id: string, pointer = '') => ({ $ref: `${id}#${pointer}` });
/** Parts of the briefing schema other documents reuse. */
const EVIDENCE = ref(BRIEFING_ID, '/$defs/evidence');
const FACT = ref(BRIEFING_ID, '/$defs/story/properties/facts/items');
const nullable = (type: string) => ({ type: [type, 'null'] });
const MESSAGE = {
  type: 'object',
  required: ['input', 'code', 'reason', 'severity'],
  properties: {
    input: { type: 'string' }, offset: { type: 'integer' }, code: { type: 'string' }, reason: { type: 'string' },
    severity: { enum: ['error', 'warning', 'info'] },
  },
};

/** Shared schemas by $id; routes refer to them with `{ $ref: '<id>#' }`. */
export const sharedSchemas: Record<string, Record<string, unknown>> = {
  briefing: published('briefing'),
  analysis: published('analysis'),
  diff: published('diff'),
  message: { $id: 'message', description: 'A problem with one input: which input, a stable code (docs/errors.md) and what to do.', ...MESSAGE },
  error: {
    $id: 'error',
    description: 'Every error response. `code` is stable (docs/errors.md says how to fix each); `message` says what to do.',
    type: 'object',
    required: ['status', 'code', 'message'],
    properties: { status: { type: 'integer' }, code: { type: 'string' }, message: { type: 'string' }, messages: { type: 'array', items: ref('message') } },
  },
  storySummary: {
    $id: 'storySummary',
    type: 'object',
    required: ['id', 'headline', 'firstPublished', 'lastPublished', 'articleCount', 'familyCount', 'contradictionCount', 'updatedAt'],
    properties: {
      id: { type: 'string' }, headline: { type: 'string' }, firstPublished: nullable('string'), lastPublished: nullable('string'),
      articleCount: { type: 'integer', description: 'articles in the story' },
      familyCount: { type: 'integer', description: 'independent source families' },
      contradictionCount: { type: 'integer', description: 'contradictions in the latest briefing' },
      updatedAt: { type: 'string' },
    },
  },
  articleMeta: {
    $id: 'articleMeta',
    type: 'object',
    required: ['id', 'input', 'format', 'title', 'author', 'published', 'outlet', 'url', 'language', 'provenance', 'rawHash', 'ingestedAt'],
    properties: {
      id: { type: 'string' }, input: { type: 'string' }, format: { enum: ['html', 'text', 'json'] }, title: nullable('string'),
      author: { type: 'array', items: { type: 'string' } }, published: nullable('string'), outlet: nullable('string'), url: nullable('string'),
      language: nullable('string'),
      provenance: { type: 'array', items: { type: 'object', required: ['origin', 'evidence'], properties: { origin: { type: 'string' }, evidence: { type: 'string' } } } },
      removed: { type: 'array', items: { type: 'string' }, description: 'boilerplate lines dropped from a text input' },
      rawHash: { type: 'string', description: 'sha256 of the raw input; GET /api/articles/{id}/raw returns it' },
      ingestedAt: { type: 'string' },
    },
  },
  pageVersion: {
    $id: 'pageVersion',
    description: 'One fetch of a page.',
    type: 'object', required: ['rawHash', 'articleId', 'firstSeen'],
    properties: {
      rawHash: { type: 'string', description: 'sha256 of the bytes fetched' },
      articleId: { ...nullable('string'), description: 'the article its text became; null when the text was the same as before, or extraction failed' },
      firstSeen: { type: 'string', description: 'when these bytes were first fetched' },
    },
  },
  revisionDiff: {
    $id: 'revisionDiff',
    description: 'Sentence-level changes from the previous revision of the page (`from`) to this one (`to`); a reworded sentence is one removed and one added.',
    type: 'object', required: ['from', 'to', 'removed', 'added', 'unchanged'],
    properties: {
      from: { type: 'string' }, to: { type: 'string' },
      removed: { type: 'array', items: EVIDENCE, description: 'sentences of the older text the newer one dropped (spans into `from`)' },
      added: { type: 'array', items: EVIDENCE, description: 'sentences of the newer text the older one did not have (spans into `to`)' },
      unchanged: { type: 'integer', minimum: 0 },
    },
  },
  removedFact: {
    $id: 'removedFact',
    description: 'A fact of the story\'s briefing (as built before this revision) that only sentences the revision removed supported in this page.',
    allOf: [FACT, {
      type: 'object', required: ['storyId', 'otherArticles'],
      properties: { storyId: { type: 'string' }, otherArticles: { type: 'array', items: { type: 'string' }, description: 'other articles that still carry the fact; empty when none does' } },
    }],
  },
  ingestResult: {
    $id: 'ingestResult',
    description: 'What an ingestion request stored and which stories it changed. Inputs that failed are listed in `messages`.',
    type: 'object',
    required: ['ingested', 'duplicates', 'failed', 'documents', 'stories', 'messages'],
    properties: {
      ingested: { type: 'integer' }, duplicates: { type: 'integer' }, failed: { type: 'integer' },
      documents: {
        type: 'array',
        items: {
          type: 'object', required: ['input', 'status', 'article', 'story'],
          properties: { input: { type: 'string' }, status: { enum: ['ingested', 'duplicate', 'failed'] }, article: nullable('string'), story: nullable('string') },
        },
      },
      stories: { type: 'array', items: { type: 'string' }, description: 'stories created or changed' },
      messages: { type: 'array', items: ref('message') },
    },
  },
};

const errors = (...statuses: number[]) => Object.fromEntries(statuses.map((s) => [s, ref('error')]));
const paging = {
  limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
  offset: { type: 'integer', minimum: 0, maximum: 1_000_000, default: 0 },
};
const isoDate = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}(T[0-9:.]+(Z|[+-]\\d{2}:?\\d{2})?)?$' };
const id = { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' };

/** Route schemas, keyed by route. `tags`, `summary` and `description` go to the OpenAPI document as they are. */
export const routeSchemas = {
  health: {
    summary: 'Is the server up, and how much does its database hold',
    response: {
      200: {
        type: 'object', required: ['status', 'version', 'articles', 'writable'],
        properties: { status: { const: 'ok' }, version: { type: 'string' }, articles: { type: 'integer' }, writable: { type: 'boolean', description: 'false when write endpoints need a token' } },
      },
    },
  },
  listStories: {
    summary: 'Stories, newest first: paged, with full-text search and filters',
    querystring: {
      type: 'object', additionalProperties: false,
      properties: {
        q: { type: 'string', maxLength: 500, description: 'full-text search over the stories\' articles' },
        from: { ...isoDate, description: 'stories with an article published on or after this date; undated stories by when they last changed' },
        to: { ...isoDate, description: 'stories with an article published on or before this date (a plain date includes the whole day)' },
        outlet: { type: 'string', maxLength: 200, description: 'stories with an article from this outlet (name, or the host of its URL)' },
        ...paging,
      },
    },
    response: {
      200: {
        type: 'object', required: ['stories', 'limit', 'offset', 'next'],
        properties: { stories: { type: 'array', items: ref('storySummary') }, limit: { type: 'integer' }, offset: { type: 'integer' }, next: { type: ['integer', 'null'], description: 'offset of the next page, or null on the last page' } },
      },
      ...errors(400),
    },
  },
  getBriefing: {
    summary: 'One story\'s briefing: the same document as `triangulate brief ID --format json`; with `since`, what changed since then',
    description: 'With `since`, the answer is the changes document (diff.schema.json), the same as `triangulate brief ID --since TIME --format json`: new sources, new facts, facts that gained or lost support, new contradictions, new quotes, against the latest briefing built at or before that time.',
    params: { type: 'object', required: ['id'], properties: { id } },
    querystring: {
      type: 'object', additionalProperties: false,
      properties: { since: { type: 'string', maxLength: 100, description: `only what changed since then: ${SINCE_FORMATS}` } },
    },
    response: { 200: { anyOf: [ref(BRIEFING_ID), ref(DIFF_ID)] }, ...errors(400, 404) },
  },
  listArticles: {
    summary: 'Articles (metadata, no text): paged, with full-text search',
    querystring: { type: 'object', additionalProperties: false, properties: { q: { type: 'string', maxLength: 500 }, ...paging } },
    response: {
      200: {
        type: 'object', required: ['articles', 'limit', 'offset', 'next'],
        properties: { articles: { type: 'array', items: ref('articleMeta') }, limit: { type: 'integer' }, offset: { type: 'integer' }, next: { type: ['integer', 'null'] } },
      },
      ...errors(400),
    },
  },
  getArticle: {
    summary: 'One article: its text, metadata, story and analysis (every annotation a span into `text`)',
    params: { type: 'object', required: ['id'], properties: { id } },
    response: {
      200: {
        type: 'object', required: ['article', 'text', 'story', 'analysis', 'fetchedFrom', 'revisions', 'supersededBy', 'changes', 'removedFacts'],
        properties: {
          article: ref('articleMeta'), text: { type: 'string' }, story: nullable('string'),
          analysis: { anyOf: [ref(ANALYSIS_ID), { type: 'null' }], description: 'null until the article has been analysed' },
          fetchedFrom: { ...nullable('string'), description: 'the URL the page was fetched from; null for files and pasted text' },
          revisions: { type: 'array', items: ref('pageVersion'), description: 'every fetch of that URL, oldest first' },
          supersededBy: { ...nullable('string'), description: 'the newest article of the page when its text changed since this one' },
          changes: { anyOf: [ref('revisionDiff'), { type: 'null' }], description: 'what changed from the previous revision; null for a first fetch' },
          removedFacts: { type: 'array', items: ref('removedFact'), description: 'facts this revision removed' },
        },
      },
      ...errors(400, 404),
    },
  },
  getRaw: {
    summary: 'The raw input an article was extracted from, byte for byte, as an attachment (never rendered as a page)',
    params: { type: 'object', required: ['id'], properties: { id } },
    response: { 200: { description: 'the raw bytes', type: 'string' }, ...errors(400, 404) },
  },
  ingestFiles: {
    summary: 'Upload files (multipart/form-data, field `files`, repeatable): .html/.htm, .txt/.md, .json/.jsonl, optionally .gz',
    description: 'Stores, analyses and groups the articles into stories, then answers. Needs the server token when one is set (Authorization: Bearer TOKEN, or a `token` form field before the files).',
    consumes: ['multipart/form-data'],
    response: { 200: ref('ingestResult'), ...errors(400, 401, 403, 413, 415, 422) },
  },
  ingestText: {
    summary: 'Paste an article\'s text, with optional metadata',
    description: 'Needs the server token when one is set.',
    body: {
      type: 'object', required: ['text'], additionalProperties: false,
      properties: {
        text: { type: 'string', minLength: 1, maxLength: 1_000_000 }, title: { type: 'string', maxLength: 1000 }, url: { type: 'string', maxLength: 2000 },
        outlet: { type: 'string', maxLength: 200 }, published: { type: 'string', maxLength: 40 }, token: { type: 'string', maxLength: 500 },
      },
    },
    response: { 200: ref('ingestResult'), ...errors(400, 401, 403, 413, 422) },
  },
  ingestUrl: {
    summary: 'Submit a URL: the server fetches the page (size and time limits; private addresses refused) and ingests it',
    description: 'Needs the server token when one is set.',
    body: { type: 'object', required: ['url'], additionalProperties: false, properties: { url: { type: 'string', minLength: 1, maxLength: 2000 }, token: { type: 'string', maxLength: 500 } } },
    response: { 200: ref('ingestResult'), ...errors(400, 401, 403, 422, 502) },
  },
} as const;
