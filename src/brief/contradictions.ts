/**
 * Contradictions: statements that cannot all be true.
 *
 * 1. Between sentences that make the same statement (same fact group, or most
 *    of their content words shared once numbers, dates and names are set
 *    aside): quantities with the same unit, dates, people and places that
 *    differ.
 * 2. Across the story, for one actor: titles that differ (office held vs
 *    "former"; two different offices), and one office held by two people.
 *
 * Each contradiction has a verdict: `compatible` when the values differ only in
 * precision or bound ("over four hours" vs "four and a half hours"),
 * `conflicting` otherwise.
 */
import type { DateMention, Quantity } from '../analyze/types.js';
import type { Span } from '../types.js';
import type { ActorIndex, RoleMention } from './actors.js';
import type { FactsResult } from './facts.js';
import { contentStems, evidence, type StoryMaterial, type StorySentenceRef } from './material.js';
import type { Claim, ClaimValue, Contradiction, ContradictionKind, Verdict } from './types.js';
import { groupBy } from '../collections.js';

/**
 * Two sentences make the same statement when their content words, numbers and
 * names aside, overlap this much (Dice). Chosen on the contradictions benchmark
 * (2026-11-21): 0.5 kept precision of the changed fact ≥ 0.9 while still pairing
 * reworded rewrites.
 */
const SAME_STATEMENT_OVERLAP = 0.5;
/**
 * Names and places differ between sentences on neighbouring topics all the
 * time; they are compared only in clauses aligned as one fact or in sentences
 * sharing this much of their remaining wording (same experiment: at 0.5, and
 * over whole sentences, place contradictions were reported between sentences
 * of the demo that only shared one clause).
 */
const SAME_STATEMENT_OVERLAP_FOR_NAMES = 0.7;
/** "About N" covers ±10 %, and a round exact number covers ±5 % of itself. */
const ABOUT_TOLERANCE = 0.1;
const ROUND_TOLERANCE = 0.05;

interface SentenceInfo {
  ref: StorySentenceRef;
  stems: Set<string>;
  quantities: Quantity[];
  dates: DateMention[];
  people: Map<string, Span>;
  places: Map<string, Span>;
}

interface PairClaim {
  kind: ContradictionKind;
  subject: string;
  a: Claim;
  b: Claim;
  verdict: Verdict;
  /** Pairs merge into one contradiction only within the same group (default: by kind). */
  group?: string;
}

export function findContradictions(material: StoryMaterial, facts: FactsResult, actors: ActorIndex): Contradiction[] {
  const infos = facts.sentences.map((ref) => sentenceInfo(material, ref, actors));
  const pairClaims: PairClaim[] = [];
  // Clauses aligned as one fact: compare everything in them, names and places included.
  for (const clauses of facts.alignedClauses.values()) {
    const clauseInfos = clauses.map(({ sentence, span }) => sentenceInfo(material, { ...facts.sentences[sentence]!, span }, actors));
    for (let a = 0; a < clauseInfos.length; a++) {
      for (let b = a + 1; b < clauseInfos.length; b++) {
        if (clauseInfos[a]!.ref.article !== clauseInfos[b]!.ref.article) pairClaims.push(...compareStatements(material, clauseInfos[a]!, clauseInfos[b]!, true));
      }
    }
  }
  // Whole sentences with the same wording apart from their values: compare numbers and dates.
  for (const { i, j, strong } of statementPairs(infos)) pairClaims.push(...compareStatements(material, infos[i]!, infos[j]!, strong));
  pairClaims.push(...compareStoryMeasures(material, infos));
  pairClaims.push(...compareTitles(actors.roleMentions));
  pairClaims.push(...compareOfficeHolders(actors.roleMentions));
  const families = new Map(material.articles.map((a) => [a.article.id, a.family]));
  const carried = statedValues(material);
  const real = pairClaims.filter((p) => !(carried.get(p.a.article)?.has(valueKey(p.b.value)) || carried.get(p.b.article)?.has(valueKey(p.a.value))));
  return mergeClaims(real, families);
}

function sentenceInfo(material: StoryMaterial, ref: StorySentenceRef, actors: ActorIndex): SentenceInfo {
  const { analysis } = material.articles[ref.articleIndex]!;
  const inside = (span: Span) => span[0] >= ref.span[0] && span[1] <= ref.span[1];
  const quantities = analysis.quantities.filter((q) => inside(q.span));
  const dates = analysis.dates.filter((d) => inside(d.span));
  const people = new Map<string, Span>();
  const places = new Map<string, Span>();
  for (const entity of analysis.entities) {
    if (!inside(entity.span) || entity.type === 'ORG') continue;
    const key = actors.keyOf(ref.article, entity.actor) ?? entity.span.join(':');
    (entity.type === 'PER' ? people : places).set(key, entity.span);
  }
  // The statement's words, without the values that may differ between versions.
  const valueSpans = [...quantities.map((q) => q.span), ...dates.map((d) => d.span), ...analysis.entities.filter((e) => inside(e.span)).map((e) => e.span)];
  const text = material.articles[ref.articleIndex]!.article.text;
  let masked = '';
  let cursor = ref.span[0];
  for (const span of valueSpans.sort((x, y) => x[0] - y[0])) {
    if (span[0] < cursor) continue;
    masked += `${text.slice(cursor, span[0])} `;
    cursor = span[1];
  }
  masked += text.slice(cursor, ref.span[1]);
  const stems = new Set([...contentStems(masked)].filter((s) => !/^\d/.test(s)));
  return { ref, stems, quantities, dates, people, places };
}

/** Sentence pairs from different articles that make the same statement. */
interface StatementPair {
  i: number;
  j: number;
  /** Close enough to compare who and where, not only numbers and dates. */
  strong: boolean;
}

function statementPairs(infos: SentenceInfo[]): StatementPair[] {
  const pairs = new Map<string, StatementPair>();
  const add = (i: number, j: number, strong: boolean) => {
    if (infos[i]!.ref.article === infos[j]!.ref.article) return;
    const [x, y] = i < j ? [i, j] : [j, i];
    const key = `${x}:${y}`;
    const existing = pairs.get(key);
    if (existing) existing.strong ||= strong;
    else pairs.set(key, { i: x, j: y, strong });
  };
  // Only sentences with something that can differ need pairing.
  const valued = infos.map((info, i) => ({ info, i })).filter(({ info }) => info.quantities.length + info.dates.length + info.people.size + info.places.size > 0 && info.stems.size >= 2);
  const postings = new Map<string, number[]>();
  for (const { info, i } of valued) for (const stem of info.stems) (postings.get(stem) ?? postings.set(stem, []).get(stem)!).push(i);
  // Each sentence's best match in each other article; a pair counts only when the match is mutual,
  // so two similar sentences of one text (recipe steps, quarterly figures) are never set against each other.
  const best = new Map<string, { j: number; overlap: number }>();
  const candidates: Array<{ i: number; j: number; overlap: number }> = [];
  for (const { info, i } of valued) {
    const shared = new Map<number, number>();
    for (const stem of info.stems) for (const j of postings.get(stem)!) if (j !== i && infos[j]!.ref.article !== info.ref.article) shared.set(j, (shared.get(j) ?? 0) + 1);
    for (const [j, count] of shared) {
      const overlap = (2 * count) / (info.stems.size + infos[j]!.stems.size);
      // Two shared words at least: one common verb ("lasted") is not yet the same statement.
      if (count < 2 || overlap < SAME_STATEMENT_OVERLAP) continue;
      const key = `${i}>${infos[j]!.ref.article}`;
      const current = best.get(key);
      if (!current || overlap > current.overlap || (overlap === current.overlap && j < current.j)) best.set(key, { j, overlap });
      if (i < j) candidates.push({ i, j, overlap });
    }
  }
  for (const { i, j, overlap } of candidates) {
    if (best.get(`${i}>${infos[j]!.ref.article}`)?.j === j && best.get(`${j}>${infos[i]!.ref.article}`)?.j === i) add(i, j, overlap >= SAME_STATEMENT_OVERLAP_FOR_NAMES);
  }
  return [...pairs.values()];
}

function compareStatements(material: StoryMaterial, a: SentenceInfo, b: SentenceInfo, strong: boolean): PairClaim[] {
  const out: PairClaim[] = [];
  const articleA = material.articles[a.ref.articleIndex]!;
  const articleB = material.articles[b.ref.articleIndex]!;
  const subject = sharedWords(a, b, articleA.article.text);

  // Quantities: pair each unit's mentions in order; a unit only one side has is a dropped detail, not a conflict.
  const units = new Set(a.quantities.map((q) => q.unit));
  for (const unit of units) {
    const qa = a.quantities.filter((q) => q.unit === unit);
    const qb = b.quantities.filter((q) => q.unit === unit);
    if (qb.length === 0 || qa.length !== qb.length) continue;
    qa.forEach((x, n) => {
      const y = qb[n]!;
      if (x.value === y.value && x.bound === y.bound) return;
      out.push({
        kind: 'number', subject: `${unitLabel(unit)}: ${subject}`,
        a: claim(articleA, x.span, { kind: 'quantity', value: x.value, unit: x.unit, bound: x.bound }),
        b: claim(articleB, y.span, { kind: 'quantity', value: y.value, unit: y.unit, bound: y.bound }),
        verdict: quantitiesOverlap(x, y) ? 'compatible' : 'conflicting',
      });
    });
  }

  // Dates: the one date each side states that the other does not, so there is no doubt which two to compare.
  const onlyA = a.dates.filter((x) => !b.dates.some((y) => y.date === x.date));
  const onlyB = b.dates.filter((y) => !a.dates.some((x) => x.date === y.date));
  if (onlyA.length === 1 && onlyB.length === 1) {
    const [x, y] = [onlyA[0]!, onlyB[0]!];
    {
      out.push({
        kind: 'date', subject: `date: ${subject}`,
        a: claim(articleA, x.span, { kind: 'date', date: x.date, granularity: x.granularity }),
        b: claim(articleB, y.span, { kind: 'date', date: y.date, granularity: y.granularity }),
        verdict: x.date.startsWith(y.date) || y.date.startsWith(x.date) ? 'compatible' : 'conflicting',
      });
    }
  }

  // People and places: the one name each side has that the other lacks.
  for (const [kind, left, right] of [['name', a.people, b.people], ['place', a.places, b.places]] as const) {
    if (!strong) break;
    const onlyLeft = [...left].filter(([key]) => !right.has(key));
    const onlyRight = [...right].filter(([key]) => !left.has(key));
    if (onlyLeft.length !== 1 || onlyRight.length !== 1) continue;
    const [[, spanA]] = onlyLeft;
    const [[, spanB]] = onlyRight;
    const [nameA, nameB] = [articleA.article.text.slice(spanA![0], spanA![1]), articleB.article.text.slice(spanB![0], spanB![1])];
    // One name contained in the other is a shorter form of it ("Biden", "Joe Biden"), not another person.
    if (nameA.toLowerCase().includes(nameB.toLowerCase()) || nameB.toLowerCase().includes(nameA.toLowerCase())) continue;
    // Two names in one role of one statement stand in the same words: "met X in", "met Y in".
    if (!sameContext(articleA.article.text, spanA!, articleB.article.text, spanB!)) continue;
    out.push({
      kind, subject: `${kind === 'name' ? 'who' : 'where'}: ${subject}`,
      a: claim(articleA, spanA!, { kind: 'name', name: nameA }),
      b: claim(articleB, spanB!, { kind: 'name', name: nameB }),
      verdict: 'conflicting',
    });
  }
  return out;
}

/**
 * Short durations, which in a news story are nearly always the length of the
 * event itself. Years, money and percentages measure many different things in
 * one story (demo, 2026-11-21: "five-year term" was set against "three-year
 * war"), so they are compared only inside aligned statements.
 */
const EVENT_DURATION_UNITS = /^(second|minute|hour)$/;

/**
 * The same event told in different words ("the talks lasted over four hours";
 * "following four and a half hours of negotiations"): when two articles each
 * give one value for a unit of measure, in sentences that share an actor, a
 * place or a content word, the two values are about the same thing.
 */
function compareStoryMeasures(material: StoryMaterial, infos: SentenceInfo[]): PairClaim[] {
  const out: PairClaim[] = [];
  const byUnit = new Map<string, Map<string, Array<{ info: SentenceInfo; quantity: Quantity }>>>();
  for (const info of infos) {
    for (const quantity of info.quantities) {
      if (!EVENT_DURATION_UNITS.test(quantity.unit)) continue;
      const articles = byUnit.get(quantity.unit) ?? byUnit.set(quantity.unit, new Map()).get(quantity.unit)!;
      const list = articles.get(info.ref.article) ?? articles.set(info.ref.article, []).get(info.ref.article)!;
      list.push({ info, quantity });
    }
  }
  for (const [unit, articles] of byUnit) {
    // An article that gives several different values for the unit is about several things: no pairing.
    const single = [...articles.values()].filter((list) => new Set(list.map((x) => `${x.quantity.value}|${x.quantity.bound}`)).size === 1).map((list) => list[0]!);
    for (let a = 0; a < single.length; a++) {
      for (let b = a + 1; b < single.length; b++) {
        const [x, y] = [single[a]!, single[b]!];
        if (x.quantity.value === y.quantity.value && x.quantity.bound === y.quantity.bound) continue;
        if (!shareAnchor(x.info, y.info)) continue;
        const articleX = material.articles[x.info.ref.articleIndex]!;
        const articleY = material.articles[y.info.ref.articleIndex]!;
        out.push({
          kind: 'number', subject: `duration in ${unit}s`, group: `measure|${unit}`,
          a: claim(articleX, x.quantity.span, { kind: 'quantity', value: x.quantity.value, unit, bound: x.quantity.bound }),
          b: claim(articleY, y.quantity.span, { kind: 'quantity', value: y.quantity.value, unit, bound: y.quantity.bound }),
          verdict: quantitiesOverlap(x.quantity, y.quantity) ? 'compatible' : 'conflicting',
        });
      }
    }
  }
  return out;
}

function shareAnchor(a: SentenceInfo, b: SentenceInfo): boolean {
  for (const key of a.people.keys()) if (b.people.has(key)) return true;
  for (const key of a.places.keys()) if (b.places.has(key)) return true;
  for (const stem of a.stems) if (b.stems.has(stem)) return true;
  return false;
}

/**
 * Every quantity and date each article states anywhere. When an article also
 * states the value it seems to contradict, the two texts agree on it and the
 * pair is two different statements, not a contradiction.
 */
function statedValues(material: StoryMaterial): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const { article, analysis } of material.articles) {
    const values = new Set<string>();
    for (const q of analysis.quantities) values.add(valueKey({ kind: 'quantity', value: q.value, unit: q.unit, bound: q.bound }));
    for (const d of analysis.dates) values.add(valueKey({ kind: 'date', date: d.date, granularity: d.granularity }));
    out.set(article.id, values);
  }
  return out;
}

function valueKey(value: ClaimValue): string {
  switch (value.kind) {
    case 'quantity': return `q|${value.unit}|${value.value}|${value.bound}`;
    case 'date': return `d|${value.date}`;
    default: return `-|${value.kind}`;
  }
}

/** The two words before a span, or the two after it, are the same in both texts. */
function sameContext(textA: string, spanA: Span, textB: string, spanB: Span): boolean {
  const wordsOf = (t: string) => t.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const before = (t: string, s: Span) => wordsOf(t.slice(Math.max(0, s[0] - 60), s[0])).slice(-2).join(' ');
  const after = (t: string, s: Span) => wordsOf(t.slice(s[1], s[1] + 60)).slice(0, 2).join(' ');
  const [ba, bb, aa, ab] = [before(textA, spanA), before(textB, spanB), after(textA, spanA), after(textB, spanB)];
  return (ba !== '' && ba === bb) || (aa !== '' && aa === ab);
}

/** Interval each quantity admits; two quantities are compatible when the intervals meet. */
export function quantityInterval(q: Pick<Quantity, 'value' | 'bound'>): [number, number] {
  const v = q.value;
  switch (q.bound) {
    case 'at least': return [v, Infinity];
    case 'at most': return [-Infinity, v];
    case 'about': return [v * (1 - ABOUT_TOLERANCE), v * (1 + ABOUT_TOLERANCE)];
    default: {
      // A round figure ("1,000 troops") is often itself an approximation.
      const round = v !== 0 && Number.isInteger(v) && v >= 100 && v % 10 ** Math.floor(Math.log10(v)) === 0;
      return round ? [v * (1 - ROUND_TOLERANCE), v * (1 + ROUND_TOLERANCE)] : [v, v];
    }
  }
}

export function quantitiesOverlap(a: Pick<Quantity, 'value' | 'bound'>, b: Pick<Quantity, 'value' | 'bound'>): boolean {
  const [a0, a1] = quantityInterval(a);
  const [b0, b1] = quantityInterval(b);
  // "over four hours" (> 4) and "four hours" (= 4) meet only at the boundary: strictness is not enforced,
  // since "over" is used loosely in news copy.
  return a0 <= b1 && b0 <= a1;
}

/** Offices one person holds at a time, by normalised title; synonyms map to one form. */
const OFFICES: Record<string, string> = {
  'president': 'president', 'vice president': 'vice president', 'prime minister': 'prime minister', 'premier': 'prime minister',
  'chancellor': 'chancellor', 'secretary of state': 'secretary of state', 'foreign minister': 'foreign minister',
  'minister of foreign affairs': 'foreign minister', 'foreign secretary': 'foreign secretary', 'defense secretary': 'defense secretary',
  'defence secretary': 'defense secretary', 'secretary of defense': 'defense secretary', 'defense minister': 'defense minister',
  'defence minister': 'defense minister', 'senator': 'senator', 'governor': 'governor', 'mayor': 'mayor', 'king': 'king',
  'queen': 'queen', 'crown prince': 'crown prince', 'ambassador': 'ambassador', 'national security adviser': 'national security adviser',
  'national security advisor': 'national security adviser', 'press secretary': 'press secretary', 'spokesperson': 'spokesperson',
  'spokesman': 'spokesperson', 'spokeswoman': 'spokesperson', 'secretary-general': 'secretary-general', 'secretary general': 'secretary-general',
  'speaker': 'speaker', 'representative': 'representative', 'congressman': 'representative', 'congresswoman': 'representative',
  'attorney general': 'attorney general', 'treasury secretary': 'treasury secretary', 'finance minister': 'finance minister',
  // Every kind of envoy ("special", "Middle East", "economic") is one office: the words describe, they do not conflict.
  'interior minister': 'interior minister', 'envoy': 'envoy', 'chief of staff': 'chief of staff',
  'ceo': 'chief executive', 'chief executive': 'chief executive', 'chairman': 'chair', 'chairwoman': 'chair', 'chair': 'chair',
};
/** Offices with one holder per country or organisation at a time. */
const SINGLE_HOLDER = new Set(['president', 'vice president', 'prime minister', 'chancellor', 'secretary of state', 'foreign minister',
  'foreign secretary', 'defense secretary', 'defense minister', 'king', 'queen', 'crown prince', 'national security adviser',
  'press secretary', 'secretary-general', 'attorney general', 'treasury secretary', 'finance minister', 'interior minister', 'chief executive']);

export interface NormalisedTitle {
  office: string | null;
  former: boolean;
  text: string;
}

export function normaliseTitle(title: string): NormalisedTitle {
  let text = title.toLowerCase().replace(/[’']s\b/g, '').replace(/\s+/g, ' ').trim();
  const former = /\b(former|ex|then|one-time|onetime|outgoing|late)\b[- ]?/.test(text);
  text = text.replace(/\b(former|ex|then|one-time|onetime|outgoing|late|current|incumbent|acting|interim|top|senior|chief|deputy)\b[- ]?/g, '').trim();
  // Drop nationality and organisation words in front ("U.S.", "Russian") — the affiliation says that.
  const words = text.split(' ');
  for (let start = 0; start < words.length; start++) {
    const candidate = words.slice(start).join(' ');
    if (OFFICES[candidate]) return { office: OFFICES[candidate]!, former, text: candidate };
  }
  return { office: null, former, text };
}

/**
 * For each person, the title most articles use is set against every other
 * title that cannot be true with it: the same office with and without
 * "former", or two different offices held at once.
 */
function compareTitles(mentions: RoleMention[]): PairClaim[] {
  const out: PairClaim[] = [];
  for (const list of groupBy(mentions, (m) => m.actorKey).values()) {
    const titled = list.map((m) => ({ m, t: normaliseTitle(m.title) })).filter((x) => x.t.office !== null);
    const byValue = [...groupBy(titled, (x) => `${x.t.office}|${x.t.former}`).values()];
    if (byValue.length < 2) continue;
    const articles = (group: typeof titled) => new Set(group.map((x) => x.m.evidence.article)).size;
    byValue.sort((a, b) => articles(b) - articles(a) || b.length - a.length);
    const [majority, ...others] = byValue;
    const usual = majority![0]!.t;
    for (const minority of others) {
      const odd = minority[0]!.t;
      const sameOffice = usual.office === odd.office;
      // Different offices at different times (a former senator now Secretary of State) are both true.
      if (!sameOffice && (usual.former || odd.former)) continue;
      const group = `${list[0]!.actorKey}|${odd.office}|${odd.former}`;
      for (const y of minority) {
        for (const x of majority!) {
          if (x.m.evidence.article === y.m.evidence.article) continue;
          out.push({
            kind: 'title', subject: x.m.actorName, group, verdict: 'conflicting',
            a: { ...x.m.evidence, value: { kind: 'title', title: x.m.title, former: x.t.former } },
            b: { ...y.m.evidence, value: { kind: 'title', title: y.m.title, former: y.t.former } },
          });
        }
      }
    }
  }
  return out;
}

/** One office of one country held by two different people in two articles. */
function compareOfficeHolders(mentions: RoleMention[]): PairClaim[] {
  const out: PairClaim[] = [];
  const current = mentions.filter((m) => {
    const t = normaliseTitle(m.title);
    return t.office && SINGLE_HOLDER.has(t.office) && !t.former && m.affiliation;
  });
  const byOffice = groupBy(current, (m) => `${normaliseTitle(m.title).office}\u0000${m.affiliation!.toLowerCase()}`);
  for (const list of byOffice.values()) {
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const [x, y] = [list[i]!, list[j]!];
        if (x.actorKey === y.actorKey || x.evidence.article === y.evidence.article) continue;
        // An article that names someone by surname only ("Lavrov") keys them apart from the full name elsewhere.
        if (surname(x.actorKey) === surname(y.actorKey)) continue;
        out.push({
          kind: 'name', subject: `${x.affiliation} ${normaliseTitle(x.title).office}`,
          a: { ...x.evidence, value: { kind: 'name', name: x.actorName } },
          b: { ...y.evidence, value: { kind: 'name', name: y.actorName } },
          verdict: 'conflicting',
        });
      }
    }
  }
  return out;
}

function surname(key: string): string {
  return key.split(' ').at(-1) ?? key;
}

/** Pairwise differences about one subject become one contradiction with all its claims. */
function mergeClaims(pairs: PairClaim[], families: Map<string, string>): Contradiction[] {
  const claimKey = (c: Claim) => `${c.article}:${c.span[0]}:${c.span[1]}`;
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    while (parent.get(x) !== x) { parent.set(x, parent.get(parent.get(x)!)!); x = parent.get(x)!; }
    return x;
  };
  const claims = new Map<string, Claim>();
  const keyOf = (pair: PairClaim, c: Claim) => `${pair.kind}|${pair.group ?? ''}|${claimKey(c)}`;
  for (const pair of pairs) {
    for (const c of [pair.a, pair.b]) {
      const key = keyOf(pair, c);
      if (!parent.has(key)) { parent.set(key, key); claims.set(key, c); }
    }
    parent.set(find(keyOf(pair, pair.a)), find(keyOf(pair, pair.b)));
  }
  const groups = new Map<string, { kind: ContradictionKind; subject: string; claims: Set<string>; conflicting: boolean }>();
  for (const pair of pairs) {
    const root = find(keyOf(pair, pair.a));
    const group = groups.get(root) ?? { kind: pair.kind, subject: pair.subject, claims: new Set<string>(), conflicting: false };
    group.claims.add(keyOf(pair, pair.a)).add(keyOf(pair, pair.b));
    group.conflicting ||= pair.verdict === 'conflicting';
    groups.set(root, group);
  }
  const out: Contradiction[] = [];
  for (const group of groups.values()) {
    const list = [...group.claims].map((k) => claims.get(k)!).sort((x, y) => x.article.localeCompare(y.article) || x.span[0] - y.span[0]);
    const verdict: Verdict = group.conflicting ? 'conflicting' : 'compatible';
    const familiesInvolved = new Set(list.map((c) => families.get(c.article) ?? c.article));
    out.push({ kind: group.kind, verdict, subject: group.subject, claims: list, explanation: explain(group.kind, verdict, list), withinFamily: familiesInvolved.size === 1 });
  }
  return out.sort((a, b) => Number(b.verdict === 'conflicting') - Number(a.verdict === 'conflicting') || b.claims.length - a.claims.length || a.subject.localeCompare(b.subject));
}

function explain(kind: ContradictionKind, verdict: Verdict, claims: Claim[]): string {
  const values = [...new Set(claims.map((c) => describeValue(c.value)))].join(' vs ');
  if (verdict === 'compatible') return `The values differ only in precision or bound (${values}); they can all be true.`;
  switch (kind) {
    case 'number': return `The figures cannot all be true (${values}).`;
    case 'date': return `The dates differ (${values}).`;
    case 'title': return `The sources give this person different titles (${values}).`;
    case 'name': return `The sources name different people (${values}).`;
    case 'place': return `The sources give different places (${values}).`;
  }
}

export function describeValue(value: ClaimValue): string {
  switch (value.kind) {
    case 'quantity': return `${value.bound === 'exact' ? '' : `${value.bound} `}${value.value}${value.unit ? ` ${unitFor(value.unit, value.value)}` : ''}`;
    case 'date': return value.date;
    case 'title': return value.title;
    case 'name': return value.name;
  }
}

/** A unit as a reader writes it after the number: "4.5 hours", "1 hour", "5 %", "2 USD". */
function unitFor(unit: string, value: number): string {
  return value !== 1 && /^[a-z]+$/.test(unit) && !unit.endsWith('s') ? `${unit}s` : unit;
}

function claim(article: StoryMaterial['articles'][number], span: Span, value: ClaimValue): Claim {
  return { ...evidence(article, span), value };
}

function unitLabel(unit: string): string {
  return unit === '' ? 'count' : unit;
}

/** A short description of what two sentences share: their first few common content words, in A's order. */
function sharedWords(a: SentenceInfo, b: SentenceInfo, textA: string): string {
  const words = textA.slice(a.ref.span[0], a.ref.span[1]).match(/[\p{L}][\p{L}'’-]*/gu) ?? [];
  const picked: string[] = [];
  for (const word of words) {
    const stems = contentStems(word);
    if (stems.size === 1 && [...stems].every((s) => b.stems.has(s) && a.stems.has(s)) && !picked.includes(word.toLowerCase())) picked.push(word.toLowerCase());
    if (picked.length === 5) break;
  }
  return picked.join(' ') || 'same statement';
}


