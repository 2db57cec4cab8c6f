import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../src/analyze/index.js';
import { buildActors } from '../../src/brief/actors.js';
import type { StoryMaterial } from '../../src/brief/material.js';

function story(texts: string[]): StoryMaterial {
  return {
    id: 's1',
    links: [],
    articles: texts.map((text, n) => {
      const article = { id: `a${n}`, title: null, text, published: '2025-02-18T12:00:00Z', outlet: `outlet${n}.example`, input: `a${n}.txt`, url: null, provenance: [] };
      return { article, analysis: analyze(article), family: `f${n}`, derivedFrom: null };
    }),
  } as unknown as StoryMaterial;
}

test('a surname alone in one article is the person another article names in full', () => {
  const actors = buildActors(story([
    'Former U.S. President Joe Biden met the delegation in Washington on Monday.',
    'The talks reversed a policy of the Biden administration, officials said.',
    'Officials said that Biden had refused such talks for three years.',
  ])).actors;
  const biden = actors.filter((a) => /Biden/.test(a.name));
  assert.equal(biden.length, 1, JSON.stringify(biden));
  assert.equal(biden[0]!.name, 'Joe Biden');
  assert.equal(biden[0]!.type, 'PER');
  assert.deepEqual(biden[0]!.articles, ['a0', 'a1', 'a2']);
});

test('a known place keeps its own actor beside a person of that surname', () => {
  const actors = buildActors(story([
    'The envoy Michael Jordan arrived on Monday to meet ministers.',
    'Ministers met in Jordan on Tuesday to discuss the ceasefire.',
  ])).actors;
  const jordan = actors.find((a) => a.name === 'Jordan');
  assert.ok(jordan, JSON.stringify(actors.map((a) => [a.name, a.type])));
  assert.equal(jordan.type, 'LOC');
});

test('a surname two people in the story share stays apart from both', () => {
  const actors = buildActors(story([
    'George Bush spoke first. Jeb Bush followed him on Monday.',
    'On Monday, Bush said the plan would work.',
  ])).actors;
  assert.ok(actors.some((a) => a.name === 'Bush'), JSON.stringify(actors.map((a) => a.name)));
});
