import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { Writable } from 'node:stream';
import Ajv2020 from 'ajv/dist/2020.js';
import { main } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/command.js';
import type { Store } from '../../src/store/index.js';
import { demoStore, hostileArticles, serve, type Running } from './helpers.js';

const ajv = new Ajv2020.default({ allErrors: true, strict: false });
const validateBriefing = ajv.compile(JSON.parse(readFileSync('docs/schema/briefing.schema.json', 'utf8')));
const validateAnalysis = ajv.compile(JSON.parse(readFileSync('docs/schema/analysis.schema.json', 'utf8')));

let store: Store;
let dbFile: string;
let server: Running;

before(async () => {
  ({ store, file: dbFile } = await demoStore());
  server = await serve({ store });
});
after(async () => {
  await server.close();
  await store.close();
});

async function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: any; headers: Headers }> {
  const response = await fetch(`${server.base}${path}`, { headers });
  const text = await response.text();
  return { status: response.status, body: response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text, headers: response.headers };
}

async function post(base: string, path: string, body: FormData | Record<string, unknown>, headers: Record<string, string> = {}) {
  const init: RequestInit = body instanceof FormData
    ? { method: 'POST', body, headers }
    : { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } };
  const response = await fetch(`${base}${path}`, init);
  return { status: response.status, body: await response.json() as any };
}

function assertError(res: { status: number; body: any }, status: number, code: string): void {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.deepEqual(Object.keys(res.body).filter((k) => k !== 'messages').sort(), ['code', 'message', 'status']);
  assert.equal(res.body.status, status);
  assert.equal(res.body.code, code);
  assert.ok(res.body.message.length > 20, 'the message says what to do');
}

test('health answers with the version and the number of articles', async () => {
  const res = await get('/api/health');
  assert.equal(res.status, 200);
  assert.equal(res.body.status, 'ok');
  assert.equal(res.body.articles, 5);
});

test('the story list is paged and searchable, and each story carries its counts', async () => {
  const all = await get('/api/stories');
  assert.equal(all.status, 200);
  const demo = all.body.stories.find((s: any) => s.articleCount === 5);
  assert.ok(demo, 'the demo story is listed');
  assert.equal(demo.familyCount, 4);
  assert.ok(demo.contradictionCount >= 1);
  const found = await get('/api/stories?q=Riyadh');
  assert.deepEqual(found.body.stories.map((s: any) => s.id), [demo.id]);
  assert.equal((await get('/api/stories?q=xylophone')).body.stories.length, 0);
  const page = await get(`/api/stories?limit=1&offset=0`);
  assert.equal(page.body.stories.length, 1);
  assert.equal(page.body.limit, 1);
});

test('the briefing endpoint returns exactly what brief --format json prints, valid against the published schema', async () => {
  const list = await get('/api/stories?q=Riyadh');
  const id = list.body.stories[0].id;
  const res = await get(`/api/stories/${id}`);
  assert.equal(res.status, 200);
  assert.ok(validateBriefing(res.body), JSON.stringify(validateBriefing.errors?.slice(0, 3)));
  let stdout = '';
  const io: Io = { stdout: new Writable({ write(c, _e, done) { stdout += String(c); done(); } }), stderr: new Writable({ write(_c, _e, done) { done(); } }), env: {}, cwd: process.cwd() };
  assert.equal(await main(['brief', id, '--db', dbFile, '--format', 'json'], io), 0);
  assert.deepEqual(res.body, JSON.parse(stdout));
});

test('an article comes with its text, metadata and an analysis whose spans slice the text', async () => {
  const list = await get('/api/articles?limit=2');
  assert.equal(list.body.articles.length, 2);
  assert.equal(list.body.next, 2);
  assert.equal(list.body.articles[0].text, undefined, 'the list carries no text');
  const res = await get(`/api/articles/${list.body.articles[0].id}`);
  assert.equal(res.status, 200);
  assert.ok(res.body.story);
  assert.ok(validateAnalysis(res.body.analysis), JSON.stringify(validateAnalysis.errors?.slice(0, 3)));
  for (const e of res.body.analysis.entities) assert.equal(res.body.text.slice(e.span[0], e.span[1]), e.text);
  const raw = await fetch(`${server.base}/api/articles/${list.body.articles[0].id}/raw`);
  assert.equal(raw.headers.get('content-type'), 'application/octet-stream');
  assert.match(raw.headers.get('content-disposition') ?? '', /^attachment/);
  assert.match(raw.headers.get('content-security-policy') ?? '', /sandbox/);
  assert.ok((await raw.arrayBuffer()).byteLength > 1000);
});

test('errors are JSON with a status, a stable code and a message, on every error path', async () => {
  assertError(await get('/api/stories/nope'), 404, 'TRI_E100');
  assertError(await get('/api/articles/nope'), 404, 'TRI_E100');
  assertError(await get('/api/nothing-here'), 404, 'TRI_E100');
  assertError(await get('/api/stories?limit=1000'), 400, 'TRI_E101');
  assertError(await get('/api/stories?from=yesterday'), 400, 'TRI_E101');
  assertError(await get('/api/stories?colour=red'), 400, 'TRI_E101');
  assertError(await post(server.base, '/api/ingest/text', { title: 'no text' }), 400, 'TRI_E101');
  assertError(await post(server.base, '/api/ingest/text', { text: 'x', extra: 1 }), 400, 'TRI_E101');
  const malformed = await fetch(`${server.base}/api/ingest/text`, { method: 'POST', body: '{oops', headers: { 'content-type': 'application/json' } });
  assertError({ status: malformed.status, body: await malformed.json() }, 400, 'TRI_E101');
  const wrongType = await fetch(`${server.base}/api/ingest/files`, { method: 'POST', body: 'x', headers: { 'content-type': 'text/plain' } });
  assertError({ status: wrongType.status, body: await wrongType.json() }, 415, 'TRI_E105');
});

test('uploads are ingested through the pipeline; bad files get the input code and what to do', async () => {
  const form = new FormData();
  form.append('files', new Blob([JSON.stringify(hostileArticles()[0])]), 'bridge.json');
  form.append('files', new Blob([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0])]), 'picture.html');
  const res = await post(server.base, '/api/ingest/files', form);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.ingested, 1);
  assert.equal(res.body.failed, 1);
  assert.ok(res.body.documents[0].story, 'the new article was grouped into a story');
  assert.equal(res.body.messages[0].code, 'TRI_E005');

  const bad = new FormData();
  bad.append('files', new Blob(['a,b\n1,2']), 'table.csv');
  const refused = await post(server.base, '/api/ingest/files', bad);
  assertError(refused, 422, 'TRI_E002');
  assert.match(refused.body.message, /table\.csv/);
  assert.equal(refused.body.messages.length, 1);

  const again = new FormData();
  again.append('files', new Blob([JSON.stringify(hostileArticles()[0])]), 'bridge.json');
  assert.equal((await post(server.base, '/api/ingest/files', again)).body.duplicates, 1);
});

test('pasted text with metadata becomes an article; stories filter by date range and outlet', async () => {
  const res = await post(server.base, '/api/ingest/text', hostileArticles()[1]!);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.ingested, 1);
  const story = res.body.documents[0].story;
  const article = await get(`/api/articles/${res.body.documents[0].article}`);
  assert.equal(article.body.article.outlet, 'Coast Daily');
  assert.equal(article.body.article.published.slice(0, 10), '2025-03-04');
  const ids = async (query: string) => (await get(`/api/stories?${query}`)).body.stories.map((s: any) => s.id);
  assert.ok((await ids('from=2025-03-01&to=2025-03-31')).includes(story));
  assert.ok(!(await ids('from=2025-04-01')).includes(story));
  assert.ok(!(await ids('to=2025-03-01')).includes(story));
  assert.ok((await ids('to=2025-03-04')).includes(story), 'a plain end date includes that whole day');
  assert.deepEqual(await ids('outlet=coast%20daily'), [story]);
  assert.deepEqual(await ids('outlet=nowhere.example'), []);
});

test('a submitted URL is fetched by the server, and private addresses are refused unless allowed', async () => {
  const page = http.createServer((req, res) => {
    if (req.url === '/robots.txt') { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<html><head><title>Ferry service resumes</title></head><body><article><h1>Ferry service resumes</h1><p>The island ferry resumed service on Tuesday after a three-week suspension caused by storm damage to the pier, the operator said in a statement.</p><p>Repairs to the pier cost about $400,000 and were paid for by the regional council, which said the crossing would run on its winter timetable until April.</p></article></body></html>');
  });
  await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(page.address() as { port: number }).port}/ferry.html`;
  try {
    assertError(await post(server.base, '/api/ingest/url', { url }), 422, 'TRI_E021');
    assertError(await post(server.base, '/api/ingest/url', { url: 'file:///etc/passwd' }), 422, 'TRI_E020');
    const open = await serve({ store, allowPrivateUrls: true });
    try {
      const res = await post(open.base, '/api/ingest/url', { url });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.ingested, 1);
    } finally {
      await open.close();
    }
  } finally {
    page.close();
  }
});

test('with a token, writes need it and reads do not; other sites cannot post; the Host must be loopback', async () => {
  const token = 'a-long-enough-test-token';
  const guarded = await serve({ store, token });
  try {
    assertError(await post(guarded.base, '/api/ingest/text', { text: 'Something happened.' }), 401, 'TRI_E102');
    assertError(await post(guarded.base, '/api/ingest/text', { text: 'Something happened.' }, { authorization: 'Bearer wrong-token-of-same-size!' }), 401, 'TRI_E102');
    const ok = await post(guarded.base, '/api/ingest/text', { text: 'The city museum reopened on Saturday after a two-year renovation that cost $12 million, its director said, adding that the new galleries would be free to visit for the first month and open late on Thursdays.' }, { authorization: `Bearer ${token}` });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal((await fetch(`${guarded.base}/api/stories`)).status, 200);
    assert.equal((await guarded.app.inject({ url: '/api/health' })).json().writable, false);
  } finally {
    await guarded.close();
  }
  assertError(await post(server.base, '/api/ingest/text', { text: 'x' }, { origin: 'http://evil.example' }), 403, 'TRI_E103');
  const rebound = await server.app.inject({ url: '/api/stories', headers: { host: 'attacker.example:8080' } });
  assertError({ status: rebound.statusCode, body: rebound.json() }, 421, 'TRI_E106');
});

test('request bodies and uploads over the limits are refused with 413', async () => {
  const small = await serve({ store, maxUploadBytes: 1024, maxBodyBytes: 1024 });
  try {
    const form = new FormData();
    form.append('files', new Blob(['x'.repeat(4096)]), 'big.txt');
    assertError(await post(small.base, '/api/ingest/files', form), 413, 'TRI_E104');
    assertError(await post(small.base, '/api/ingest/text', { text: 'y'.repeat(4096) }), 413, 'TRI_E104');
  } finally {
    await small.close();
  }
});

test('the OpenAPI document lists every API route and every reference in it resolves', async () => {
  const doc = (await get('/api/openapi.json')).body;
  assert.equal(doc.openapi, '3.1.0');
  for (const path of ['/api/health', '/api/stories', '/api/stories/{id}', '/api/articles', '/api/articles/{id}', '/api/articles/{id}/raw', '/api/ingest/files', '/api/ingest/text', '/api/ingest/url']) {
    assert.ok(doc.paths[path], `${path} is documented`);
  }
  const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
  assert.ok(refs.length > 10);
  for (const ref of new Set(refs)) {
    const pointer = ref.slice('"$ref":"'.length, -1);
    assert.ok(pointer.startsWith('#/'), pointer);
    const target = pointer.slice(2).split('/').reduce((node: any, key) => node?.[key], doc);
    assert.ok(target, `${pointer} resolves`);
  }
  assert.deepEqual(doc.paths['/api/stories'].get.parameters.map((p: any) => p.name).sort(), ['from', 'limit', 'offset', 'outlet', 'q', 'to']);
});

test('every response carries a strict Content-Security-Policy and no-sniff', async () => {
  for (const path of ['/', '/add', '/api/stories', '/static/style.css']) {
    const res = await get(path, { accept: 'text/html' });
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  }
});

test('serve refuses to listen beyond loopback without a token', async () => {
  let stderr = '';
  const io: Io = { stdout: new Writable({ write(_c, _e, done) { done(); } }), stderr: new Writable({ write(c, _e, done) { stderr += String(c); done(); } }), env: {}, cwd: process.cwd() };
  assert.equal(await main(['serve', '--host', '0.0.0.0', '--port', '0', '--db', dbFile], io), 2);
  assert.match(stderr, /--token/);
  assert.equal(await main(['serve', '--token', 'short', '--db', dbFile], io), 2);
  assert.match(stderr, /at least 16 characters/);
});
