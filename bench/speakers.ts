/**
 * `npm run bench -- speakers --data ../shared/bench/quotes/polnear/train [--verbose] [--gold FILE]`
 *
 * Who a pronoun speaker is. bench/speakers-gold.jsonl holds 56 direct quotes of PolNeAR train whose
 * speaker is "he" or "she" (the first such quote of every 21st article from the fourth, then of every
 * 17th from the eleventh), each labelled by reading the article with the surname of the person the
 * pronoun stands for, or null where the text names no one. The labels are this project's, written in
 * the seventh session; the suite reads only the articles' text from the data directory.
 *
 * The system's answer for an item is the actor of the quote whose speaker starts at the pronoun, else
 * of the reference there. An answer is right when the actor's name ends in the labelled surname (or
 * when there is no actor and no label), wrong when it names someone else, unresolved when there is no
 * actor though the label names someone. Figures: accuracy (right over all), and right, wrong,
 * unresolved counts.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SuiteResult } from './run.js';
import { option } from './args.js';
import { analyze } from '../src/analyze/index.js';

interface Item {
  article: string;
  /** Offset of the pronoun that is the quote's speaker. */
  speaker: number;
  pronoun: string;
  /** Surname of the person the pronoun stands for; null where the text names no one. */
  person: string | null;
}

const here = path.dirname(fileURLToPath(import.meta.url));

export async function run(args: string[]): Promise<SuiteResult> {
  const data = option(args, 'data', '../shared/bench/quotes/polnear/train')!;
  const verbose = args.includes('--verbose');
  const items = readFileSync(option(args, 'gold') ?? path.join(here, 'speakers-gold.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Item);
  let right = 0;
  let wrong = 0;
  let unresolved = 0;
  for (const item of items) {
    const text = readFileSync(path.join(data, 'text', `${item.article}.txt`), 'utf8');
    if (text.slice(item.speaker, item.speaker + item.pronoun.length) !== item.pronoun) throw new Error(`${item.article}: no "${item.pronoun}" at ${item.speaker}: not the PolNeAR text the labels were written for`);
    const analysis = analyze({ text, published: null });
    const actorId = analysis.quotes.find((q) => q.speaker?.span?.[0] === item.speaker)?.speaker?.actor ??
      analysis.references.find((r) => r.span[0] === item.speaker)?.actor ?? null;
    const name = actorId ? analysis.actors.find((a) => a.id === actorId)?.name ?? null : null;
    const surname = name?.split(/\s+/).at(-1)?.toLowerCase() ?? null;
    const verdict = name === null ? (item.person === null ? 'right' : 'unresolved') : surname === item.person?.toLowerCase() ? 'right' : 'wrong';
    if (verdict === 'right') right++;
    else if (verdict === 'wrong') wrong++;
    else unresolved++;
    if (verbose && verdict !== 'right') console.log(`${verdict.toUpperCase()} ${item.article} @${item.speaker}: ${item.pronoun} -> ${name ?? 'no one'} (label: ${item.person ?? 'no one'})`);
  }
  const accuracy = right / items.length;
  console.log(`pronoun speakers of direct quotes (${items.length} labelled, ${data}): right ${right}, wrong ${wrong}, unresolved ${unresolved}; accuracy ${accuracy.toFixed(3)}`);
  return { figures: { 'speakers.accuracy': accuracy } };
}
