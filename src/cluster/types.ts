/** Inputs, outputs and saved state of the streaming story clusterer. */

/** What the clusterer needs of an article: plain data, no store. */
export interface ClusterableArticle {
  id: string;
  text: string;
  title: string | null;
  /** ISO 8601 date or date-time; null when unknown (then no time signal and no decay). */
  published: string | null;
  /** Normalised actor keys (`marco rubio`, `united states`) from analysis, when available. */
  entityKeys?: string[];
  /** Days the text mentions (`2025-02-18`: analysis dates resolved to a day), when available. */
  dates?: string[];
  /** Content words of `text` (`contentWords(text)`) joined by single spaces, when the caller has them already (the linker's `prepareText`). */
  content?: string;
}

export interface AssignResult {
  /** The story the article now belongs to (after any merge). */
  storyId: string;
  /** True when the article started a new story. */
  created: boolean;
  /** Ids of stories absorbed into `storyId` by this assignment; they now redirect to it. */
  merged: string[];
  /** Cosine similarity to the story joined (0 for a new story). */
  similarity: number;
}

export interface StorySnapshot {
  /** Stable id: `s` + base-36 creation counter. */
  id: string;
  headline: string | null;
  /** Earliest and latest publication dates of its articles (ISO), null when none had a date. */
  first: string | null;
  last: string | null;
  /** Article ids in arrival order. */
  articles: string[];
  /** Sparse centroid: term → summed normalised term frequency of its articles (pruned to the top terms). */
  centroid: Record<string, number>;
  /** Arrival counter of the last article, for recency without dates. */
  touched: number;
}

/** Everything needed to resume clustering in another run with the same ids. */
export interface ClustererState {
  version: 1;
  nextStory: number;
  arrivals: number;
  documents: number;
  /** Latest publication date seen (ISO); absent in states saved before it existed. */
  latest?: string | null;
  /** Streaming document frequencies of terms. */
  df: Record<string, number>;
  /** Active stories only: decayed ones are dropped (the store keeps them). */
  stories: StorySnapshot[];
  /** Absorbed story id → the story it was merged into. */
  redirects: Record<string, string>;
}
