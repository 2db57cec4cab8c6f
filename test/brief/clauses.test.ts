import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../src/analyze/index.js';
import { buildFacts } from '../../src/brief/facts.js';
import { clauseSpans, type StoryMaterial } from '../../src/brief/material.js';
import { hasPredicate } from '../../src/brief/predicate.js';

const clausesOf = (sentence: string) => clauseSpans(sentence, [0, sentence.length]).map(([s, e]) => sentence.slice(s, e));

test('a verbless framing phrase is not a clause of its own; the stating clause is', () => {
  assert.deepEqual(
    clausesOf('In a significant shift in U.S. foreign policy, Russian and American officials have announced efforts to end the war.'),
    ['Russian and American officials have announced efforts to end the war.'],
  );
});

test('a short clause joins its neighbour, two stating clauses stay apart, and a sentence without any verb stays whole', () => {
  assert.deepEqual(
    clausesOf('Yuri Ushakov, a top foreign policy adviser to the Russian president, confirmed the talks; the date of a summit remained open.'),
    ['Yuri Ushakov, a top foreign policy adviser to the Russian president, confirmed the talks', 'the date of a summit remained open.'],
  );
  const verbless = 'A historic day in Riyadh, a city of summits and of long diplomatic evenings.';
  assert.deepEqual(clausesOf(verbless), [verbless]);
});

test('hasPredicate tells a statement from a frame', () => {
  assert.equal(hasPredicate('In a significant diplomatic development'), false);
  assert.equal(hasPredicate('the two sides agreed to appoint teams'), true);
  assert.equal(hasPredicate('which lasted over four hours'), true);
});

test('outlets sharing only a framing phrase do not make a corroborated fact', () => {
  const texts = {
    one: 'In a significant shift in U.S. foreign policy, the two governments restored the staffing of their embassies in both capitals.',
    two: 'In a significant shift in U.S. foreign policy, a wheat harvest record was announced by farmers in the Kansas plains.',
  };
  const material: StoryMaterial = {
    id: 's', links: [],
    articles: Object.entries(texts).map(([id, text], n) => {
      const article = { id, input: `${id}.txt`, title: null, text, published: null, outlet: `Outlet ${n}`, url: null, provenance: [] };
      return { article, analysis: analyze(article), family: id, derivedFrom: null };
    }),
  };
  const { facts } = buildFacts(material);
  assert.ok(facts.every((f) => f.independentSources === 1), JSON.stringify(facts.map((f) => [f.text, f.articles])));
});
