import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as align from '../../src/brief/align/index.js';
import {
  alignSentences, diffTokens, FEATURE_NAMES, isParaphrase, loadModel, pairFeatures, paraphraseProbability, prepare, stem, tokenize,
  type ParaphraseModelFile, type StorySentence,
} from '../../src/brief/align/index.js';

const story = JSON.parse(readFileSync(new URL('../fixtures/align/story.json', import.meta.url), 'utf8')) as { sentences: StorySentence[] };

test('public exports', () => {
  for (const name of ['paraphraseProbability', 'isParaphrase', 'alignSentences', 'diffTokens', 'prepare', 'pairFeatures', 'defaultModel', 'loadModel', 'tokenize', 'stem']) {
    assert.equal(typeof (align as Record<string, unknown>)[name], 'function', name);
  }
});

test('paraphrases with reordered clauses and other words are recognised', () => {
  const pairs: [string, string][] = [
    [
      'The company said on Monday that its profit rose 12 percent in the third quarter.',
      'Profit at the company rose 12 percent in the third quarter, it said on Monday.',
    ],
    [
      'Police arrested the two suspects at a hotel in Madrid late on Friday, officials said.',
      'The two suspects were arrested by police late Friday at a Madrid hotel, according to officials.',
    ],
    [
      'Russian and American officials met in Riyadh on Tuesday for four and a half hours of talks on ending the war in Ukraine.',
      'On Tuesday, US and Russian officials held four and a half hours of talks in Riyadh about ending the war in Ukraine.',
    ],
  ];
  for (const [a, b] of pairs) {
    assert.ok(isParaphrase(a, b), `${a} / ${b}: ${paraphraseProbability(a, b)}`);
    assert.ok(isParaphrase(b, a), 'the judgement does not depend on the order of the pair');
  }
});

test('same topic but a different fact is not a paraphrase', () => {
  const base = 'The company said on Monday that its profit rose 12 percent in the third quarter.';
  const otherFact = 'The company plans to open three new factories in Mexico next year, its chief executive said.';
  assert.ok(!isParaphrase(base, otherFact));
  const talks = 'The talks in Riyadh lasted four and a half hours, officials said.';
  const longer = 'The talks in Riyadh lasted about 12 hours, according to Saudi state media.';
  assert.ok(!isParaphrase(talks, longer), 'another duration from another source');
  const meeting = 'Russian and American officials met in Riyadh on Tuesday for talks on ending the war in Ukraine.';
  const snub = 'Ukraine was not invited to the meeting in Riyadh, which angered officials in Kyiv.';
  assert.ok(!isParaphrase(meeting, snub));
});

test('a one-word change of number or actor lowers the probability (diffTokens shows it)', () => {
  // MSRP has almost no pairs that differ by one number or name, so a lexical model
  // trained on it scores them high; the contradiction finder reads them with diffTokens.
  const base = 'The company said on Monday that its profit rose 12 percent in the third quarter.';
  const changedNumber = 'The company said on Monday that its profit rose 31 percent in the third quarter.';
  assert.ok(paraphraseProbability(base, changedNumber) < paraphraseProbability(base, base));
  assert.deepEqual(diffTokens(base, changedNumber).onlyB.map((t) => t.norm), ['31']);
  const rubio = 'Secretary of State Marco Rubio led the American delegation in Riyadh.';
  const waltz = 'National Security Adviser Mike Waltz led the American delegation in Riyadh.';
  assert.ok(paraphraseProbability(rubio, waltz) < paraphraseProbability(rubio, rubio));
});

test('identical sentences are near certain', () => {
  const s = 'Ukraine was not invited to the meeting, which angered officials in Kyiv.';
  assert.ok(paraphraseProbability(s, s) > 0.9);
});

test('empty, odd and garbage input never throws', () => {
  const odd = ['', ' ', '!!!', '\u0000\uFFFD', '12345', 'a'.repeat(5000), '🙂🙂🙂', 'ÇÀ ça «ça»', '"\'"', '\t\n'];
  for (const a of odd) {
    for (const b of odd) {
      const p = paraphraseProbability(a, b);
      assert.ok(p >= 0 && p <= 1 && !Number.isNaN(p), `${JSON.stringify(a)} / ${JSON.stringify(b)}`);
      isParaphrase(a, b);
      diffTokens(a, b);
    }
  }
  assert.equal(paraphraseProbability('', ''), 0);
  assert.deepEqual(alignSentences([]), []);
  assert.deepEqual(alignSentences([{ articleId: 'x', text: '' }, { articleId: 'y', text: '' }]), []);
  assert.doesNotThrow(() => paraphraseProbability(undefined as unknown as string, null as unknown as string));
});

test('diffTokens names the words and numbers that differ, with spans', () => {
  const a = 'The talks in Riyadh lasted 4.5 hours, Russian officials said.';
  const b = 'The talks in Riyadh lasted 12 hours, Saudi officials said.';
  const { onlyA, onlyB } = diffTokens(a, b);
  assert.deepEqual(onlyA.map((t) => t.norm), ['4.5', 'russian']);
  assert.deepEqual(onlyB.map((t) => t.norm), ['12', 'saudi']);
  assert.equal(a.slice(onlyA[0].span[0], onlyA[0].span[1]), '4.5');
  assert.equal(onlyB[0].kind, 'number');
  // Spelling variants are not differences.
  assert.deepEqual(diffTokens('Zelensky spoke.', 'Zelenskyy spoke.'), { onlyA: [], onlyB: [] });
});

test('tokens: numbers are normalised, stems join inflections', () => {
  assert.deepEqual(tokenize('It cost $1,200 or 5% more, two days later.').filter((t) => t.kind === 'number').map((t) => t.lower), ['1200', '5', '2']);
  assert.equal(stem('agreed'), stem('agrees'));
  assert.equal(stem('talks'), stem('talking'));
  assert.equal(stem('stopped'), stem('stop'));
});

test('grouping puts one fact from three articles together, never two sentences of one article', () => {
  const groups = alignSentences(story.sentences);
  const texts = (g: { sentences: number[] }) => g.sentences.map((i) => story.sentences[i].text);
  for (const g of groups) {
    assert.equal(new Set(g.articles).size, g.articles.length, `one article twice in ${JSON.stringify(texts(g))}`);
    assert.ok(g.confidence > 0 && g.confidence <= 1);
  }
  const meeting = groups.find((g) => g.sentences.includes(0));
  assert.ok(meeting, 'the meeting sentence is grouped');
  assert.deepEqual(meeting.sentences, [0, 4, 8]);
  assert.deepEqual(meeting.articles, ['wire', 'daily', 'post']);
  const embassies = groups.find((g) => g.sentences.includes(1));
  assert.ok(embassies?.sentences.includes(6), 'the embassy fact is grouped across two outlets');
  assert.ok(!groups.some((g) => g.sentences.includes(9) && g.sentences.includes(0)), 'a different duration is another fact');
});

test('grouping respects the one-sentence-per-article rule even when one article repeats itself', () => {
  const s = 'The delegations agreed to restore the staffing of their embassies in Washington and Moscow.';
  const groups = alignSentences([
    { articleId: 'a', text: s },
    { articleId: 'a', text: s },
    { articleId: 'b', text: s },
    { articleId: 'c', text: s },
  ]);
  assert.equal(groups.length, 1);
  assert.deepEqual(groups[0].articles.slice().sort(), ['a', 'b', 'c']);
});

/** A model that scores every pair 0.5, with optional learned word tables. */
function flatModel(extra: Partial<ParaphraseModelFile> = {}): ParaphraseModelFile {
  const zeros = FEATURE_NAMES.map(() => 0);
  return {
    version: 1, about: {}, features: [...FEATURE_NAMES], mean: zeros, scale: FEATURE_NAMES.map(() => 1), weights: zeros,
    bias: 0, trees: [], threshold: 0.5, idf: { documents: 10, byCount: { '5': 'the firm' } }, ...extra,
  };
}

test('the feature vector has one finite value per name and does not depend on the order of the pair', () => {
  const model = loadModel(flatModel({ related: 'bought purchas 0.8', evidence: 'plant 0.9 0.3' }));
  const a = prepare('On Monday the firm bought the old plant in Ohio for $12 million, officials said.');
  const b = prepare('Officials said the firm purchased a plant in Ohio on Monday.');
  const ab = pairFeatures(a, b, model.idf);
  assert.equal(ab.length, FEATURE_NAMES.length);
  assert.ok(ab.every(Number.isFinite), JSON.stringify(ab));
  assert.deepEqual(pairFeatures(b, a, model.idf), ab);
  assert.equal(model.probability(ab), 0.5);
});

test('learned word similarity aligns words that share neither stem nor spelling', () => {
  const a = prepare('The firm bought the plant.');
  const b = prepare('The firm purchased the plant.');
  const related = FEATURE_NAMES.indexOf('related_matches');
  const semantic = FEATURE_NAMES.indexOf('semantic_min');
  const plain = loadModel(flatModel());
  const learned = loadModel(flatModel({ related: 'bought purchas 0.8' }));
  assert.equal(learned.idf.related?.('purchas', 'bought'), 0.8, 'the table is symmetric');
  assert.equal(plain.idf.related, undefined, 'older model files have no table');
  assert.equal(pairFeatures(a, b, plain.idf)[related], 0);
  assert.equal(pairFeatures(a, b, learned.idf)[related], 1);
  assert.ok(pairFeatures(a, b, learned.idf)[semantic] > pairFeatures(a, b, plain.idf)[semantic]);
});

test('word evidence counts against a pair when a telling word is on one side only', () => {
  const model = loadModel(flatModel({ evidence: 'profit 0.9 0.3' }));
  const min = FEATURE_NAMES.indexOf('evidence_min');
  const max = FEATURE_NAMES.indexOf('evidence_max');
  const shared = pairFeatures(prepare('Profit rose in May.'), prepare('In May profit rose.'), model.idf);
  const alone = pairFeatures(prepare('Profit rose in May.'), prepare('Sales rose in May.'), model.idf);
  assert.ok(shared[max] > 0 && shared[min] === 0);
  assert.ok(alone[min] < 0);
});
