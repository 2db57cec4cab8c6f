/**
 * `npm run bench -- ner --data ../shared/bench/ner/conll2003/valid.txt`
 *
 * Runs the entity tagger on the gold tokens of a CoNLL-2003 file (so spans
 * compare exactly) and prints exact-span precision/recall/F1 for PER, ORG, LOC
 * and micro-averaged over the three (MISC ignored on both sides), the speed in
 * ms per 1,000 tokens and the heap the loaded model takes. Then runs
 * `findEntities` on the raw text (tokens joined with spaces) to show the
 * end-to-end path works, scoring by character span.
 * Returns `ner.f1` (micro PER/ORG/LOC on gold tokens).
 */
import path from 'node:path';
import { statSync } from 'node:fs';
import type { SuiteResult } from './run.js';
import { option } from './args.js';
import { readConll } from '../src/analyze/ner/conll.js';
import { tagSpans } from '../src/analyze/ner/model.js';
import { findEntities, loadTagger } from '../src/analyze/ner/index.js';
import { modelForm } from '../src/analyze/ner/tokenize.js';
import type { Sentence } from '../src/analyze/types.js';

const scored = ['PER', 'ORG', 'LOC'] as const;

interface Tally { correct: number; predicted: number; gold: number }

function prf(t: Tally): { p: number; r: number; f: number } {
  const p = t.correct / Math.max(t.predicted, 1);
  const r = t.correct / Math.max(t.gold, 1);
  return { p, r, f: p + r > 0 ? (2 * p * r) / (p + r) : 0 };
}

function tallyOf(gold: Set<string>, predicted: Set<string>, types: readonly string[]): Map<string, Tally> {
  const out = new Map<string, Tally>(types.map((t) => [t, { correct: 0, predicted: 0, gold: 0 }]));
  for (const key of gold) out.get(key.split(':')[0]!)!.gold += 1;
  for (const key of predicted) {
    const tally = out.get(key.split(':')[0]!)!;
    tally.predicted += 1;
    if (gold.has(key)) tally.correct += 1;
  }
  return out;
}

function table(title: string, tallies: Map<string, Tally>): number {
  const micro: Tally = { correct: 0, predicted: 0, gold: 0 };
  console.log(`\n${title}\n type   precision  recall  F1      gold`);
  for (const [type, t] of tallies) {
    const { p, r, f } = prf(t);
    console.log(` ${type.padEnd(6)} ${p.toFixed(4)}     ${r.toFixed(4)}  ${f.toFixed(4)}  ${t.gold}`);
    micro.correct += t.correct;
    micro.predicted += t.predicted;
    micro.gold += t.gold;
  }
  const { p, r, f } = prf(micro);
  console.log(` micro  ${p.toFixed(4)}     ${r.toFixed(4)}  ${f.toFixed(4)}  ${micro.gold}`);
  return f;
}

export async function run(args: string[]): Promise<SuiteResult> {
  let file = option(args, 'data', '../shared/bench/ner/conll2003/valid.txt')!;
  if (statSync(file).isDirectory()) file = path.join(file, 'valid.txt');
  const documents = readConll(file);

  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const loadStart = performance.now();
  const tagger = loadTagger();
  const loadMs = performance.now() - loadStart;
  global.gc?.();
  const heapDelta = process.memoryUsage().heapUsed - heapBefore;
  // Typed arrays (the weight table) live outside the V8 heap.
  const buffers = process.memoryUsage().arrayBuffers;

  // Gold tokens: exact token spans.
  const gold = new Set<string>();
  const predicted = new Set<string>();
  let tokens = 0;
  const tagStart = performance.now();
  documents.forEach((document, d) => {
    const output = tagger.tagDocument(document.map((s) => s.words.map(modelForm)));
    document.forEach((sentence, s) => {
      tokens += sentence.words.length;
      for (const span of tagSpans(sentence.tags)) if (span.type !== 'MISC') gold.add(`${span.type}:${d}:${s}:${span.start}:${span.end}`);
      for (const span of tagSpans(output[s]!)) if (span.type !== 'MISC') predicted.add(`${span.type}:${d}:${s}:${span.start}:${span.end}`);
    });
  });
  const tagMs = performance.now() - tagStart;
  const f1 = table(`tagger on gold tokens (${path.basename(file)}, ${documents.length} documents, ${tokens} tokens)`, tallyOf(gold, predicted, scored));

  // End to end: raw text, our tokeniser, the news rules.
  const rawGold = new Set<string>();
  const rawPredicted = new Set<string>();
  const rawStart = performance.now();
  documents.forEach((document, d) => {
    let text = '';
    const sentences: Sentence[] = [];
    for (const sentence of document) {
      const starts: number[] = [];
      const sentenceStart = text.length;
      for (const word of sentence.words) {
        if (starts.length > 0) text += ' ';
        starts.push(text.length);
        text += word;
      }
      for (const span of tagSpans(sentence.tags)) {
        if (span.type === 'MISC') continue;
        rawGold.add(`${span.type}:${d}:${starts[span.start]}:${starts[span.end - 1]! + sentence.words[span.end - 1]!.length}`);
      }
      sentences.push({ span: [sentenceStart, text.length], paragraph: sentences.length });
      text += '\n';
    }
    for (const mention of findEntities(text, sentences)) rawPredicted.add(`${mention.type}:${d}:${mention.span[0]}:${mention.span[1]}`);
  });
  const rawMs = performance.now() - rawStart;
  const rawF1 = table('findEntities on raw text (tokens joined by spaces; our tokeniser and news rules)', tallyOf(rawGold, rawPredicted, scored));

  console.log(`\nmodel load ${loadMs.toFixed(0)} ms, heap +${(heapDelta / 1e6).toFixed(1)} MB, array buffers ${(buffers / 1e6).toFixed(1)} MB in all${global.gc ? '' : ' (run node with --expose-gc for a steadier figure)'}`);
  console.log(`tagger ${((tagMs / tokens) * 1000).toFixed(2)} ms per 1,000 tokens; findEntities ${((rawMs / tokens) * 1000).toFixed(2)} ms per 1,000 tokens`);
  return { figures: { 'ner.f1': f1, 'ner.raw_f1': rawF1 } };
}
