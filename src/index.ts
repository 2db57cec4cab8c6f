/** The public library API; the CLI is built on exactly these functions. */
export type * from './types.js';
export type * from './analyze/types.js';
export type * from './brief/types.js';
export { codes, message, formatMessage } from './errors.js';
export { readSources, formatOf } from './sources/index.js';
export { Fetcher, type FetcherOptions, type FetchRequest, type FetchResult } from './sources/fetch.js';
export { extract } from './extract/index.js';
export { analyze, actorKey, ANALYZER_VERSION } from './analyze/index.js';
export { buildBriefing, type StoryMaterial, type StoryArticle, type StoryLink } from './brief/index.js';
export { diffBriefings, type BriefingDiff, type FactChange } from './brief/diff.js';
export { openStore, resolveDbPath, type Store, type IngestOutcome, type ArticleQuery, type StoryRecord, type StoryQuery } from './store/index.js';
export { ingestPaths, ingestDocument, reextractAll, type IngestSummary, type IngestEvent } from './pipeline/ingest.js';
export { ingestUrl, ingestUrls, type UrlIngestResult } from './pipeline/fetch.js';
export { ingestWarc, type WarcSummary } from './pipeline/warc.js';
export { watchFeeds, type WatchOptions, type WatchEvent, type WatchSummary } from './pipeline/watch.js';
export { processPending, briefStory, refreshBriefing, type ProcessSummary, type ProcessOptions } from './pipeline/process.js';
export { renderBriefings, renderText, renderMarkdown, renderHtml, renderDiff, escapeHtml, type Format } from './present/index.js';
