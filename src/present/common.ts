/** What every briefing renderer shares: citation labels, grouping and wording. */
import { describeValue } from '../brief/contradictions.js';
import type { BriefArticle, Briefing, BriefQuote, Fact } from '../brief/types.js';
import { groupBy } from '../collections.js';

export { describeValue };

/** `[1]`, `[2]`… in the order the briefing lists its articles. */
export function citationLabels(briefing: Briefing): Map<string, number> {
  return new Map(briefing.articles.map((a, i) => [a.id, i + 1]));
}

export function sourceName(article: BriefArticle): string {
  return article.outlet ?? article.url?.replace(/^https?:\/\/(www\.)?/, '').split('/')[0] ?? article.input.split(/[\\/]/).at(-1) ?? article.id;
}

/** Family letters: the first family is A, the next B…, so a reader sees who shares a source. */
export function familyLetters(briefing: Briefing): Map<string, string> {
  const letters = new Map<string, string>();
  for (const article of briefing.articles) {
    if (!letters.has(article.family)) letters.set(article.family, String.fromCharCode(65 + (letters.size % 26)) + (letters.size >= 26 ? String(Math.floor(letters.size / 26)) : ''));
  }
  return letters;
}

export function consensusFacts(briefing: Briefing): Fact[] {
  return briefing.facts.filter((f) => f.consensus);
}

/** Said instead of per-source omissions when no fact has most sources behind it: nothing can be left out. */
export const NO_CONSENSUS_TO_OMIT = 'No fact is reported by most independent sources, so no source can be said to leave one out.';

/** Facts several articles carry but not most families: corroborated, not consensus. */
export function corroboratedFacts(briefing: Briefing): Fact[] {
  return briefing.facts.filter((f) => !f.consensus && f.independentSources >= 2);
}

export function singleSourceFacts(briefing: Briefing): Fact[] {
  return briefing.facts.filter((f) => f.independentSources === 1);
}

export function quotesBySpeaker(briefing: Briefing): Array<[string, BriefQuote[]]> {
  const groups = groupBy(briefing.quotes, (quote) => quote.speaker ?? 'Unattributed');
  return [...groups].sort((a, b) => Number(a[0] === 'Unattributed') - Number(b[0] === 'Unattributed') || b[1].length - a[1].length);
}

export function dateRange(briefing: Briefing): string {
  const { first, last } = briefing.dates;
  if (!first) return 'undated';
  const [a, b] = [first.slice(0, 10), (last ?? first).slice(0, 10)];
  return a === b ? a : `${a} – ${b}`;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
