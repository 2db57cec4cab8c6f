import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { Fetcher, fetchedDocument, isPrivateAddress, type FetcherOptions, type FetchResult } from '../../src/sources/index.js';
import { parseRobots, robotsAllows } from '../../src/sources/robots.js';
import { respond, startServer, type TestServer } from './server.js';

/** Local servers are on 127.0.0.1, so every test allows private addresses explicitly; no waits between requests. */
const local: FetcherOptions = { allowPrivateUrls: true, hostIntervalMs: 0, backoffMs: 5, retries: 0 };

function failed(result: FetchResult): { code: string; reason: string } {
  assert.equal(result.status, 'failed', `expected a failure, got ${result.status}`);
  return result.status === 'failed' ? { code: result.message.code, reason: result.message.reason } : { code: '', reason: '' };
}

async function withServer(routes: Parameters<typeof startServer>[0], fn: (server: TestServer) => Promise<void>): Promise<void> {
  const server = await startServer(routes);
  try {
    await fn(server);
  } finally {
    await server.close();
  }
}

test('fetches a page with a User-Agent naming the project, and a conditional request gets 304 not-modified', async () => {
  await withServer({
    '/a': (req, res) => {
      if (req.headers['if-none-match'] === '"v1"') { res.writeHead(304); res.end(); return; }
      res.writeHead(200, { 'content-type': 'text/html; charset=ISO-8859-1', etag: '"v1"', 'last-modified': 'Tue, 18 Feb 2025 10:00:00 GMT' });
      res.end('<p>caf\xe9</p>');
    },
  }, async (server) => {
    const fetcher = new Fetcher(local);
    const first = await fetcher.fetch({ url: `${server.origin}/a` });
    assert.equal(first.status, 'ok');
    if (first.status !== 'ok') return;
    assert.equal(first.charset, 'ISO-8859-1');
    assert.equal(first.etag, '"v1"');
    assert.match(String(server.requests.find((r) => r.path === '/a')!.headers['user-agent']), /^Triangulate\/\d/);
    const document = fetchedDocument(first);
    assert.equal(document.format, 'html');
    assert.equal(document.url, `${server.origin}/a`);
    const again = await fetcher.fetch({ url: `${server.origin}/a`, etag: first.etag, lastModified: first.lastModified });
    assert.equal(again.status, 'not-modified');
    assert.equal(server.requests.at(-1)!.headers['if-modified-since'], 'Tue, 18 Feb 2025 10:00:00 GMT');
  });
});

test('private, loopback and link-local addresses are refused unless allowed, also after DNS resolution', async () => {
  await withServer({ '/a': respond('<p>hi</p>') }, async (server) => {
    const strict = new Fetcher({ ...local, allowPrivateUrls: false });
    assert.deepEqual(failed(await strict.fetch({ url: `${server.origin}/a` })).code, 'TRI_E021');
    // `localhost` is a name: it is refused only once resolved.
    const byName = failed(await strict.fetch({ url: server.origin.replace('127.0.0.1', 'localhost') + '/a' }));
    assert.equal(byName.code, 'TRI_E021');
    assert.match(byName.reason, /localhost resolves to/);
    assert.equal(server.requests.length, 0);
  });
  for (const address of ['10.1.2.3', '192.168.0.1', '169.254.169.254', '::1', 'fe80::1', '::ffff:127.0.0.1', 'fd00::5', '0.0.0.0']) assert.ok(isPrivateAddress(address), address);
  for (const address of ['93.184.216.34', '2606:4700::1111', '8.8.8.8']) assert.ok(!isPrivateAddress(address), address);
});

test('every redirect hop is checked: a redirect to a refused address is not followed', async () => {
  await withServer({ '/hop': respond('', { location: 'http://127.0.0.2:9/secret' }, 302) }, async (server) => {
    // Allow exactly the test server's address; 127.0.0.2 is loopback too but refused.
    const fetcher = new Fetcher({ ...local, allowPrivateUrls: false, addressAllowed: (a) => a === '127.0.0.1' });
    const result = failed(await fetcher.fetch({ url: `${server.origin}/hop` }));
    assert.equal(result.code, 'TRI_E021');
    assert.match(result.reason, /redirect from .*\/hop/);
  });
});

test('redirect loops and long redirect chains get a clear message; a short chain is followed', async () => {
  await withServer({
    '/loop-a': respond('', { location: '/loop-b' }, 301),
    '/loop-b': respond('', { location: '/loop-a' }, 302),
    '/r0': respond('', { location: '/r1' }, 307),
    '/r1': respond('', { location: '/r2' }, 307),
    '/r2': respond('', { location: '/r3' }, 307),
    '/r3': respond('<p>end</p>'),
  }, async (server) => {
    const fetcher = new Fetcher({ ...local, maxRedirects: 2 });
    const loop = failed(await fetcher.fetch({ url: `${server.origin}/loop-a` }));
    assert.equal(loop.code, 'TRI_E024');
    assert.match(loop.reason, /redirect loop: .*loop-a → .*loop-b → .*loop-a/);
    const long = failed(await fetcher.fetch({ url: `${server.origin}/r0` }));
    assert.match(long.reason, /more than 2 redirects/);
    const ok = await new Fetcher(local).fetch({ url: `${server.origin}/r0` });
    assert.equal(ok.status === 'ok' && ok.finalUrl, `${server.origin}/r3`);
  });
});

test('a slow response times out; a failing server is retried with backoff, then given up with the status', async () => {
  let calls = 0;
  await withServer({
    '/slow': (_req, res) => { res.writeHead(200, { 'content-type': 'text/html' }); res.write('<p>'); /* never ends */ },
    '/flaky': (_req, res) => { calls++; if (calls < 3) { res.writeHead(503, { 'retry-after': '0' }); res.end(); } else respond('<p>ok</p>')(_req, res); },
    '/down': respond('oops', { 'content-type': 'text/plain' }, 500),
    '/gone': respond('gone', { 'content-type': 'text/plain' }, 404),
  }, async (server) => {
    const slow = failed(await new Fetcher({ ...local, timeoutMs: 150 }).fetch({ url: `${server.origin}/slow` }));
    assert.equal(slow.code, 'TRI_E023');
    const retries: number[] = [];
    const patient = new Fetcher({ ...local, retries: 2, onRetry: (_url, attempt) => retries.push(attempt) });
    assert.equal((await patient.fetch({ url: `${server.origin}/flaky` })).status, 'ok');
    assert.deepEqual(retries, [1, 2]);
    const down = failed(await patient.fetch({ url: `${server.origin}/down` }));
    assert.equal(down.code, 'TRI_E025');
    assert.match(down.reason, /HTTP 500/);
    assert.equal(server.requests.filter((r) => r.path === '/down').length, 3);
    await patient.fetch({ url: `${server.origin}/gone` });
    assert.equal(server.requests.filter((r) => r.path === '/gone').length, 1, 'a 404 is not retried');
  });
});

test('huge bodies are refused: announced, streamed without a length, and a compression bomb', async () => {
  const big = 'x'.repeat(64 * 1024);
  await withServer({
    '/announced': respond(big),
    '/chunked': (_req, res) => { res.writeHead(200, { 'content-type': 'text/html' }); for (let i = 0; i < 8; i++) res.write(big); res.end(); },
    '/bomb': respond(gzipSync(Buffer.alloc(4 * 1024 * 1024, 0x20)), { 'content-type': 'text/html', 'content-encoding': 'gzip' }),
    '/small-gzip': respond(gzipSync('<p>compressed page</p>'), { 'content-type': 'text/html', 'content-encoding': 'gzip' }),
    '/broken-gzip': respond(Buffer.from('not gzip at all'), { 'content-type': 'text/html', 'content-encoding': 'gzip' }),
  }, async (server) => {
    const fetcher = new Fetcher({ ...local, maxBytes: 100 * 1024 });
    const chunked = failed(await fetcher.fetch({ url: `${server.origin}/chunked` }));
    assert.equal(chunked.code, 'TRI_E026');
    const bomb = failed(await fetcher.fetch({ url: `${server.origin}/bomb` }));
    assert.equal(bomb.code, 'TRI_E026');
    assert.match(bomb.reason, /once decompressed/);
    const small = await fetcher.fetch({ url: `${server.origin}/small-gzip` });
    assert.equal(small.status === 'ok' && new TextDecoder().decode(small.bytes), '<p>compressed page</p>');
    assert.equal(failed(await fetcher.fetch({ url: `${server.origin}/broken-gzip` })).code, 'TRI_E032');
    const tiny = new Fetcher({ ...local, maxBytes: 1000 });
    const announced = failed(await tiny.fetch({ url: `${server.origin}/announced` }));
    assert.equal(announced.code, 'TRI_E026');
    assert.match(announced.reason, /announces 64\.0 KB/);
  });
});

test('content that is not a page or a feed is refused before its body is read', async () => {
  await withServer({ '/image': respond(Buffer.from([0x89, 0x50, 0x4e, 0x47]), { 'content-type': 'image/png' }), '/feed': respond('<rss/>', { 'content-type': 'application/rss+xml' }) }, async (server) => {
    const fetcher = new Fetcher(local);
    const image = failed(await fetcher.fetch({ url: `${server.origin}/image` }));
    assert.equal(image.code, 'TRI_E027');
    assert.match(image.reason, /image\/png/);
    assert.equal((await fetcher.fetch({ url: `${server.origin}/feed`, purpose: 'feed' })).status, 'ok');
    assert.equal(failed(await fetcher.fetch({ url: `${server.origin}/feed`, purpose: 'page' })).code, 'TRI_E027');
    assert.equal(failed(await fetcher.fetch({ url: 'ftp://example.org/x' })).code, 'TRI_E020');
    assert.equal(failed(await fetcher.fetch({ url: 'not a url' })).code, 'TRI_E020');
  });
});

test('robots.txt is honoured: a disallowed path is refused without being requested; an unreachable robots.txt disallows', async () => {
  await withServer({
    '/robots.txt': respond('User-agent: *\nDisallow: /private\n\nUser-agent: Triangulate\nDisallow: /news/embargoed\nAllow: /news/embargoed/public$\n', { 'content-type': 'text/plain' }),
    '/news/embargoed': respond('<p>secret</p>'),
    '/news/embargoed/public': respond('<p>public</p>'),
    '/private': respond('<p>other bots only</p>'),
  }, async (server) => {
    const fetcher = new Fetcher({ ...local, robots: true });
    const refused = failed(await fetcher.fetch({ url: `${server.origin}/news/embargoed` }));
    assert.equal(refused.code, 'TRI_E028');
    assert.equal(server.requests.filter((r) => r.path === '/news/embargoed').length, 0);
    assert.equal((await fetcher.fetch({ url: `${server.origin}/news/embargoed/public` })).status, 'ok');
    // Our own group applies, so the `*` group's Disallow does not.
    assert.equal((await fetcher.fetch({ url: `${server.origin}/private` })).status, 'ok');
    assert.equal(server.requests.filter((r) => r.path === '/robots.txt').length, 1, 'robots.txt is cached per origin');
  });
  await withServer({ '/robots.txt': respond('down', { 'content-type': 'text/plain' }, 503), '/a': respond('<p>a</p>') }, async (server) => {
    const result = failed(await new Fetcher(local).fetch({ url: `${server.origin}/a` }));
    assert.equal(result.code, 'TRI_E028');
  });
});

test('robots rules: longest match wins, Allow wins ties, wildcards and end anchors, crawl-delay', () => {
  const rules = parseRobots('User-agent: *\nCrawl-delay: 5\nDisallow: /*.pdf$\nDisallow: /search\nAllow: /search/about\nDisallow:\n', 'Triangulate');
  assert.equal(rules.crawlDelay, 5);
  assert.ok(!robotsAllows(rules, '/files/report.pdf'));
  assert.ok(robotsAllows(rules, '/files/report.pdf?x=1'));
  assert.ok(!robotsAllows(rules, '/search?q=x'));
  assert.ok(robotsAllows(rules, '/search/about'));
  assert.ok(robotsAllows(rules, '/robots.txt'));
  assert.ok(robotsAllows(parseRobots('User-agent: other\nDisallow: /\n', 'Triangulate'), '/anything'));
});

test('requests to one host are spaced and capped in concurrency', async () => {
  await withServer({
    '/p': (_req, res) => { setTimeout(() => respond('<p>x</p>')(_req, res), 30); },
  }, async (server) => {
    const fetcher = new Fetcher({ ...local, hostConcurrency: 1, hostIntervalMs: 20 });
    await Promise.all(Array.from({ length: 5 }, (_, i) => fetcher.fetch({ url: `${server.origin}/p?i=${i}` })));
    assert.equal(server.peakInFlight, 1);
    assert.equal(server.requests.filter((r) => r.path.startsWith('/p')).length, 5);
  });
});

test('an aborted fetch stops and says so', async () => {
  await withServer({ '/slow': () => { /* never answers */ } }, async (server) => {
    const controller = new AbortController();
    const pending = new Fetcher(local).fetch({ url: `${server.origin}/slow`, signal: controller.signal });
    setTimeout(() => controller.abort(), 30);
    assert.match(failed(await pending).reason, /stopped/);
  });
});

const tlsFixture = (name: string): string => readFileSync(new URL(`../fixtures/tls/${name}`, import.meta.url), 'utf8');
const loopbackTls = { key: tlsFixture('loopback-key.pem'), cert: tlsFixture('loopback-cert.pem') };

test('fetches over https from a server whose certificate authority is trusted, following a redirect from http', async () => {
  const secure = await startServer({ '/page': respond(gzipSync('<p>over tls</p>'), { 'content-type': 'text/html', 'content-encoding': 'gzip' }) }, loopbackTls);
  try {
    await withServer({ '/old': (_req, res) => { res.writeHead(301, { location: `${secure.origin}/page` }); res.end(); } }, async (plain) => {
      const fetcher = new Fetcher({ ...local, trustedCertificates: [loopbackTls.cert] });
      const result = await fetcher.fetch({ url: `${plain.origin}/old` });
      assert.equal(result.status, 'ok');
      if (result.status !== 'ok') return;
      assert.equal(Buffer.from(result.bytes).toString('utf8'), '<p>over tls</p>');
      assert.equal(result.finalUrl, `${secure.origin}/page`);
    });
  } finally {
    await secure.close();
  }
});

test('an untrusted or mismatched https certificate fails at once with what to do, without retries', async () => {
  const untrusted = await startServer({ '/page': respond('<p>x</p>') }, loopbackTls);
  const mismatched = await startServer({ '/page': respond('<p>x</p>') }, { key: tlsFixture('elsewhere-key.pem'), cert: tlsFixture('elsewhere-cert.pem') });
  try {
    const retried: string[] = [];
    const fetcher = new Fetcher({ ...local, retries: 2, onRetry: (url) => retried.push(url) });
    const selfSigned = failed(await fetcher.fetch({ url: `${untrusted.origin}/page` }));
    assert.equal(selfSigned.code, 'TRI_E022');
    assert.match(selfSigned.reason, /TLS certificate is not accepted \(DEPTH_ZERO_SELF_SIGNED_CERT.*NODE_EXTRA_CA_CERTS/);
    // Trusting the certificate does not make it valid for a host it does not name.
    const wrongHost = failed(await new Fetcher({ ...local, trustedCertificates: [tlsFixture('elsewhere-cert.pem')] }).fetch({ url: `${mismatched.origin}/page` }));
    assert.match(wrongHost.reason, /ERR_TLS_CERT_ALTNAME_INVALID.*the server must fix its certificate/);
    assert.deepEqual(retried, []);
  } finally {
    await untrusted.close();
    await mismatched.close();
  }
});
