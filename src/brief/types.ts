/**
 * The briefing: one typed object per story. Terminal, Markdown, JSON, the HTML
 * report and the web UI all render this same object. Field names are the
 * public contract (docs/schema/briefing.schema.json); add fields, never rename.
 *
 * Every statement carries evidence: an article id and a `[start, end)` span
 * into that article's extracted text, plus the text the span covers.
 */
import type { Bound, EntityType, Granularity } from '../analyze/types.js';
import type { ProvenanceCredit, Span } from '../types.js';

export interface Evidence {
  article: string;
  span: Span;
  text: string;
}

export interface BriefArticle {
  id: string;
  input: string;
  outlet: string | null;
  title: string | null;
  published: string | null;
  url: string | null;
  /** Source family id: articles in one family are one independent source. */
  family: string;
  /** The article this one copies or rewrites, when it is a copy or rewrite. */
  derivedFrom: string | null;
  provenance: ProvenanceCredit[];
}

export interface SummarySentence {
  text: string;
  /** Ids of the articles that carry this statement. */
  citations: string[];
  /** The sentences behind it, one per citing article. */
  evidence: Evidence[];
  /** The fact this sentence stands for. */
  fact: string;
}

export interface Fact {
  id: string;
  /** A representative wording, taken verbatim from one of the supporting sentences. */
  text: string;
  support: Evidence[];
  /** Ids of the articles that carry it. */
  articles: string[];
  /** Number of independent source families that carry it. */
  independentSources: number;
  /** True when most of the story's families carry it. */
  consensus: boolean;
}

export type ContradictionKind = 'number' | 'date' | 'title' | 'name' | 'place';
export type Verdict = 'conflicting' | 'compatible';

export interface Claim extends Evidence {
  /** Normalised value: `{value, unit, bound}` for numbers, an ISO date, a title, a name. */
  value: ClaimValue;
}

export type ClaimValue =
  | { kind: 'quantity'; value: number; unit: string; bound: Bound }
  | { kind: 'date'; date: string; granularity: Granularity }
  | { kind: 'title'; title: string; former: boolean }
  | { kind: 'name'; name: string };

export interface Contradiction {
  kind: ContradictionKind;
  verdict: Verdict;
  /** What the claims are about: `duration of the talks`, `Donald Trump`, … */
  subject: string;
  claims: Claim[];
  /** Why the verdict, in one sentence. */
  explanation: string;
  /** True when all claims come from one source family (a rewrite that changed a fact). */
  withinFamily: boolean;
}

export interface QuoteCopy extends Evidence {
  /** Exactly the words of the canonical quote (case, spacing and punctuation aside). */
  verbatim: boolean;
}

export interface BriefQuote {
  /** Resolved speaker name, or the description used ("a senior Ukrainian official"). */
  speaker: string | null;
  /** The longest verbatim wording found. */
  text: string;
  articles: string[];
  /** True when every copy carries the same words. */
  verbatim: boolean;
  /** True when some copy puts different words inside quote marks (a paraphrase presented as a quote). */
  paraphraseInQuotes: boolean;
  copies: QuoteCopy[];
}

export interface BriefRole {
  title: string;
  affiliation: string | null;
  evidence: Evidence[];
}

export interface BriefActor {
  name: string;
  type: EntityType;
  key: string;
  aliases: string[];
  roles: BriefRole[];
  /** Ids of the articles that mention the actor. */
  articles: string[];
  /** What the person is reported to have said (direct and reported speech). */
  statements: Evidence[];
}

export interface TimelineEntry {
  date: string;
  granularity: Granularity;
  text: string;
  citations: string[];
  evidence: Evidence[];
}

export interface Rewrite {
  from: string;
  to: string;
  kind: 'duplicate' | 'rewrite';
  alignedShare: number;
}

export interface Briefing {
  id: string;
  headline: string;
  /** Earliest and latest publication dates of the story's articles. */
  dates: { first: string | null; last: string | null };
  articles: BriefArticle[];
  /** Number of independent source families. */
  independentSources: number;
  summary: SummarySentence[];
  facts: Fact[];
  /** For each article id, the ids of consensus facts it does not carry. */
  omissions: Record<string, string[]>;
  contradictions: Contradiction[];
  quotes: BriefQuote[];
  actors: BriefActor[];
  rewrites: Rewrite[];
  timeline: TimelineEntry[];
}

export interface BriefingDocument {
  stories: Briefing[];
}
