/**
 * Source families: articles that are copies or rewrites of each other, or
 * that reproduce the same wire story, count as one source. Union-find over
 * the links, plus shared wire credits inside one story.
 */
import type { ProvenanceCredit } from '../types.js';
import type { Link } from './types.js';

/**
 * Whether a credit says the text itself comes from the origin (a dateline
 * `(AFP) —`, `© Reuters`, `Reporting by …`, `This story was provided by AP`)
 * rather than attributing one statement to it (`according to Reuters`,
 * `Reuters reported`, `told AFP`). Only the first kind makes two articles one
 * source: two outlets that each quote one Reuters line can still be two
 * independent witnesses for everything else they report.
 */
export function isSourceCredit(credit: ProvenanceCredit): boolean {
  const evidence = credit.evidence;
  if (/\baccording to\b|\b(said|says|told|reported|reports|quoted|quoting|cited|citing|claimed|wrote)\b/i.test(evidence)) return false;
  // A credit line is short; a long sentence naming the agency is reporting about it.
  return evidence.length <= 160;
}

export interface FamilyArticle {
  id: string;
  provenance: ProvenanceCredit[];
}

export interface Family {
  /** The family's id: its smallest article id, so it is stable whatever the input order. */
  id: string;
  articles: string[];
  /** Origins of the source credits that joined members (`AFP`), sorted. */
  origins: string[];
}

class UnionFind {
  private readonly parent = new Map<string, string>();

  find(x: string): string {
    let root = x;
    while (this.parent.has(root) && this.parent.get(root) !== root) root = this.parent.get(root)!;
    // Path compression keeps later finds short.
    let node = x;
    while (node !== root) {
      const next = this.parent.get(node)!;
      this.parent.set(node, root);
      node = next;
    }
    if (!this.parent.has(root)) this.parent.set(root, root);
    return root;
  }

  union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent.set(ra < rb ? rb : ra, ra < rb ? ra : rb);
  }
}

/**
 * Groups `articles` into families. Links join their two ends. Two articles
 * with a source credit (see `isSourceCredit`) for the same origin join when
 * they are in the same story: `storyOf` gives each article's story; without
 * it, all `articles` are taken to be one story. Families come sorted by id.
 */
export function buildFamilies(articles: FamilyArticle[], links: Link[], storyOf?: (id: string) => string | undefined): Family[] {
  const sets = new UnionFind();
  const known = new Set(articles.map((a) => a.id));
  for (const a of articles) sets.find(a.id);
  for (const link of links) if (known.has(link.from) && known.has(link.to)) sets.union(link.from, link.to);
  const firstByCredit = new Map<string, string>();
  const originsOf = new Map<string, Set<string>>();
  for (const article of articles) {
    const story = storyOf ? storyOf(article.id) : '';
    if (story === undefined) continue;
    for (const credit of article.provenance) {
      if (!isSourceCredit(credit)) continue;
      const origin = credit.origin.trim();
      const key = `${story}\u0000${origin.toLowerCase()}`;
      const first = firstByCredit.get(key);
      if (first === undefined) firstByCredit.set(key, article.id);
      else sets.union(first, article.id);
      let origins = originsOf.get(article.id);
      if (!origins) originsOf.set(article.id, (origins = new Set()));
      origins.add(origin);
    }
  }
  const groups = new Map<string, { articles: string[]; origins: Set<string> }>();
  for (const article of articles) {
    const root = sets.find(article.id);
    let group = groups.get(root);
    if (!group) groups.set(root, (group = { articles: [], origins: new Set() }));
    group.articles.push(article.id);
  }
  // An origin belongs to a family only when two members share it.
  for (const group of groups.values()) {
    const counts = new Map<string, number>();
    for (const id of group.articles) for (const o of originsOf.get(id) ?? []) counts.set(o, (counts.get(o) ?? 0) + 1);
    for (const [origin, n] of counts) if (n >= 2) group.origins.add(origin);
  }
  return [...groups.values()]
    .map((g) => {
      const ids = [...new Set(g.articles)].sort();
      return { id: ids[0]!, articles: ids, origins: [...g.origins].sort() };
    })
    .sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
}

/** Number of independent sources among `articles`: the number of families. */
export function countIndependent(articles: FamilyArticle[], links: Link[], storyOf?: (id: string) => string | undefined): number {
  return buildFamilies(articles, links, storyOf).length;
}
