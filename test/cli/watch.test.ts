import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { Io } from '../../src/cli/command.js';
import { main } from '../../src/cli/main.js';
import { newsPage, respond, startServer } from '../sources/server.js';

async function cli(args: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const sink = (write: (s: string) => void) => new Writable({ write(chunk, _enc, done) { write(String(chunk)); done(); } });
  const io: Io = { stdout: sink((s) => { stdout += s; }), stderr: sink((s) => { stderr += s; }), env: {}, cwd };
  return { code: await main(args, io), stdout, stderr };
}

test('triangulate watch --once: one log line per event, bad lines of the feed list named, JSON lines with --json', async () => {
  const paragraphs = [
    'The city council of Valmora voted on Monday to close the old harbour bridge for repairs after engineers found cracks in two of its supports.',
    'The repairs will cost about 2 million euros and take four months, Mayor Elena Duarte told reporters outside the town hall.',
  ];
  const server = await startServer({
    '/rss': (req, res) => respond(`<?xml version="1.0"?><rss version="2.0"><channel><title>Valmora Daily</title><item><title>Bridge</title><link>${server.origin}/bridge</link><guid>1</guid></item></channel></rss>`, { 'content-type': 'application/rss+xml' })(req, res),
    '/bridge': respond(newsPage('Valmora to close harbour bridge', paragraphs)),
  });
  try {
    const dir = mkdtempSync(path.join(tmpdir(), 'tri-watch-'));
    const list = path.join(dir, 'feeds.txt');
    writeFileSync(list, `# my feeds\n${server.origin}/rss\nnot-a-url\n`);
    const db = path.join(dir, 'x.db');
    const run = await cli(['watch', '--feeds', list, '--db', db, '--once', '--allow-private-urls'], dir);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /feeds\.txt:3: error TRI_E030/);
    const lines = run.stdout.trim().split('\n');
    assert.match(lines[0]!, /^\d{4}-\d\d-\d\dT\S+ feed http:\/\/127\.0\.0\.1:\d+\/rss “Valmora Daily”: 1 new item; next poll in /);
    assert.match(lines[1]!, /page http:\/\/127\.0\.0\.1:\d+\/bridge: stored as a[0-9a-f]{12}$/);
    assert.match(lines[2]!, /story s\S+ “Valmora to close harbour bridge”: \+1 article .*briefing rebuilt$/);
    // The feed is not due again for its interval: a second round polls nothing.
    const again = await cli(['watch', '--db', db, '--once', '--allow-private-urls'], dir);
    assert.equal(again.stdout, '');
    const json = await cli(['watch', '--feed', `${server.origin}/rss`, '--db', path.join(dir, 'y.db'), '--once', '--allow-private-urls', '--json'], dir);
    const events = json.stdout.trim().split('\n').map((line) => JSON.parse(line));
    assert.deepEqual(events.map((e) => e.kind), ['feed', 'item', 'story']);
    assert.equal(events[0].newItems, 1);
    const none = await cli(['watch', '--db', path.join(dir, 'empty.db'), '--once'], dir);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /give --feeds FILE or --feed URL/);
  } finally {
    await server.close();
  }
});
