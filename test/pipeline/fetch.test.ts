import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { Io } from '../../src/cli/command.js';
import { main } from '../../src/cli/main.js';
import { ingestUrl } from '../../src/pipeline/fetch.js';
import { Fetcher } from '../../src/sources/index.js';
import { openStore } from '../../src/store/index.js';
import { newsPage, respond, startServer } from '../sources/server.js';

const body = [
  'The city council voted on Monday to close the old harbour bridge for repairs, officials said, after engineers found cracks in two of its supports.',
  'The repairs will cost about 2 million euros and take four months, the mayor told reporters outside the town hall.',
  'Ferry services will run every twenty minutes while the bridge is closed, the transport authority said in a statement.',
];

test('a fetched page is stored with its raw bytes; fetched again it is unchanged (304); changed, it is a revision', async () => {
  let version = 1;
  const server = await startServer({
    '/robots.txt': respond('User-agent: *\nDisallow: /members\n', { 'content-type': 'text/plain' }),
    '/bridge': (req, res) => {
      const etag = `"v${version}"`;
      if (req.headers['if-none-match'] === etag) { res.writeHead(304); res.end(); return; }
      const paragraphs = version === 1 ? body : [body[0]!, 'The repairs will cost about 3 million euros and take six months, the mayor told reporters.', body[2]!];
      respond(newsPage('Harbour bridge to close for repairs', paragraphs), { 'content-type': 'text/html; charset=utf-8', etag })(req, res);
    },
    '/members': respond(newsPage('Members only', body)),
  });
  const store = await openStore({ path: ':memory:' });
  try {
    const fetcher = new Fetcher({ allowPrivateUrls: true, hostIntervalMs: 0, retries: 0 });
    const url = `${server.origin}/bridge`;
    const first = await ingestUrl(store, fetcher, url);
    assert.equal(first.status, 'ingested', JSON.stringify(first.messages));
    const article = (await store.getArticle(first.articleId!))!;
    assert.equal(article.title, 'Harbour bridge to close for repairs');
    const raw = (await store.getRaw(article.rawHash))!;
    assert.match(new TextDecoder().decode(raw.bytes), /<nav>Home/, 'the raw page is kept, boilerplate and all');
    assert.equal(raw.url, url);

    const second = await ingestUrl(store, fetcher, url);
    assert.equal(second.status, 'unchanged');
    assert.equal(second.articleId, first.articleId);
    assert.equal(server.requests.at(-1)!.headers['if-none-match'], '"v1"');

    version = 2;
    const third = await ingestUrl(store, fetcher, url);
    assert.equal(third.status, 'revised');
    assert.equal(third.previousArticleId, first.articleId);
    assert.deepEqual([...await store.supersededArticles([first.articleId!, third.articleId!])], [[first.articleId, third.articleId]]);

    const refused = await ingestUrl(store, fetcher, `${server.origin}/members`);
    assert.equal(refused.status, 'failed');
    assert.equal(refused.messages[0]!.code, 'TRI_E028');
    assert.equal((await store.getFetchState(`${server.origin}/members`))!.failures, 1);
  } finally {
    await store.close();
    await server.close();
  }
});

test('pages in a wrong or undeclared encoding are decoded as the extractor decodes files', async () => {
  const page = (title: string) => newsPage(title, body.map((p) => `${p} Caf\u00e9 owners in S\u00e3o Paulo were not surprised by the ${title.toLowerCase()}.`)).replace('<meta charset="utf-8">', '');
  const server = await startServer({
    // UTF-8 bytes served as ISO-8859-1: the decoder overrules the label.
    '/mislabelled': respond(Buffer.from(page('Mislabelled page'), 'utf8'), { 'content-type': 'text/html; charset=ISO-8859-1' }),
    // windows-1252 bytes with no charset anywhere.
    '/undeclared': respond(Buffer.from(page('Undeclared page'), 'latin1'), { 'content-type': 'text/html' }),
  });
  const store = await openStore({ path: ':memory:' });
  try {
    const fetcher = new Fetcher({ allowPrivateUrls: true, hostIntervalMs: 0, robots: false });
    for (const name of ['mislabelled', 'undeclared']) {
      const result = await ingestUrl(store, fetcher, `${server.origin}/${name}`);
      assert.equal(result.status, 'ingested', name);
      assert.match((await store.getArticle(result.articleId!))!.text, /Café owners in São Paulo/, name);
    }
  } finally {
    await store.close();
    await server.close();
  }
});

test('triangulate ingest URL fetches pages (private addresses only with --allow-private-urls) and reports failures per URL', async () => {
  const server = await startServer({ '/a': respond(newsPage('Harbour bridge to close for repairs', body)), '/big': respond('x'.repeat(300_000)) });
  try {
    const dir = mkdtempSync(path.join(tmpdir(), 'tri-url-'));
    const db = path.join(dir, 'x.db');
    const run = async (args: string[]) => {
      let stdout = '';
      let stderr = '';
      const sink = (write: (s: string) => void) => new Writable({ write(chunk, _enc, done) { write(String(chunk)); done(); } });
      const io: Io = { stdout: sink((s) => { stdout += s; }), stderr: sink((s) => { stderr += s; }), env: {}, cwd: dir };
      return { code: await main(args, io), stdout, stderr };
    };
    const refused = await run(['ingest', `${server.origin}/a`, '--db', db, '--extract-only']);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /TRI_E021.*--allow-private-urls|TRI_E021/);
    const ok = await run(['ingest', `${server.origin}/a`, `${server.origin}/big`, '--db', db, '--extract-only', '--allow-private-urls', '--max-bytes', '100KB']);
    assert.match(ok.stdout, /^1 ingested, 0 duplicates skipped, 1 failed$/m);
    assert.match(ok.stderr, /\/big: error TRI_E026/);
  } finally {
    await server.close();
  }
});
