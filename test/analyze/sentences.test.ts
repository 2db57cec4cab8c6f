import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_SENTENCE_LENGTH, splitSentences } from '../../src/analyze/sentences.js';
import { randomTexts } from '../fixtures/quotes/fuzz.js';

const texts = (t: string) => splitSentences(t).map((s) => t.slice(s.span[0], s.span[1]));

test('abbreviations, initials and decimals do not end sentences', () => {
  assert.deepEqual(texts('Dr. Smith met Gen. Jones on Sept. 11 at 3.5 p.m. in St. Louis. J. R. R. Tolkien wrote. Acme Inc. agreed.'), [
    'Dr. Smith met Gen. Jones on Sept. 11 at 3.5 p.m. in St. Louis.',
    'J. R. R. Tolkien wrote.',
    'Acme Inc. agreed.',
  ]);
});

test('U.S. ends a sentence only before a usual sentence start', () => {
  assert.deepEqual(texts('He met U.S. Secretary Rubio. He left the U.S. The talks ended.'), [
    'He met U.S. Secretary Rubio.', 'He left the U.S.', 'The talks ended.',
  ]);
});

test('a quotation followed by its attribution is one unit', () => {
  assert.deepEqual(texts('"We agree. We will go," he said. "Why?" she asked. Then they left.'), [
    '"We agree. We will go," he said.', '"Why?" she asked.', 'Then they left.',
  ]);
});

test('headlines without punctuation, datelines and paragraphs', () => {
  const t = 'Russia, US agree to more talks\n\nWASHINGTON (Reuters) - Officials met. They talked.\n\nKYIV, Feb 18 (AFP) – Ukraine was absent…';
  const s = splitSentences(t);
  assert.deepEqual(s.map((x) => x.paragraph), [0, 1, 1, 2]);
  assert.equal(t.slice(...s[1].span), 'WASHINGTON (Reuters) - Officials met.');
  assert.equal(t.slice(...s[3].span), 'KYIV, Feb 18 (AFP) – Ukraine was absent…');
});

test('ellipses end a sentence before a capital, not before lower case', () => {
  assert.deepEqual(texts('He paused... Then he left. The team will … consider it.'), [
    'He paused...', 'Then he left.', 'The team will … consider it.',
  ]);
});

test('fuzz: sentences cover the text in order without overlap', () => {
  const alphabet = 'aB .!?…"“”\n\n\t0.5 Dr. U.S. ';
  for (const t of randomTexts(alphabet, 500, 120, 3)) {
    const sentences = splitSentences(t);
    let last = 0;
    let paragraph = 0;
    for (const s of sentences) {
      assert.ok(s.span[0] >= last && s.span[0] < s.span[1] && s.span[1] <= t.length, JSON.stringify(t));
      assert.ok(s.paragraph >= paragraph);
      last = s.span[1];
      paragraph = s.paragraph;
    }
    // Everything outside the sentences is whitespace.
    let covered = '';
    for (const s of sentences) covered += t.slice(s.span[0], s.span[1]);
    assert.equal(covered.replace(/\s/g, ''), t.replace(/\s/g, ''));
  }
});

test('a question in quotes followed by a named speaker and cue stays with its attribution', () => {
  const t = '"That would be you?" Borger asked.\n\n"Yes!" Sanders said. "It would."';
  const sentences = splitSentences(t).map((s) => t.slice(s.span[0], s.span[1]));
  assert.deepEqual(sentences, ['"That would be you?" Borger asked.', '"Yes!" Sanders said.', '"It would."']);
});

test('a run with no sentence end is cut at spaces into sentences of at most MAX_SENTENCE_LENGTH characters', () => {
  const text = 'officials said "fine" and "good" while Smith said '.repeat(400).trim();
  const sentences = splitSentences(text);
  assert.ok(sentences.length >= Math.ceil(text.length / MAX_SENTENCE_LENGTH), `${sentences.length} sentences`);
  for (const s of sentences) {
    assert.ok(s.span[1] - s.span[0] <= MAX_SENTENCE_LENGTH);
    assert.ok(!/\s/.test(text[s.span[0]]!) && !/\s/.test(text[s.span[1] - 1]!), 'trimmed');
  }
  // Every word is in exactly one sentence.
  assert.equal(sentences.map((s) => text.slice(...s.span)).join(' '), text);
  // A run with no space at all is cut at the limit, never inside a surrogate pair.
  const emoji = 'a' + '\u{1F600}'.repeat(3000);
  const pieces = splitSentences(emoji);
  assert.equal(pieces.map((s) => emoji.slice(...s.span)).join(''), emoji);
  for (const s of pieces) assert.ok(!/[\uDC00-\uDFFF]/.test(emoji[s.span[0]]!), 'starts on a whole character');
});
