import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CHUNK_HISTORY, CHUNK_STATIC, chunkCanFollow, chunkFeatures, chunkHistory, CHUNKS, PARTS_OF_SPEECH, partOfSpeechIndex,
  phraseTagger, phraseWord, POS_HISTORY, POS_STATIC, posFeatures, posHistory, tagDictionary, usePhraseModel, type PhraseModelFile,
} from '../../src/analyze/phrases.js';
import { bioSpans, decodeBase64, WeightTable } from '../../src/analyze/weights.js';
import { findQuotes } from '../../src/analyze/quotes.js';
import { readModel } from '../../src/analyze/models.js';
import { splitSentences } from '../../src/analyze/sentences.js';

const tagger = phraseTagger()!;
const wordsOf = (sentence: string) => sentence.match(/[\p{L}\p{N}'’.-]+|[^\s\p{L}\p{N}]/gu)!;

/** Each word with its part of speech and chunk tag, "word/POS/CHUNK". */
function tagged(sentence: string): string[] {
  const words = wordsOf(sentence);
  const { pos, chunks } = tagger.tag(words.map(phraseWord));
  return words.map((w, i) => `${w}/${PARTS_OF_SPEECH[pos[i]]}/${CHUNKS[chunks[i]]}`);
}

test('a reporting sentence: the verb of saying is a past-tense verb group between two noun phrases', () => {
  const tags = tagged('The senator said on Tuesday that she would vote against the bill.');
  assert.deepEqual(tags.slice(0, 3), ['The/DT/B-NP', 'senator/NN/I-NP', 'said/VBD/B-VP']);
  assert.ok(tags.includes('would/MD/B-VP') && tags.includes('vote/VB/I-VP'), tags.join(' '));
  assert.ok(tags.includes('that/IN/B-SBAR'), tags.join(' '));
});

test('a verb no word list holds still reads as a verb group after its subject', () => {
  const tags = tagged('Local officials have been lobbying for a new bridge.');
  assert.deepEqual(tags.slice(2, 5), ['have/VBZ/B-VP', 'been/VBN/I-VP', 'lobbying/VBG/I-VP']);
});

test('"didn\'t" reads as its verb, as CoNLL tokenises "did n\'t"', () => {
  assert.deepEqual(phraseWord("didn't"), phraseWord('did'));
  assert.deepEqual(phraseWord('Didn’t').word, phraseWord('did').word);
  assert.equal(phraseWord('1,250').word, phraseWord('9,999').word);
});

test('Penn Treebank tags fold into the coarse set; unknown chunk types are outside any chunk', () => {
  assert.equal(PARTS_OF_SPEECH[partOfSpeechIndex('VBP')], 'VBZ');
  assert.equal(PARTS_OF_SPEECH[partOfSpeechIndex('NNPS')], 'NNP');
  assert.equal(PARTS_OF_SPEECH[partOfSpeechIndex('SYM')], 'X');
  assert.equal(CHUNKS[0], 'O');
  assert.deepEqual([...bioSpans([1, 2, 3, 0, 5, 1], CHUNKS)], ['NP:0:2', 'VP:2:3', 'PP:4:5', 'NP:5:6']);
});

test('the tagger with its dense tables, word cache and tag dictionary tags as scoring the features one by one does', () => {
  const file = readModel<PhraseModelFile>(new URL('../../models/phrases.json.gz', import.meta.url));
  const pos = WeightTable.fromStored(file.pos, PARTS_OF_SPEECH.length);
  const chunk = WeightTable.fromStored(file.chunk, CHUNKS.length);
  const dictionary = tagDictionary(decodeBase64(file.dictionary.words, (b) => new Int32Array(b)), decodeBase64(file.dictionary.tags, (b) => new Uint8Array(b)));
  const greedy = (n: number, tagCount: number, statics: Int32Array, staticCount: number, history: (p: Uint8Array, i: number, out: Int32Array) => void,
    historyCount: number, table: WeightTable, allowed: (previous: number, tag: number) => boolean, fixed: (i: number) => number = () => -1) => {
    const out = new Uint8Array(n);
    const scores = new Int32Array(tagCount);
    const historyOut = new Int32Array(historyCount);
    for (let i = 0; i < n; i++) {
      if (fixed(i) >= 0) {
        out[i] = fixed(i);
        continue;
      }
      scores.fill(0);
      for (const f of statics.subarray(i * staticCount, (i + 1) * staticCount)) table.addRow(f, scores, 0);
      history(out, i, historyOut);
      for (const f of historyOut) table.addRow(f, scores, 0);
      let top = -1;
      for (let k = 0; k < tagCount; k++) if (allowed(i > 0 ? out[i - 1] : -1, k) && (top < 0 || scores[k] > scores[top])) top = k;
      out[i] = top;
    }
    return out;
  };
  const sentences = [
    'WASHINGTON (Reuters) - U.S. Secretary of State Marco Rubio told reporters on Friday that talks were "productive."',
    '"We will not accept this," said Kirill Dmitriev, Russia\'s economic envoy, adding that 1,000 troops didn\'t move.',
    'Officials familiar with the plan, who spoke on condition of anonymity, settled on a date: March 3.',
    'Go!',
  ];
  for (const sentence of sentences) {
    const words = wordsOf(sentence).map(phraseWord);
    const expectedPos = greedy(words.length, PARTS_OF_SPEECH.length, posFeatures(words), POS_STATIC, (p, i, o) => posHistory(p, i, words[i], o), POS_HISTORY, pos, () => true,
      (i) => dictionary.get(words[i].word) ?? -1);
    const expectedChunks = greedy(words.length, CHUNKS.length, chunkFeatures(words, expectedPos), CHUNK_STATIC,
      (p, i, o) => chunkHistory(p, i, expectedPos, o), CHUNK_HISTORY, chunk, chunkCanFollow);
    // Twice: the second pass reads the word cache.
    for (let pass = 0; pass < 2; pass++) {
      const got = tagger.tag(words);
      assert.deepEqual([...got.pos], [...expectedPos], sentence);
      assert.deepEqual([...got.chunks], [...expectedChunks], sentence);
    }
  }
  assert.deepEqual(tagger.tag([]), { pos: new Uint8Array(0), chunks: new Uint8Array(0) });
});

test('without the phrase model the quote rules work alone (the quote tagger was trained on phrase tags)', () => {
  // "wrote" takes the quote before it only through the tagger; the rules' cue lists need a "that" clause after it.
  const t = '“I can do what I like with my possessions.” Zimmerman wrote in the listing, and he would give the money to charity.';
  const cues = () => findQuotes(t, splitSentences(t)).filter((q) => q.cue).map((q) => t.slice(...q.cue!.span));
  assert.ok(cues().includes('wrote'));
  try {
    usePhraseModel(null);
    assert.equal(phraseTagger(), null);
    assert.deepEqual(cues(), []);
  } finally {
    usePhraseModel(undefined);
  }
  assert.ok(phraseTagger());
  assert.ok(cues().includes('wrote'));
});
