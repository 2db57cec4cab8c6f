/**
 * Deterministic synthetic news stream for scale benchmarks: stories of 1–40
 * articles over a period of days, each story with its own names, places and
 * rare words; articles are wire originals, wire copies with outlet
 * boilerplate, rewrites (condensed, framing clauses added, clauses reordered,
 * words paraphrased; see `rewrite`), or independent reports sharing only the story's facts. Lengths
 * 300–1,200 words. The same seed always gives the same stream.
 */
import { splitSentences } from '../src/analyze/sentences.js';
import type { LinkableArticle } from '../src/link/types.js';
import type { SentenceSet } from '../src/link/align.js';
import { sha256 } from '../src/hash.js';
import { seededRandom } from './random.js';
import type { Store } from '../src/store/index.js';
import type { ExtractedArticle } from '../src/types.js';

export interface GeneratedArticle extends LinkableArticle {
  /** The story the generator wrote it for (ground truth). */
  story: string;
  /** How it was made, and from which article when it is a copy or a rewrite. */
  origin: { kind: 'wire' | 'copy' | 'rewrite' | 'independent'; source: string | null };
}

export interface GenerateOptions {
  articles: number;
  seed?: number;
  /** First publication date (ISO day). */
  start?: string;
  /** Stories starting per day. */
  storiesPerDay?: number;
}

const syllables = ['ka', 'lo', 'mi', 'ne', 'ra', 'to', 'su', 'vi', 'de', 'ga', 'ho', 'bri', 'stan', 'mor', 'pel', 'quin', 'zar', 'tel', 'fen', 'dor', 'ul', 'ask', 'ber', 'cor'];
const functionWords = ['the', 'of', 'and', 'to', 'in', 'a', 'on', 'for', 'with', 'by', 'at', 'from', 'that', 'was', 'is', 'has', 'had', 'were', 'after', 'as'];
const wires = ['AFP', 'Reuters', 'AP'];
const synonymPairs: [string, string][] = [['said', 'stated'], ['talks', 'negotiations'], ['meeting', 'discussion'], ['agreed', 'accepted'], ['began', 'started'], ['officials', 'representatives'], ['large', 'major'], ['help', 'support'], ['rise', 'increase'], ['attack', 'strike']];
const boilerplate = [
  'Sign up for our newsletter to get the top stories every morning.',
  'Follow us on social media for the latest updates.',
  'All rights reserved. This material may not be published or redistributed.',
  'Advertisement. Continue reading below.',
  'Read more: the ten stories you missed this week.',
];

function makeWord(rand: () => number, parts: number): string {
  let word = '';
  for (let i = 0; i < parts; i++) word += syllables[Math.floor(rand() * syllables.length)];
  return word;
}

/** A shared vocabulary with a Zipf-like draw, so idf behaves as in real text. */
function vocabulary(rand: () => number, size: number): string[] {
  const words = new Set<string>();
  while (words.size < size) words.add(makeWord(rand, 2 + Math.floor(rand() * 2)));
  return [...words].concat(synonymPairs.flat());
}

const capital = (w: string) => w.charAt(0).toUpperCase() + w.slice(1);

/** Generates `options.articles` articles in publication order. */
export function* generateArticles(options: GenerateOptions): Generator<GeneratedArticle> {
  const rand = seededRandom(options.seed ?? 42);
  const common = vocabulary(rand, 4000);
  const zipf = () => common[Math.floor(common.length * Math.pow(rand(), 2.2))]!;
  // Paraphrase lexicon: a third of the common words have a fixed stand-in a rewriter prefers.
  const paraphrase = new Map<string, string>();
  for (const word of common) if (rand() < 0.33) paraphrase.set(word, common[Math.floor(rand() * common.length)]!);
  for (const [a, b] of synonymPairs) paraphrase.set(a, b);
  const startDay = Date.parse(options.start ?? '2025-01-01');
  const perDay = options.storiesPerDay ?? 60;
  let produced = 0;
  let storyNo = 0;
  /** Articles still to be written, per active story, scheduled by time. */
  const queue: { at: number; story: Story; index: number }[] = [];
  interface Story {
    id: string;
    names: string[];
    rare: string[];
    facts: string[];
    title: string;
    wireId: string | null;
    wireText: string | null;
    wireOrigin: string;
    articles: number;
  }
  const sentence = (story: Story, length: number) => {
    const out: string[] = [];
    for (let i = 0; i < length; i++) {
      const r = rand();
      if (r < 0.12) out.push(story.rare[Math.floor(rand() * story.rare.length)]!);
      else if (r < 0.18) out.push(story.names[Math.floor(rand() * story.names.length)]!);
      else if (r < 0.55) out.push(functionWords[Math.floor(rand() * functionWords.length)]!);
      else out.push(zipf());
    }
    return capital(out.join(' ')) + '.';
  };
  const words = (text: string) => text.split(/\s+/).length;
  const body = (story: Story, minWords: number, maxWords: number, factShare: number) => {
    const target = minWords + Math.floor(rand() * (maxWords - minWords));
    const paragraphs: string[] = [];
    let count = 0;
    while (count < target) {
      const s = rand() < factShare ? story.facts[Math.floor(rand() * story.facts.length)]! : sentence(story, 12 + Math.floor(rand() * 14));
      paragraphs.push(s);
      count += words(s);
    }
    return paragraphs.join('\n\n');
  };
  let clock = startDay;
  while (produced < options.articles) {
    // New stories arrive at a steady rate; each schedules its articles over up to a week.
    clock += (86_400_000 / perDay) * (0.5 + rand());
    const size = 1 + Math.floor(Math.pow(rand(), 2.5) * 40);
    const id = `g${(storyNo++).toString(36)}`;
    const names = Array.from({ length: 4 }, () => `${capital(makeWord(rand, 2))} ${capital(makeWord(rand, 3))}`);
    const rare = Array.from({ length: 25 }, () => makeWord(rand, 4));
    const story: Story = { id, names, rare, facts: [], title: '', wireId: null, wireText: null, wireOrigin: wires[Math.floor(rand() * wires.length)]!, articles: size };
    story.facts = Array.from({ length: 12 }, () => sentence(story, 14 + Math.floor(rand() * 12)));
    story.title = sentence(story, 8).slice(0, -1);
    for (let i = 0; i < size; i++) queue.push({ at: clock + (i === 0 ? 0 : rand() * 7 * 86_400_000), story, index: i });
    queue.sort((a, b) => a.at - b.at);
    while (queue.length > 0 && queue[0]!.at <= clock && produced < options.articles) {
      const { at, story: s, index } = queue.shift()!;
      yield write(s, index, at);
      produced++;
    }
  }

  function write(story: Story, index: number, at: number): GeneratedArticle {
    const id = `${story.id}-${index}`;
    const published = new Date(at).toISOString();
    const outlet = `Outlet ${1 + Math.floor(rand() * 200)}`;
    const credit = { origin: story.wireOrigin, evidence: `(${story.wireOrigin}) —` };
    const r = rand();
    let text: string;
    let origin: GeneratedArticle['origin'];
    let provenance: GeneratedArticle['provenance'] = [];
    let articleOutlet = outlet;
    if (index === 0) {
      text = body(story, 300, 1200, 0.5);
      story.wireId = id;
      story.wireText = text;
      articleOutlet = story.wireOrigin;
      origin = { kind: 'wire', source: null };
    } else if (r < 0.3) {
      const extra = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => boilerplate[Math.floor(rand() * boilerplate.length)]!);
      text = `${credit.evidence} ${story.wireText}\n\n${extra.join('\n\n')}`;
      provenance = [credit];
      origin = { kind: 'copy', source: story.wireId };
    } else if (r < 0.5) {
      text = rewrite(story.wireText!);
      origin = { kind: 'rewrite', source: story.wireId };
    } else {
      text = body(story, 300, 1200, 0.25);
      origin = { kind: 'independent', source: null };
    }
    return { id, text, title: story.title, published, outlet: articleOutlet, provenance, sentences: splitSentences(text).map((s) => s.span), story: story.id, origin };
  }

  /**
   * Content-farm rewrite, modelled on real ones (examples/riyadh-talks/004
   * against 000): the text condensed (10–50% of sentences dropped), a few
   * neighbours swapped or merged, framing clauses added in front ("In a
   * significant development, …") or behind (", a move that …"), clause order
   * changed within a sentence, words replaced from a fixed paraphrase lexicon,
   * and some words changed or dropped at random.
   */
  function rewrite(text: string): string {
    const keep = 0.5 + rand() * 0.4;
    const sentences = text.split('\n\n').filter(() => rand() < keep).map((s) => s.replace(/\.$/, ''));
    for (let i = 0; i + 1 < sentences.length; i++) if (rand() < 0.12) [sentences[i], sentences[i + 1]] = [sentences[i + 1]!, sentences[i]!];
    const out: string[] = [];
    for (let i = 0; i < sentences.length; i++) {
      let words = sentences[i]!.split(' ').map((w) => w.toLowerCase());
      if (rand() < 0.25 && words.length > 8) {
        // Clause order: "A B" becomes "B, A".
        const cut = Math.floor(words.length * (0.35 + rand() * 0.3));
        words = [...words.slice(cut), ...words.slice(0, cut)];
        words[words.length - 1 - cut] += ',';
      }
      words = words
        .filter(() => rand() > 0.08)
        .map((w) => {
          const bare = w.replace(/,$/, '');
          const swap = paraphrase.get(bare);
          const replaced = swap !== undefined && rand() < 0.7 ? swap : rand() < 0.1 ? zipf() : bare;
          return w.endsWith(',') ? `${replaced},` : replaced;
        });
      let sentence = words.join(' ');
      if (rand() < 0.3) sentence = `${framing[Math.floor(rand() * framing.length)]!} ${sentence}`;
      if (rand() < 0.2) sentence = `${sentence}${tails[Math.floor(rand() * tails.length)]!}`;
      if (i + 1 < sentences.length && rand() < 0.1) {
        sentence = `${sentence}, while ${sentences[i + 1]!.toLowerCase()}`;
        i++;
      }
      out.push(`${capital(sentence)}.`);
    }
    return out.join('\n\n');
  }
}

/** Framing clauses rewriters put in front of a sentence. */
const framing = [
  'In a significant development,', 'According to people familiar with the matter,', 'In a move that drew wide attention,', 'Meanwhile,',
  'Notably,', 'As tensions continued to rise,', 'Despite earlier assurances,', 'In what observers called a turning point,', 'It is worth noting that',
  'Reports indicate that', 'Adding to the uncertainty,', 'In the latest twist,',
];
/** Clauses rewriters append. */
const tails = [
  ', a move that has drawn criticism', ', officials said', ', marking a shift in the situation', ', according to reports',
  ', raising fresh questions', ', a decision that surprised many', ', sources said', ', highlighting the stakes',
];

/**
 * The experiment behind the linker's rewrite thresholds
 * (`npx tsx bench/generate.ts --rewrite-experiment [articles]`): each rewrite,
 * wire copy and independent report of a generated stream aligned against its
 * story's wire text, and independent reports against each other, at several
 * sentence thresholds; prints share and ordered share (see
 * `AlignmentResult`) as percentiles per kind.
 */
async function rewriteExperiment(size: number): Promise<void> {
  const { alignSentences } = await import('../src/link/align.js');
  const { prepareText } = await import('../src/link/linker.js');
  const thresholds = [0.25, 0.3, 0.35, 0.4];
  const wires = new Map<string, SentenceSet>();
  const lastIndependent = new Map<string, SentenceSet>();
  const figures = new Map<string, { share: number[]; ordered: number[] }>();
  const record = (kind: string, t: number, a: SentenceSet, b: SentenceSet) => {
    const key = `${kind} @${t}`;
    const r = alignSentences(a, b, t);
    const f = figures.get(key) ?? figures.set(key, { share: [], ordered: [] }).get(key)!;
    f.share.push(r.share);
    f.ordered.push(r.orderedShare);
  };
  for (const article of generateArticles({ articles: size, seed: 7 })) {
    const set = prepareText(article).sentences;
    if (article.origin.kind === 'wire') {
      wires.set(article.story, set);
      continue;
    }
    const wire = wires.get(article.story);
    for (const t of thresholds) {
      if (wire) record(`${article.origin.kind} vs wire`, t, set, wire);
      const other = lastIndependent.get(article.story);
      if (article.origin.kind === 'independent' && other) record('independent vs independent', t, set, other);
    }
    if (article.origin.kind === 'independent') lastIndependent.set(article.story, set);
  }
  const pct = (values: number[], p: number) => [...values].sort((x, y) => x - y)[Math.min(values.length - 1, Math.floor(p * values.length))]!.toFixed(2);
  console.log('kind @ sentence threshold: n; share p1 p5 p50 p95 p99 max; ordered share p1 p5 p50 p95 p99 max');
  for (const [key, f] of [...figures].sort()) {
    const row = (v: number[]) => [0.01, 0.05, 0.5, 0.95, 0.99, 1].map((p) => pct(v, p)).join(' ');
    console.log(`${key.padEnd(36)} ${String(f.share.length).padStart(5)}; ${row(f.share)}; ${row(f.ordered)}`);
  }
}

/**
 * Stores generated articles the way ingestion would (a JSON record as the raw
 * input, its fields as the extracted article; extraction is skipped, the
 * generator writes clean text). `each` runs after each one is stored.
 * Returns each stored article's id and generated story, in order.
 */
export async function storeGenerated(
  store: Store, options: GenerateOptions, each?: (generated: GeneratedArticle, articleId: string) => Promise<void>,
): Promise<Array<{ id: string; story: string }>> {
  const out: Array<{ id: string; story: string }> = [];
  for (const generated of generateArticles(options)) {
    const article: ExtractedArticle = {
      input: `generated/${generated.id}`, title: generated.title, text: generated.text, author: [], published: generated.published,
      outlet: generated.outlet, url: null, language: 'en', provenance: generated.provenance, removed: [],
    };
    const bytes = new TextEncoder().encode(JSON.stringify(article));
    const outcome = await store.ingest({ input: article.input, bytes, format: 'json' }, sha256(bytes), article, []);
    if (!outcome.articleId) continue;
    out.push({ id: outcome.articleId, story: generated.story });
    await each?.(generated, outcome.articleId);
  }
  return out;
}

if (process.argv.includes('--rewrite-experiment')) {
  const size = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 3000);
  await rewriteExperiment(size);
}
