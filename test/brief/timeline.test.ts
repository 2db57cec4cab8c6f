import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../src/analyze/index.js';
import { buildTimeline } from '../../src/brief/timeline.js';
import type { StoryMaterial } from '../../src/brief/material.js';

function story(texts: string[]): StoryMaterial {
  return {
    id: 's', links: [],
    articles: texts.map((text, n) => {
      const article = { id: `a${n}`, input: `a${n}.txt`, title: null, text, published: '2025-02-19T10:00:00Z', outlet: null, url: null, provenance: [] };
      return { article, analysis: analyze(article), family: `a${n}`, derivedFrom: null };
    }),
  };
}

test('one dated event told inside different sentences is one timeline entry citing every outlet', () => {
  const timeline = buildTimeline(story([
    'Delegations spent Tuesday evening in a palace in Riyadh discussing embassy staffing, sanctions and airline routes, the first direct contact since Moscow’s invasion of Ukraine in 2022.',
    'Brent crude futures fell sharply in London as traders priced a possible easing of export restrictions after the first official talks since Russia’s 2022 invasion of Ukraine.',
    'A separate trade agreement between Brazil and Chile was signed in 2022 after long negotiations over tariffs.',
  ]));
  const of2022 = timeline.filter((entry) => entry.date === '2022');
  assert.equal(of2022.length, 2, JSON.stringify(of2022));
  assert.deepEqual(of2022.find((e) => e.citations.length === 2)?.citations, ['a0', 'a1']);
  assert.deepEqual(of2022.find((e) => e.citations.length === 1)?.citations, ['a2']);
});
