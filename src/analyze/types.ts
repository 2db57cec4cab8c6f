/**
 * What the analysis stage finds in one article. Every annotation is a span
 * into the article's `text`; text is never copied into annotations (renderers
 * slice it out when they need it).
 */
import type { Span } from '../types.js';

export type EntityType = 'PER' | 'ORG' | 'LOC';

export interface Sentence {
  span: Span;
  /** Index of the paragraph (blank-line separated block) the sentence sits in. */
  paragraph: number;
}

export interface EntityMention {
  span: Span;
  type: EntityType;
  /** Id of the actor this mention resolves to (`actors[].id`), or null. */
  actor: string | null;
}

export interface Role {
  /** The role as written, normalised in case: `Secretary of State`, `economic envoy`. */
  title: string;
  /** Actor id or plain name of whom/what the role is held for (`United States`), or null. */
  affiliation: string | null;
  /** Where the role is stated. */
  span: Span;
}

export interface Actor {
  /** Article-local id: `p1`, `o2`, `l3`. Cross-article identity uses `key`. */
  id: string;
  /** Canonical display name (longest full form seen): `Marco Rubio`. */
  name: string;
  type: EntityType;
  /**
   * Normalised identity key shared across articles and outlets
   * (`zelensky` for Zelensky/Zelenskyy, `united states` for U.S./US/Washington).
   */
  key: string;
  aliases: string[];
  roles: Role[];
}

export interface Quote {
  /** The quoted or reported content (without quote marks for direct quotes). */
  span: Span;
  /**
   * True for words inside quote marks; false for reported speech ("said that …"). A partial quote
   * inside reported speech comes twice with the same cue: the whole reported clause (false, quote
   * marks included) and the quoted words (true).
   */
  direct: boolean;
  /** The attribution verb or phrase: `said`, `told reporters`, `according to`. */
  cue: { span: Span } | null;
  speaker: {
    /** The words that name the speaker in the text (a name, a pronoun, "a senior official"). */
    span: Span | null;
    /** The actor the speaker resolves to, or null for anonymous/unresolved speakers. */
    actor: string | null;
  } | null;
}

export type Bound = 'exact' | 'at least' | 'at most' | 'about';

export interface Quantity {
  span: Span;
  value: number;
  /** Normalised unit: `hour`, `troop`, `percent`, `USD`, `person`, … or `` for a bare count. */
  unit: string;
  bound: Bound;
}

export type Granularity = 'day' | 'week' | 'month' | 'year' | 'decade' | 'time';

export interface DateMention {
  span: Span;
  /** Resolved ISO date (`2025-02-18`, `2025-02`, `2025`) at the given granularity. */
  date: string;
  granularity: Granularity;
  /** True when resolved relative to the publication date ("on Tuesday", "last week"). */
  relative: boolean;
}

/** A later mention that is not a name ("he", "the secretary") resolved to an actor. */
export interface Reference {
  span: Span;
  actor: string;
}

export interface Analysis {
  sentences: Sentence[];
  entities: EntityMention[];
  actors: Actor[];
  references: Reference[];
  quotes: Quote[];
  quantities: Quantity[];
  dates: DateMention[];
}
