import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../src/analyze/index.js';
import { buildBriefing } from '../../src/brief/index.js';

test('the summary leaves out a sentence cut from a quote that runs over several sentences', () => {
  const quote = '“David is a longtime friend of mine,” said the senator from Ohio. “He might be saying some things I would not say about trade deals and factories, but he is sincere about the workers in every town. He has a different role.”';
  const texts = [
    `The two candidates clashed over trade policy at the debate in Miami on Wednesday night. ${quote} The moderators asked about immigration and the auto industry bailout. Both campaigns claimed victory after the debate ended.`,
    `The candidates argued about trade policy during the Wednesday debate in Miami. ${quote} Questions also covered immigration and the bailout of the auto industry. Each campaign said its candidate had won the debate.`,
  ];
  const articles = texts.map((text, i) => {
    const article = { id: `a${i}`, input: `x${i}.txt`, title: null, text, published: '2016-03-10', outlet: null, url: null, provenance: [] };
    return { article, analysis: analyze(article), family: `a${i}`, derivedFrom: null };
  });
  const briefing = buildBriefing({ id: 's1', articles, links: [] });
  assert.ok(briefing.facts.some((f) => f.text.startsWith('“He might be saying') && f.independentSources === 2), 'the quote sentence is a corroborated fact');
  assert.ok(briefing.summary.length > 0);
  for (const sentence of briefing.summary) assert.doesNotMatch(sentence.text, /^“He might be saying/);
});
