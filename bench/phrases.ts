/**
 * `npm run bench -- phrases --data ../shared/bench/ner/conll2003/valid.txt`
 *
 * Runs the phrase tagger (src/analyze/phrases.ts) on the gold tokens of a
 * CoNLL-2003 file and scores its part-of-speech column (accuracy over the
 * folded tag set PARTS_OF_SPEECH) and chunk column (exact-span F1, with the
 * predicted parts of speech, as at run time); prints the speed in ms per
 * 1,000 tokens and the heap the loaded model takes.
 * Returns `phrases.pos_accuracy` and `phrases.chunk_f1`.
 */
import type { SuiteResult } from './run.js';
import { option } from './args.js';
import { readConll } from '../src/analyze/ner/conll.js';
import { chunkIndex, CHUNKS, PARTS_OF_SPEECH, partOfSpeechIndex, phraseTagger, phraseWord } from '../src/analyze/phrases.js';
import { bioSpans } from '../src/analyze/weights.js';

export async function run(args: string[]): Promise<SuiteResult> {
  const data = option(args, 'data', '../shared/bench/ner/conll2003/valid.txt')!;
  const sentences = readConll(data).flat();
  const heapBefore = process.memoryUsage().heapUsed;
  const tagger = phraseTagger();
  if (!tagger) throw new Error('models/phrases.json.gz is missing: run `npm run train:phrases`');
  const heapModel = process.memoryUsage().heapUsed - heapBefore;
  const words = sentences.map((s) => s.words.map(phraseWord));
  let tokens = 0;
  let right = 0;
  let tp = 0;
  let fp = 0;
  let fn = 0;
  sentences.forEach((sentence, i) => {
    const { pos, chunks } = tagger.tag(words[i]);
    tokens += pos.length;
    pos.forEach((tag, k) => { if (tag === partOfSpeechIndex(sentence.partsOfSpeech![k])) right++; });
    const gold = bioSpans(sentence.chunks!.map(chunkIndex), CHUNKS);
    const predicted = bioSpans(chunks, CHUNKS);
    for (const key of predicted) if (gold.has(key)) tp++; else fp++;
    for (const key of gold) if (!predicted.has(key)) fn++;
  });
  // Speed: CPU time of tagging every sentence, best of five passes (the first warms the word cache).
  let best = Infinity;
  for (let pass = 0; pass < 5; pass++) {
    const start = process.cpuUsage();
    for (const w of words) tagger.tag(w);
    const used = process.cpuUsage(start);
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  const accuracy = right / tokens;
  const p = tp / Math.max(1, tp + fp);
  const r = tp / Math.max(1, tp + fn);
  const f1 = p + r > 0 ? (2 * p * r) / (p + r) : 0;
  console.log(`CoNLL-2003 ${data}: ${sentences.length} sentences, ${tokens} tokens`);
  console.log(`part of speech: accuracy ${accuracy.toFixed(4)} (${PARTS_OF_SPEECH.length} folded tags)`);
  console.log(`chunks: P ${p.toFixed(4)}  R ${r.toFixed(4)}  F1 ${f1.toFixed(4)}`);
  console.log(`speed: ${(best / tokens * 1000).toFixed(3)} ms per 1,000 tokens (CPU, best of 5); model heap ${(heapModel / 1e6).toFixed(1)} MB`);
  return { figures: { 'phrases.pos_accuracy': accuracy, 'phrases.chunk_f1': f1 } };
}


