import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { diffBriefings } from '../../src/brief/diff.js';
import { diffRevision } from '../../src/brief/revisions.js';
import type { Briefing } from '../../src/brief/types.js';
import type { Io } from '../../src/cli/command.js';
import { main } from '../../src/cli/main.js';
import { ingestUrl } from '../../src/pipeline/fetch.js';
import { briefStory, processPending } from '../../src/pipeline/process.js';
import { Fetcher } from '../../src/sources/index.js';
import { openStore } from '../../src/store/index.js';
import { newsPage, respond, startServer } from '../sources/server.js';

const shared = [
  'The city council of Valmora voted on Monday to close the old harbour bridge for repairs after engineers found cracks in two of its supports.',
  'The repairs will cost about 2 million euros and take four months, Mayor Elena Duarte told reporters outside the town hall.',
  'Ferry services across the harbour will run every twenty minutes while the bridge is closed, the transport authority said.',
];
const daily1 = [...shared, 'Shop owners near the bridge said they feared losing customers during the closure.'];
// The revision drops the council vote and the shop owners, and adds a quote and a new fact.
const daily2 = [
  shared[1]!, shared[2]!,
  '"We have no choice, the bridge is not safe," Mayor Elena Duarte said on Tuesday.',
  'The bridge, built in 1962, carries about 30,000 vehicles a day, according to the city.',
];

async function cli(args: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const sink = (write: (s: string) => void) => new Writable({ write(chunk, _enc, done) { write(String(chunk)); done(); } });
  const io: Io = { stdout: sink((s) => { stdout += s; }), stderr: sink((s) => { stderr += s; }), env: {}, cwd };
  return { code: await main(args, io), stdout, stderr };
}

test('a page that changes between fetches: the revision is stored, briefings use it, brief --since and article show what changed', async () => {
  let dailyVersion = 1;
  const server = await startServer({
    '/daily': (req, res) => respond(newsPage('Valmora closes harbour bridge', dailyVersion === 1 ? daily1 : daily2))(req, res),
    // An independent report: it shares the council vote with the Daily, in the same words, and little else.
    '/courier': respond(newsPage('Harbour bridge to close for four months', [
      shared[0]!,
      'Engineers from the regional roads agency inspected the Valmora harbour bridge last week and recommended closing it at once.',
      'Commuters who cross the harbour bridge every morning were advised by the council to allow extra time for their journeys.',
      'Opposition councillors in Valmora criticised the mayor for delaying the repairs of the bridge for more than two years.',
    ])),
  });
  const dir = mkdtempSync(path.join(tmpdir(), 'tri-rev-'));
  const db = path.join(dir, 'x.db');
  let store = await openStore({ path: db });
  try {
    const fetcher = new Fetcher({ allowPrivateUrls: true, hostIntervalMs: 0, robots: false });
    const first = await ingestUrl(store, fetcher, `${server.origin}/daily`);
    await ingestUrl(store, fetcher, `${server.origin}/courier`);
    const processed = await processPending(store);
    assert.equal(processed.stories.length, 1);
    const storyId = processed.stories[0]!;
    const before = (await briefStory(store, storyId))!;
    const vote = before.facts.find((f) => /council of Valmora voted/.test(f.text))!;
    assert.equal(vote.independentSources, 2);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const between = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 5));

    dailyVersion = 2;
    const revised = await ingestUrl(store, fetcher, `${server.origin}/daily`);
    assert.equal(revised.status, 'revised');
    assert.equal(revised.previousArticleId, first.articleId);
    const again = await processPending(store);
    assert.deepEqual(again.stories, [storyId], 'the revision joins the story and its briefing is rebuilt');
    const after = (await briefStory(store, storyId))!;
    assert.ok(!after.articles.some((a) => a.id === first.articleId), 'the briefing uses the newest revision only');
    assert.ok(after.articles.some((a) => a.id === revised.articleId));
    await store.close();

    const since = await cli(['brief', storyId, '--since', between, '--db', db, '--format', 'json'], dir);
    assert.equal(since.code, 0, since.stderr);
    const diff = JSON.parse(since.stdout) as ReturnType<typeof diffBriefings>;
    assert.deepEqual(diff.newArticles.map((a) => a.id), [revised.articleId]);
    assert.deepEqual(diff.removedArticles.map((a) => a.id), [first.articleId]);
    assert.ok(diff.weakened.some((c) => /council of Valmora voted/.test(c.fact.text) && c.before === 2 && c.after === 1), 'the vote lost a source');
    assert.ok(diff.newFacts.some((f) => /30,000 vehicles/.test(f.text)));
    assert.ok(diff.newQuotes.some((q) => /bridge is not safe/.test(q.text)));
    const text = await cli(['brief', storyId, '--since', between, '--db', db], dir);
    assert.match(text.stdout, /FACTS THAT LOST SUPPORT/);
    assert.match(text.stdout, /NEW QUOTES/);

    const view = await cli(['article', revised.articleId!, '--db', db, '--json'], dir);
    const shown = JSON.parse(view.stdout);
    assert.equal(shown.revisions.length, 2);
    assert.ok(shown.changes.removed.some((s: { text: string }) => /Shop owners/.test(s.text)));
    assert.ok(shown.changes.added.some((s: { text: string }) => /30,000 vehicles/.test(s.text)));
    type Removed = { text: string; otherArticles: string[] };
    const removed = new Map((shown.removedFacts as Removed[]).map((f) => [f.text.slice(0, 20), f.otherArticles.length]));
    assert.equal(removed.get('Shop owners near the'), 0, 'a fact only the removed sentence supported is marked, and nothing else carries it');
    assert.equal(removed.get('The city council of '), 1, 'a fact the revision dropped that another source still carries says so');
    const old = await cli(['article', first.articleId!, '--db', db], dir);
    assert.match(old.stdout, new RegExp(`its newest text is article ${revised.articleId}`));
  } finally {
    store = await openStore({ path: db });
    await store.close();
    await server.close();
  }
});

test('briefing diff: facts are matched by evidence, so renumbered facts are not new', () => {
  const ev = (article: string, start: number, text = 'x') => ({ article, span: [start, start + 10] as [number, number], text });
  const fact = (id: string, articles: string[], support: ReturnType<typeof ev>[], sources = articles.length) => ({ id, text: `fact ${id}`, support, articles, independentSources: sources, consensus: false });
  const base: Briefing = {
    id: 's1', headline: 'H', dates: { first: null, last: null }, independentSources: 2, summary: [], omissions: {}, actors: [], rewrites: [], timeline: [], quotes: [],
    articles: [{ id: 'a', input: 'a', outlet: 'A', title: 'A', published: null, url: null, family: 'a', derivedFrom: null, provenance: [] }],
    facts: [fact('f1', ['a'], [ev('a', 0)]), fact('f2', ['a'], [ev('a', 20)])],
    contradictions: [],
  };
  const later: Briefing = {
    ...base,
    articles: [...base.articles, { id: 'b', input: 'b', outlet: 'B', title: 'B', published: null, url: null, family: 'b', derivedFrom: null, provenance: [] }],
    facts: [fact('f1', ['b'], [ev('b', 5)]), fact('f2', ['a', 'b'], [ev('a', 0), ev('b', 40)])],
    contradictions: [{ kind: 'number', verdict: 'conflicting', subject: 'cost', claims: [], explanation: '', withinFamily: false }],
  };
  const diff = diffBriefings(base, later, '2025-01-01T00:00:00Z');
  assert.deepEqual(diff.newArticles.map((a) => a.id), ['b']);
  assert.deepEqual(diff.newFacts.map((f) => f.text), ['fact f1'], 'the later f1 shares no evidence with anything earlier');
  assert.deepEqual(diff.strengthened.map((c) => [c.fact.text, c.before, c.after, c.gained]), [['fact f2', 1, 2, ['b']]]);
  assert.deepEqual(diff.droppedFacts.map((f) => f.text), ['fact f2'], 'the earlier f2 (evidence a@20) is supported by nothing now');
  assert.equal(diff.newContradictions.length, 1);
  assert.equal(diffBriefings(later, later).newFacts.length, 0);
});

test('revision diff: removed and added sentences, a reworded sentence is both', () => {
  const diff = diffRevision({ id: 'a1', text: 'One stays. Two goes. Three changes.' }, { id: 'a2', text: 'One stays. Three changed a bit. Four arrives.' });
  assert.deepEqual(diff.removed.map((s) => s.text), ['Two goes.', 'Three changes.']);
  assert.deepEqual(diff.added.map((s) => s.text), ['Three changed a bit.', 'Four arrives.']);
  assert.equal(diff.unchanged, 1);
  assert.equal(diff.removed[0]!.article, 'a1');
});
