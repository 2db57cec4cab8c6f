/**
 * The timeline: dated events the story mentions, resolved to calendar dates,
 * each with the sentence that dates it and the articles that say so. Mentions
 * of one date in sentences that say the same thing are one entry.
 */
import { contentStems, dice, evidence, sentenceAt, type StoryMaterial } from './material.js';
import type { Evidence, TimelineEntry } from './types.js';

/** Mentions of one date whose surroundings share this much vocabulary are one event. */
const SAME_EVENT_OVERLAP = 0.35;
/**
 * Characters on each side of a date mention that describe its event. Outlets
 * put the same dated event ("since Moscow's invasion of Ukraine in 2022") into
 * sentences about different things; the words around the date tell the event,
 * the rest of the sentence does not.
 */
const EVENT_WINDOW = 60;

export function buildTimeline(material: StoryMaterial): TimelineEntry[] {
  const entries: Array<TimelineEntry & { stems: Set<string> }> = [];
  for (const entry of material.articles) {
    const { analysis } = entry;
    for (const mention of analysis.dates) {
      if (mention.granularity === 'time') continue;
      const index = sentenceAt(analysis, mention.span[0]);
      if (index < 0) continue;
      const ev: Evidence = evidence(entry, analysis.sentences[index]!.span);
      const stems = contentStems(eventContext(entry.article.text, ev.span, mention.span));
      const same = entries.find((e) => e.date === mention.date && dice(e.stems, stems) >= SAME_EVENT_OVERLAP);
      if (same) {
        if (!same.citations.includes(ev.article)) same.citations.push(ev.article);
        if (!same.evidence.some((e) => e.article === ev.article && e.span[0] === ev.span[0])) same.evidence.push(ev);
        // Show the shortest wording: it is usually the plainest statement of the event.
        if (ev.text.length < same.text.length) same.text = ev.text;
        continue;
      }
      entries.push({ date: mention.date, granularity: mention.granularity, text: ev.text, citations: [ev.article], evidence: [ev], stems });
    }
  }
  return entries
    .sort((a, b) => a.date.localeCompare(b.date) || b.citations.length - a.citations.length)
    .map(({ stems: _stems, ...entry }) => entry);
}

/** The words of the sentence within EVENT_WINDOW characters of the mention, whole words only. */
function eventContext(text: string, sentence: [number, number], mention: [number, number]): string {
  const start = Math.max(sentence[0], mention[0] - EVENT_WINDOW);
  const end = Math.min(sentence[1], mention[1] + EVENT_WINDOW);
  let context = text.slice(start, end);
  if (start > sentence[0]) context = context.replace(/^\S*\s/, '');
  if (end < sentence[1]) context = context.replace(/\s\S*$/, '');
  return context;
}
