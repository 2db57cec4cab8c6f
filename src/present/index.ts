/** Renders briefings in the format a user asked for; every format renders the same objects. */
import type { Briefing, BriefingDocument } from '../brief/types.js';
import type { Store } from '../store/index.js';
import { renderHtml, type ReportSource } from './html.js';
import { renderMarkdown, renderText } from './text.js';

export { renderHtml, escapeHtml, type ReportSource } from './html.js';
export { renderMarkdown, renderText } from './text.js';
export { renderDiff } from './diff.js';

export const FORMATS = ['text', 'md', 'json', 'html'] as const;
export type Format = (typeof FORMATS)[number];

export function isFormat(value: string): value is Format {
  return (FORMATS as readonly string[]).includes(value);
}

export function renderBriefings(briefings: Briefing[], format: Format, sources: ReportSource[] = [], options: { width?: number } = {}): string {
  switch (format) {
    case 'json': return `${JSON.stringify({ stories: briefings } satisfies BriefingDocument, null, 2)}\n`;
    case 'md': return briefings.map((b) => renderMarkdown(b)).join('\n---\n\n');
    case 'html': return renderHtml(briefings, sources, briefings.length === 1 ? briefings[0]!.headline : 'Triangulate briefings');
    default: return briefings.map((b) => renderText(b, { width: options.width })).join('\n');
  }
}

/** Article texts and sentence spans for the HTML report's source section. */
export async function reportSources(store: Store, briefings: Briefing[]): Promise<ReportSource[]> {
  const out: ReportSource[] = [];
  for (const id of new Set(briefings.flatMap((b) => b.articles.map((a) => a.id)))) {
    const article = await store.getArticle(id);
    const analysis = await store.getAnalysis(id);
    if (article && analysis) out.push({ id, text: article.text, sentences: analysis.analysis.sentences.map((s) => s.span) });
  }
  return out;
}
