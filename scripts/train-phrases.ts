/**
 * `npx tsx scripts/train-phrases.ts [--train FILE] [--valid FILE] [--epochs N] [--out FILE]`
 *
 * Trains the phrase tagger of src/analyze/phrases.ts on the part-of-speech and
 * chunk columns of CoNLL-2003 train (the file the entity tagger is trained on)
 * and reports its accuracy on CoNLL-2003 valid: part-of-speech accuracy, and
 * chunk F1 with the predicted parts of speech, as at run time. Both taggers
 * are averaged perceptrons decoded greedily; the chunk tagger learns from the
 * gold parts of speech. Deterministic (seeded shuffle, hash-ordered output):
 * the committed models/phrases.json.gz is this script's output.
 */
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { option } from '../bench/args.js';
import { seededRandom } from '../bench/random.js';
import { readConll } from '../src/analyze/ner/conll.js';
import {
  CHUNK_HISTORY, CHUNK_STATIC, chunkCanFollow, DICTIONARY_MIN_COUNT, DICTIONARY_MIN_SHARE, chunkFeatures, chunkHistory, chunkIndex, CHUNKS, PARTS_OF_SPEECH, partOfSpeechIndex,
  phraseWord, POS_HISTORY, POS_STATIC, posFeatures, posHistory, type PhraseModelFile, type PhraseWord,
} from '../src/analyze/phrases.js';
import { bioSpans } from '../src/analyze/weights.js';
import { AveragedPerceptron, shuffledOrder, storeWeights } from './perceptron.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const trainFile = option(args, 'train', path.join(root, '../shared/bench/ner/conll2003/train.txt'))!;
const validFile = option(args, 'valid', path.join(root, '../shared/bench/ner/conll2003/valid.txt'))!;
const epochs = Number(option(args, 'epochs', '5'));
const out = option(args, 'out', path.join(root, 'models/phrases.json.gz'))!;

interface Example { words: PhraseWord[]; pos: number[]; chunks: number[] }

function load(file: string): Example[] {
  return readConll(file).flat().map((s) => ({
    words: s.words.map(phraseWord),
    pos: s.partsOfSpeech!.map(partOfSpeechIndex),
    chunks: s.chunks!.map(chunkIndex),
  }));
}

/** Parts of speech: a dictionary word takes its tag (and teaches nothing), the others are scored. */
const tagPos = (model: AveragedPerceptron, table: Map<number, Float64Array>, e: Example, learn: boolean) => model.decode(table, {
  length: e.words.length, statics: posFeatures(e.words), staticCount: POS_STATIC, historyCount: POS_HISTORY,
  history: (p, i, o) => posHistory(p, i, e.words[i], o), fixed: (i) => dictionary.get(e.words[i].word) ?? -1,
}, learn ? e.pos : null);
const tagChunks = (model: AveragedPerceptron, table: Map<number, Float64Array>, e: Example, pos: number[], learn: boolean) => model.decode(table, {
  length: e.words.length, statics: chunkFeatures(e.words, pos), staticCount: CHUNK_STATIC, historyCount: CHUNK_HISTORY,
  history: (p, i, o) => chunkHistory(p, i, pos, o), allowed: chunkCanFollow,
}, learn ? e.chunks : null);

function evaluate(valid: Example[], pos: AveragedPerceptron, posTable: Map<number, Float64Array>, chunk: AveragedPerceptron, chunkTable: Map<number, Float64Array>): string {
  let right = 0;
  let words = 0;
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const e of valid) {
    const predictedPos = tagPos(pos, posTable, e, false);
    predictedPos.forEach((tag, i) => { if (tag === e.pos[i]) right++; });
    words += e.words.length;
    const gold = bioSpans(e.chunks, CHUNKS);
    const predicted = bioSpans(tagChunks(chunk, chunkTable, e, predictedPos, false), CHUNKS);
    for (const key of predicted) if (gold.has(key)) tp++; else fp++;
    for (const key of gold) if (!predicted.has(key)) fn++;
  }
  return `part-of-speech accuracy ${(right / words).toFixed(4)}, chunk F1 ${(2 * tp / (2 * tp + fp + fn)).toFixed(4)}`;
}

const train = load(trainFile);
const valid = load(validFile);
// The tag dictionary: word hashes whose part of speech hardly varies in train.
const tagCounts = new Map<number, number[]>();
for (const e of train) e.words.forEach((w, i) => {
  const counts = tagCounts.get(w.word) ?? new Array<number>(PARTS_OF_SPEECH.length).fill(0);
  counts[e.pos[i]]++;
  tagCounts.set(w.word, counts);
});
const dictionary = new Map<number, number>();
for (const [word, counts] of [...tagCounts].sort((a, b) => a[0] - b[0])) {
  const total = counts.reduce((a, b) => a + b, 0);
  const top = counts.indexOf(Math.max(...counts));
  if (total >= DICTIONARY_MIN_COUNT && counts[top] >= DICTIONARY_MIN_SHARE * total) dictionary.set(word, top);
}
console.log(`${train.length} training sentences, ${valid.length} validation sentences`);
const pos = new AveragedPerceptron(PARTS_OF_SPEECH.length);
const chunk = new AveragedPerceptron(CHUNKS.length);
const random = seededRandom(2003);
for (let epoch = 1; epoch <= epochs; epoch++) {
  for (const index of shuffledOrder(train.length, random)) {
    tagPos(pos, pos.weights, train[index], true);
    tagChunks(chunk, chunk.weights, train[index], train[index].pos, true);
  }
  console.log(`epoch ${epoch}: valid ${evaluate(valid, pos, pos.averaged(), chunk, chunk.averaged())}`);
}

const scale = 0.001;
const minWeight = Number(option(args, 'min-weight', '1000'));
const posStored = storeWeights(pos.averaged(), pos.tagCount, scale, minWeight);
const chunkStored = storeWeights(chunk.averaged(), chunk.tagCount, scale, minWeight);
const keptOnly = (table: Map<number, Float64Array>, kept: number[]) => new Map(kept.map((f) => [f, table.get(f)!]));
console.log(`pruned to ${posStored.kept.length} + ${chunkStored.kept.length} features: valid ${evaluate(valid, pos, keptOnly(pos.averaged(), posStored.kept), chunk, keptOnly(chunk.averaged(), chunkStored.kept))}`);
const dictionaryWords = Int32Array.from(dictionary.keys());
const dictionaryTags = Uint8Array.from(dictionary.values());
console.log(`tag dictionary: ${dictionary.size} words`);
const file: PhraseModelFile = {
  version: 2,
  partsOfSpeech: [...PARTS_OF_SPEECH],
  chunks: [...CHUNKS],
  scale,
  pos: { features: posStored.features, weights: posStored.weights },
  chunk: { features: chunkStored.features, weights: chunkStored.weights },
  dictionary: { words: Buffer.from(dictionaryWords.buffer).toString('base64'), tags: Buffer.from(dictionaryTags.buffer).toString('base64') },
};
writeFileSync(out, gzipSync(`${JSON.stringify(file)}\n`, { level: 9 }));
console.log(`wrote ${out}`);
