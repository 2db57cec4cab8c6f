import type { SourceDocument, SourceFormat } from '../../src/types.js';

/** A SourceDocument from a string (UTF-8) or raw bytes. */
export function doc(content: string | Uint8Array, format: SourceFormat = 'html', extra: Partial<SourceDocument> = {}): SourceDocument {
  return {
    input: extra.input ?? `test.${format === 'text' ? 'txt' : format}`,
    bytes: typeof content === 'string' ? new TextEncoder().encode(content) : content,
    format,
    ...extra,
  };
}

/** Enough article prose for a page to count as an article. */
export const PROSE = [
  'The city council voted on Monday to extend the night bus network to the three outer districts, a change that residents had requested for more than a decade.',
  'Under the plan, buses will run every twenty minutes between midnight and five in the morning, and the first routes will open in September after drivers are hired.',
  'Transport officials said the extension would cost about four million euros a year, to be paid from parking revenue rather than from higher fares.',
];

export function page(body: string, head = ''): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Night buses reach the outer districts</title>${head}</head><body>${body}</body></html>`;
}
