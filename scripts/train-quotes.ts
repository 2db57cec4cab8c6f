/**
 * `npx tsx scripts/train-quotes.ts [--data DIR] [--epochs N] [--holdout | --fold K] [--out FILE]`
 *
 * Trains the attribution tagger of src/analyze/quotes.ts on PolNeAR train
 * (first annotator file per article, as bench/quotes.ts scores): an averaged
 * perceptron over Source/Cue/coNtent BIO tags, decoded greedily with its own
 * earlier predictions as history. `--holdout` leaves out every tenth article
 * (sorted by name) and reports token accuracy on them, for choosing epochs
 * and cut-offs without looking at dev/; `--fold K` (0-9) leaves out the articles
 * whose index is K modulo 10 instead (`--holdout` is `--fold 0`), so ten models
 * give a cross-validated score of all of train (`npm run bench -- quotes --cv DIR`).
 * Deterministic: the shuffle is seeded, articles are read in sorted order and
 * the features are written in hash order, so the same code and data give the
 * same bytes (check with `--out /tmp/q.json.gz` and `cmp`): the committed
 * models/quotes.json.gz is this script's output (checked 2026-12-01).
 * Retrain with any change to the tagger's tokens or features (taggerTokens,
 * staticFeatures, historyFeatures, the cue lexicon, sentence splitting or
 * quote regions).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { option } from '../bench/args.js';
import { firstAnnotations, readAnnotations } from '../bench/quotes.js';
import { splitSentences } from '../src/analyze/sentences.js';
import { canFollow, historyFeatures, HISTORY_FEATURES, STATIC_FEATURES, staticFeatures, taggerTokens, TAGGER_TAGS, type TaggerFile, type TaggerToken } from '../src/analyze/quotes.js';
import type { Span } from '../src/types.js';
import { seededRandom } from '../bench/random.js';
import { bioSpans } from '../src/analyze/weights.js';
import { AveragedPerceptron, shuffledOrder, storeWeights } from './perceptron.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const data = option(args, 'data', path.join(root, '../shared/bench/quotes/polnear/train'))!;
// 6 epochs: held-out token accuracy stopped improving after 5-6 (PolNeAR train holdout, 2025-06);
// re-checked 2026-12-01 with the far-cue features: fold 0 source span F1 0.635 at 6 epochs, 0.633 at 8, 0.630 at 9.
const epochs = Number(option(args, 'epochs', '6'));
const foldOption = option(args, 'fold');
const fold = foldOption !== undefined ? Number(foldOption) : args.includes('--holdout') ? 0 : -1;
if (!(fold >= -1 && fold <= 9 && Number.isInteger(fold))) throw new Error(`--fold takes 0-9, not ${foldOption}`);
const out = option(args, 'out', path.join(root, 'models/quotes.json.gz'))!;

interface Example { tokens: TaggerToken[]; statics: Int32Array; gold: number[] }

const tagIndex = (name: string) => TAGGER_TAGS.indexOf(name as (typeof TAGGER_TAGS)[number]);

/** Gold tags: a token takes the role of the piece that covers most of it; B where a piece starts. */
function goldTags(tokens: TaggerToken[], pieces: { role: string; span: Span; id: number }[]): number[] {
  const tags = new Array<number>(tokens.length).fill(0);
  const owner = new Array<string>(tokens.length).fill('');
  tokens.forEach((t, i) => {
    for (const p of pieces) {
      const overlap = Math.min(t.span[1], p.span[1]) - Math.max(t.span[0], p.span[0]);
      if (overlap * 2 < t.span[1] - t.span[0] || overlap <= 0) continue;
      const key = `${p.id}:${p.role}:${p.span[0]}`;
      tags[i] = tagIndex(`${owner[i - 1] === key ? 'I' : 'B'}-${p.role}`);
      owner[i] = key;
      break;
    }
  });
  return tags;
}

function load(): { train: Example[]; held: Example[] } {
  const annDir = path.join(data, 'attributions');
  const train: Example[] = [];
  const held: Example[] = [];
  [...firstAnnotations(annDir)].forEach(([article, ann], index) => {
    const text = readFileSync(path.join(data, 'text', `${article}.txt`), 'utf8');
    const tokens = taggerTokens(text, splitSentences(text));
    const pieces = readAnnotations(readFileSync(path.join(annDir, ann), 'utf8')).flatMap((a, id) => [
      ...a.source.map((span) => ({ role: 'S', span, id })),
      ...a.cue.map((span) => ({ role: 'C', span, id })),
      ...a.content.map((span) => ({ role: 'N', span, id })),
    ]);
    const example = { tokens, statics: staticFeatures(tokens), gold: goldTags(tokens, pieces) };
    (index % 10 === fold ? held : train).push(example);
  });
  return { train, held };
}

const model = new AveragedPerceptron(TAGGER_TAGS.length);

/** Tags one example (learning from its gold tags when `learn`). A tag's I- only follows its B- or I- ('O' before the first token). */
function decode(example: Example, table: Map<number, Float64Array>, learn: boolean): number[] {
  return model.decode(table, {
    length: example.tokens.length, statics: example.statics, staticCount: STATIC_FEATURES, historyCount: HISTORY_FEATURES,
    history: (previous, i, out) => historyFeatures(previous, i, example.tokens[i], out), allowed: (previous, tag) => canFollow(Math.max(previous, 0), tag),
  }, learn ? example.gold : null);
}

function evaluate(examples: Example[], table: Map<number, Float64Array>): string {
  // Exact span F1 of sources and cues: what the benchmark's figures rest on.
  const counts = { S: { tp: 0, fp: 0, fn: 0 }, C: { tp: 0, fp: 0, fn: 0 }, N: { tp: 0, fp: 0, fn: 0 } };
  for (const example of examples) {
    const gold = bioSpans(example.gold, TAGGER_TAGS);
    const predicted = bioSpans(decode(example, table, false), TAGGER_TAGS);
    for (const key of predicted) counts[key[0] as 'S' | 'C' | 'N'][gold.has(key) ? 'tp' : 'fp']++;
    for (const key of gold) if (!predicted.has(key)) counts[key[0] as 'S' | 'C' | 'N'].fn++;
  }
  return Object.entries(counts).map(([role, c]) => `${role} F1 ${(2 * c.tp / (2 * c.tp + c.fp + c.fn)).toFixed(3)}`).join(', ');
}

const { train, held } = load();
console.log(`${train.length} training articles, ${held.length} held out`);
const random = seededRandom(2016);
for (let epoch = 1; epoch <= epochs; epoch++) {
  for (const index of shuffledOrder(train.length, random)) decode(train[index], model.weights, true);
  if (held.length) console.log(`epoch ${epoch}: held-out ${evaluate(held, model.averaged())}`);
  else console.log(`epoch ${epoch}`);
}

// Weights are stored as integers × scale; features whose largest weight
// rounds below MIN_WEIGHT are dropped (keeps the file small).
const scale = 0.001;
// 1000 (0.02 → 1.0): halves the features with no loss in held-out source/cue F1 (PolNeAR train holdout, 2025-06: 0.609/0.605 at 1000 vs 0.608/0.605 uncut; 0.602/0.596 at 3000).
// 2000 since the phrase features (2026-12-01): fold 0 held-out S/C/N 0.644/0.637/0.570 at 1000 (110,805 features),
// 0.646/0.636/0.567 at 2000 (56,738), 0.641/0.627/0.561 at 3000 (21,787); half the table keeps lookups in cache.
const MIN_WEIGHT = Number(option(args, 'min-weight', '2000'));
const final = model.averaged();
const stored = storeWeights(final, model.tagCount, scale, MIN_WEIGHT);
if (held.length) console.log(`pruned to ${stored.kept.length} features: held-out ${evaluate(held, new Map(stored.kept.map((f) => [f, final.get(f)!])))}`);
const file: TaggerFile = {
  version: 2,
  tags: [...TAGGER_TAGS],
  scale,
  features: stored.features,
  weights: stored.weights,
};
// Gzipped: the base64 weights shrink by half (models/ner.json.gz likewise).
writeFileSync(out, gzipSync(`${JSON.stringify(file)}\n`, { level: 9 }));
console.log(`wrote ${out}: ${stored.kept.length} features`);
