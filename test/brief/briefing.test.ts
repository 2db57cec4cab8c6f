import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import { analyze } from '../../src/analyze/index.js';
import { buildBriefing, type Briefing } from '../../src/brief/index.js';
import type { StoryMaterial } from '../../src/brief/material.js';
import { familiesOf } from '../../src/pipeline/process.js';
import { meetingStory } from '../fixtures/brief/story.js';

function material(): StoryMaterial {
  const articles = meetingStory.map((a) => ({ ...a, input: `${a.id}.txt`, url: null, provenance: a.provenance ?? [] }));
  // Delta is a reprint of Alpha: the link stage would find it; here it is given.
  const links = [{ from: 'delta', to: 'alpha', kind: 'duplicate' as const, similarity: 0.9, alignedShare: 1 }];
  const members = familiesOf(articles.map((a) => ({ ...a, author: [], language: 'en', removed: [], rawHash: '', format: 'text' as const, ingestedAt: '' })), links);
  return {
    id: 's1',
    links,
    articles: articles.map((article) => {
      const member = members.find((m) => m.articleId === article.id)!;
      return { article, analysis: analyze(article), family: member.familyId, derivedFrom: member.derivedFrom };
    }),
  };
}

let cached: Briefing | undefined;
const briefing = () => (cached ??= buildBriefing(material()));
const textOf = (b: Briefing, id: string, span: [number, number]) => meetingStory.find((a) => a.id === id)!.text.slice(span[0], span[1]);

test('the briefing validates against the published JSON Schema', () => {
  const schema = JSON.parse(readFileSync('docs/schema/briefing.schema.json', 'utf8'));
  const validate = new Ajv2020.default({ allErrors: true, strict: false }).compile(schema);
  const ok = validate(JSON.parse(JSON.stringify({ stories: [briefing()] })));
  assert.ok(ok, JSON.stringify(validate.errors, null, 1));
});

test('every piece of evidence points at the exact text it quotes', () => {
  const b = briefing();
  const evidence = [
    ...b.facts.flatMap((f) => f.support), ...b.summary.flatMap((s) => s.evidence), ...b.contradictions.flatMap((c) => c.claims),
    ...b.quotes.flatMap((q) => q.copies), ...b.timeline.flatMap((t) => t.evidence), ...b.actors.flatMap((a) => [...a.statements, ...a.roles.flatMap((r) => r.evidence)]),
  ];
  assert.ok(evidence.length > 20);
  for (const e of evidence) assert.equal(textOf(b, e.article, e.span), e.text);
});

test('a copy and its original count as one independent source', () => {
  const b = briefing();
  assert.equal(b.independentSources, 3);
  const family = (id: string) => b.articles.find((a) => a.id === id)!.family;
  assert.equal(family('alpha'), family('delta'));
  assert.equal(b.articles.find((a) => a.id === 'delta')!.derivedFrom, 'alpha');
});

test('the fact all outlets report is consensus, counted in families not articles', () => {
  const fact = briefing().facts.find((f) => /appoint high-level teams/.test(f.text))!;
  assert.ok(fact, 'the planted agreement is a fact');
  assert.deepEqual([...fact.articles].sort(), ['alpha', 'beta', 'delta', 'gamma']);
  assert.equal(fact.independentSources, 3);
  assert.equal(fact.consensus, true);
});

test('a statement only one outlet makes is single-source, and the others omit consensus facts they lack', () => {
  const b = briefing();
  const oil = b.facts.find((f) => /Oil prices/.test(f.text))!;
  assert.equal(oil.independentSources, 1);
  assert.deepEqual(oil.articles, ['gamma']);
  const embassy = b.facts.find((f) => /embassy staff/.test(f.text))!;
  assert.equal(embassy.consensus, false, 'two articles of one family are not most families');
  for (const [article, missing] of Object.entries(b.omissions)) {
    for (const id of missing) assert.ok(!b.facts.find((f) => f.id === id)!.articles.includes(article));
  }
});

test('durations: over four hours and four and a half hours are compatible, three hours conflicts', () => {
  const duration = briefing().contradictions.find((c) => c.kind === 'number' && c.claims.some((claim) => /three hours/.test(claim.text)))!;
  assert.ok(duration, 'the planted duration conflict is found');
  assert.equal(duration.verdict, 'conflicting');
  const values = duration.claims.map((c) => (c.value.kind === 'quantity' ? `${c.value.bound} ${c.value.value}` : ''));
  assert.ok(values.includes('exact 3'));
  assert.ok(values.includes('exact 4.5') || values.includes('at least 4'));
});

test("a person's title that differs between outlets is a title contradiction", () => {
  const title = briefing().contradictions.find((c) => c.kind === 'title')!;
  assert.ok(title, 'Secretary of State vs Senator is reported');
  assert.equal(title.verdict, 'conflicting');
  assert.match(title.subject, /Rubio/);
  const titles = title.claims.map((c) => (c.value.kind === 'title' ? c.value.title : '')).join(' | ');
  assert.match(titles, /Senator/);
  assert.match(titles, /Secretary of State/);
});

test('a shared quote is listed once, with the altered copy flagged as a paraphrase in quote marks', () => {
  const quotes = briefing().quotes.filter((q) => /We agreed to work/.test(q.text));
  assert.equal(quotes.length, 1);
  const [quote] = quotes;
  assert.match(quote!.speaker ?? '', /Rubio/);
  assert.equal(quote!.paraphraseInQuotes, true);
  assert.equal(quote!.verbatim, false);
  const gamma = quote!.copies.find((c) => c.article === 'gamma')!;
  assert.equal(gamma.verbatim, false);
  assert.ok(quote!.copies.filter((c) => c.verbatim).length >= 3);
});

test('the summary cites its sources and puts well-supported facts first', () => {
  const b = briefing();
  assert.ok(b.summary.length >= 3 && b.summary.length <= 8, `summary has ${b.summary.length} sentences`);
  for (const s of b.summary) {
    assert.ok(s.citations.length > 0);
    assert.ok(s.evidence.every((e) => s.citations.includes(e.article)));
  }
  assert.ok(b.summary.some((s) => /appoint high-level teams/.test(s.text)));
  assert.ok(!b.summary.some((s) => /newsletter/i.test(s.text)), 'no boilerplate in the summary');
});

test('actors merge across outlets with their roles; the timeline resolves "on Tuesday"', () => {
  const b = briefing();
  const rubio = b.actors.find((a) => a.name === 'Marco Rubio')!;
  assert.ok(rubio);
  assert.equal(rubio.articles.length, 4);
  assert.ok(rubio.roles.some((r) => /Secretary of State/.test(r.title)));
  assert.ok(b.timeline.some((t) => t.date === '2025-02-18' && t.citations.length >= 2));
});

test('one office named with a full name in one outlet and by surname in another is one person, not a name conflict', () => {
  const texts = [
    'Russian Foreign Minister Sergei Lavrov met his counterpart in Riyadh on Tuesday to discuss the war.',
    'Russia’s Foreign Minister Lavrov met his counterpart in Riyadh on Tuesday to discuss the war.',
  ];
  const articles = texts.map((text, i) => {
    const article = { id: `x${i}`, input: `x${i}.txt`, title: null, text, published: '2025-02-19', outlet: null, url: null, provenance: [] };
    return { article, analysis: analyze(article), family: `x${i}`, derivedFrom: null };
  });
  const b = buildBriefing({ id: 's2', articles, links: [] });
  assert.deepEqual(b.contradictions.filter((c) => c.kind === 'name'), []);
});
