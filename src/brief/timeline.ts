/**
 * The timeline: dated events the story mentions, resolved to calendar dates,
 * each with the sentence that dates it and the articles that say so. Mentions
 * of one date in sentences that say the same thing are one entry.
 */
import { contentStems, dice, evidence, sentenceAt, type StoryMaterial } from './material.js';
import type { Evidence, TimelineEntry } from './types.js';

/** Sentences about one date sharing this much vocabulary are one event. */
const SAME_EVENT_OVERLAP = 0.35;

export function buildTimeline(material: StoryMaterial): TimelineEntry[] {
  const entries: Array<TimelineEntry & { stems: Set<string> }> = [];
  for (const entry of material.articles) {
    const { analysis } = entry;
    for (const mention of analysis.dates) {
      if (mention.granularity === 'time') continue;
      const index = sentenceAt(analysis, mention.span[0]);
      if (index < 0) continue;
      const ev: Evidence = evidence(entry, analysis.sentences[index]!.span);
      const stems = contentStems(ev.text);
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
