import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../src/analyze/index.js';
import { buildBriefing } from '../../src/brief/index.js';
import { renderHtml, renderMarkdown, renderText } from '../../src/present/index.js';

const hostile = '<script>alert(1)</script><img src=x onerror=alert(2)>';

function hostileBriefing() {
  const texts = [
    `The council voted on Monday to close the ${hostile} bridge for four weeks of repairs. “We have no choice <b>at all</b>,” Mayor Jane Doe said.`,
    `Councillors decided on Monday to shut the ${hostile} bridge for four weeks of repairs. “We have no choice <b>at all</b>,” Mayor Jane Doe said.`,
  ];
  const articles = texts.map((text, i) => {
    const article = { id: `a${i}`, input: `x${i}.txt`, title: `Bridge ${hostile}`, text, published: '2025-03-03', outlet: `Outlet ${hostile}`, url: null, provenance: [{ origin: hostile, evidence: hostile }] };
    return { article, analysis: analyze(article), family: `a${i}`, derivedFrom: null };
  });
  return { briefing: buildBriefing({ id: 's1', articles, links: [] }), sources: articles.map((a) => ({ id: a.article.id, text: a.article.text, sentences: a.analysis.sentences.map((s) => s.span) })) };
}

test('article text, titles, outlets and quotes are escaped everywhere in the HTML report', () => {
  const { briefing, sources } = hostileBriefing();
  const html = renderHtml([briefing], sources);
  assert.doesNotMatch(html, /<script>alert/);
  assert.doesNotMatch(html, /<img src=x/);
  assert.doesNotMatch(html, /<b>at all<\/b>/);
  assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  assert.equal((html.match(/<script/gi) ?? []).length, 0, 'the report has no scripts of its own either');
  assert.match(html, /default-src 'none'/);
});

test('every citation in the report links to a sentence anchor that exists', () => {
  const { briefing, sources } = hostileBriefing();
  const html = renderHtml([briefing], sources);
  const targets = [...html.matchAll(/href="#([^"]+)"/g)].map((m) => m[1]!);
  assert.ok(targets.length > 0);
  for (const target of targets) assert.match(html, new RegExp(`id="${target}"`));
});

test('terminal and Markdown output carry the same briefing', () => {
  const { briefing } = hostileBriefing();
  const text = renderText(briefing);
  const md = renderMarkdown(briefing);
  for (const out of [text, md]) {
    assert.match(out, /Bridge/);
    assert.match(out, /\[1\]/);
  }
  assert.match(md, /^# /);
});

test('with no fact behind most sources, "what each source leaves out" says so instead of crediting every source', () => {
  const texts = [
    'The river flooded three streets in the old town overnight, and the fire brigade pumped out cellars until dawn.',
    'A new bakery opened near the station on Saturday, selling rye bread from a recipe older than the town hall.',
  ];
  const articles = texts.map((text, i) => {
    const article = { id: `a${i}`, input: `x${i}.txt`, title: null, text, published: '2025-03-03', outlet: null, url: null, provenance: [] };
    return { article, analysis: analyze(article), family: `a${i}`, derivedFrom: null };
  });
  const briefing = buildBriefing({ id: 's1', articles, links: [] });
  assert.equal(briefing.facts.filter((f) => f.consensus).length, 0);
  for (const output of [renderText(briefing), renderMarkdown(briefing), renderHtml([briefing], [])]) {
    assert.match(output, /No fact is reported by most independent sources/);
    assert.doesNotMatch(output, /carries every consensus fact/);
  }
});
