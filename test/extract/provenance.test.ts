import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extract, findCredits, isCreditLine } from '../../src/extract/index.js';
import { doc, PROSE } from './helpers.js';

const origins = (text: string) => findCredits({ text }).map((c) => c.origin);

test('credit constructions name their origin, normalised', () => {
  const cases: Array<[string, string]> = [
    ['Russia and the US agreed to form teams, according to AFP.', 'AFP'],
    ['“Proceeding without Ukraine will only encourage Putin,” a senior official told AFP.', 'AFP'],
    ['AFP contributed to this report.', 'AFP'],
    ['The talks were held in Riyadh, Agence France-Presse reported.', 'AFP'],
    ['Original Source: apnews.com', 'AP'],
    ['KYIV, Ukraine (AP) — Ukraine said it would not accept the deal.', 'AP'],
    ['— The Associated Press', 'AP'],
    ['Copyright 2025 The Associated Press. All rights reserved.', 'AP'],
    ['This report includes contributions from CNN’s Anna Chernova and Betsy Klein.', 'CNN'],
    ['LONDON (Reuters) - Shares fell on Tuesday.', 'Reuters'],
    ['Reporting by Jane Doe; additional reporting from Reuters', 'Reuters'],
    ['The deal is worth $2 billion, Bloomberg reported.', 'Bloomberg'],
    ['The minister said so in an interview with dpa.', 'dpa'],
    ['Xinhua news agency said the quake killed 12 people.', 'Xinhua'],
    ['Peskov told reporters, TASS reported.', 'TASS'],
    ['(With inputs from PTI)', 'PTI'],
  ];
  for (const [text, origin] of cases) assert.deepEqual(origins(text), [origin], text);
});

test('names that do not credit the text are not credits', () => {
  for (const text of [
    'Michael Bloomberg said he would run for president.',
    'Officials inspect the bridge. (AP Photo/Evan Vucci)',
    'Photo: AFP via Getty Images',
    'CNN is a cable news channel based in Atlanta.',
    'Reuters has offices in many countries.',
  ]) assert.deepEqual(origins(text), [], text);
});

test('evidence is the verbatim sentence, and one credit is kept per origin (the strongest)', () => {
  const credits = findCredits({ text: 'The talks lasted four hours. A senior official told AFP the plan was final. Later, Kyiv objected.\n\nAFP contributed to this report.' });
  assert.deepEqual(credits, [{ origin: 'AFP', evidence: 'AFP contributed to this report.' }]);
  const two = findCredits({ text: 'Shares fell, Reuters reported. Lawmakers met, according to The Associated Press.' });
  assert.deepEqual(two, [
    { origin: 'Reuters', evidence: 'Shares fell, Reuters reported.' },
    { origin: 'AP', evidence: 'Lawmakers met, according to The Associated Press.' },
  ]);
});

test('a credit line is removed from the text but kept as provenance; a credit inside a sentence stays', () => {
  const content = `Night Buses\n\n${PROSE[0]}\n\n${PROSE[1]} The plan was approved, according to AFP.\n\n${PROSE[2]}\n\nOriginal Source: apnews.com\n`;
  const { article } = extract(doc(content, 'text'));
  assert.ok(!article!.text.includes('Original Source'));
  assert.ok(article!.removed.includes('Original Source: apnews.com'));
  assert.match(article!.text, /according to AFP\./);
  assert.deepEqual(article!.provenance, [
    { origin: 'AFP', evidence: 'The plan was approved, according to AFP.' },
    { origin: 'AP', evidence: 'Original Source: apnews.com' },
  ]);
  assert.ok(isCreditLine('— The Associated Press'));
  assert.ok(!isCreditLine('The plan was approved, according to AFP.'));
});

test('an agency named as the author is a credit', () => {
  const html = `<html><head><meta name="author" content="Associated Press"></head><body><article>${PROSE.map((p) => `<p>${p}</p>`).join('')}</article></body></html>`;
  const { article } = extract(doc(html));
  assert.deepEqual(article!.provenance, [{ origin: 'AP', evidence: 'Associated Press' }]);
});
