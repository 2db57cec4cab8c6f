/**
 * Provenance credits: the wire services and networks a text says it comes
 * from. A name alone is not a credit ("Bloomberg" may be a person, "CNN" the
 * subject of a story); it must stand in a crediting construction: a dateline
 * "(Reuters) -", a sign-off "— The Associated Press", "according to AFP",
 * "told AFP", "AFP contributed to this report", "contributions from CNN's …",
 * "Original Source: apnews.com", "© Xinhua". Photo credits ("AP Photo/…",
 * "AFP via Getty Images") credit a picture, not the text, and are ignored.
 */
import type { ProvenanceCredit } from '../types.js';

interface Origin {
  origin: string;
  /** Source of a regular expression matching the origin's names; case-sensitive where a name is an acronym. */
  names: string;
}

/**
 * Names of the agencies and networks whose credits are recognised, with the
 * normalised origin each maps to. Longer names come first so that
 * "Australian Associated Press" is not read as AP.
 */
const ORIGINS: Origin[] = [
  { origin: 'AAP', names: String.raw`Australian Associated Press|\bAAP\b` },
  { origin: 'AP', names: String.raw`(?:[Tt]he )?Associated Press|\bAP\b|\bapnews\.com\b|\bAP News\b` },
  { origin: 'AFP', names: String.raw`Agence France[- ]Presse|\bAFP\b|\bafp\.com\b` },
  { origin: 'Reuters', names: String.raw`(?:Thomson )?Reuters\b|\breuters\.com\b` },
  { origin: 'CNN', names: String.raw`\bCNN\b|\bcnn\.com\b` },
  { origin: 'Bloomberg', names: String.raw`Bloomberg(?: News)?\b|\bbloomberg\.com\b` },
  { origin: 'dpa', names: String.raw`Deutsche Presse-Agentur|\b[Dd][Pp][Aa]\b` },
  { origin: 'Xinhua', names: String.raw`Xinhua(?: News Agency)?\b|\bxinhuanet\.com\b` },
  { origin: 'TASS', names: String.raw`\bTASS\b|\bTass\b|\btass\.(?:com|ru)\b` },
  { origin: 'RIA Novosti', names: String.raw`RIA Novosti|\bria\.ru\b` },
  { origin: 'Interfax', names: String.raw`\bInterfax\b` },
  { origin: 'ANSA', names: String.raw`\bANSA\b` },
  { origin: 'EFE', names: String.raw`\bEFE\b` },
  { origin: 'Kyodo', names: String.raw`\bKyodo(?: News)?\b` },
  { origin: 'Yonhap', names: String.raw`\bYonhap(?: News Agency)?\b` },
  { origin: 'PTI', names: String.raw`Press Trust of India|\bPTI\b` },
  { origin: 'IANS', names: String.raw`\bIANS\b` },
  { origin: 'ANI', names: String.raw`\bANI\b` },
  { origin: 'UPI', names: String.raw`United Press International|\bUPI\b` },
  { origin: 'Anadolu', names: String.raw`Anadolu(?: Agency| Ajansı)?\b` },
  { origin: 'Canadian Press', names: String.raw`(?:[Tt]he )?Canadian Press\b` },
  { origin: 'PA Media', names: String.raw`\bPA Media\b|\bPress Association\b` },
  { origin: 'BBC', names: String.raw`\bBBC(?: News)?\b|\bbbc\.(?:com|co\.uk)\b` },
  { origin: 'Al Jazeera', names: String.raw`\bAl Jazeera\b|\baljazeera\.com\b` },
  { origin: 'NPR', names: String.raw`\bNPR\b` },
  { origin: 'NBC News', names: String.raw`\bNBC News\b` },
  { origin: 'CBS News', names: String.raw`\bCBS News\b` },
  { origin: 'ABC News', names: String.raw`\bABC News\b` },
  { origin: 'Fox News', names: String.raw`\bFox News\b` },
  { origin: 'Sky News', names: String.raw`\bSky News\b` },
  { origin: 'The New York Times', names: String.raw`(?:[Tt]he )?New York Times\b|\bnytimes\.com\b` },
  { origin: 'The Washington Post', names: String.raw`(?:[Tt]he )?Washington Post\b` },
  { origin: 'The Wall Street Journal', names: String.raw`(?:[Tt]he )?Wall Street Journal\b|\bWSJ\b` },
  { origin: 'The Guardian', names: String.raw`\b[Tt]he Guardian\b` },
  { origin: 'Financial Times', names: String.raw`(?:[Tt]he )?Financial Times\b` },
  { origin: 'Politico', names: String.raw`\bPolitico\b|\bPOLITICO\b` },
  { origin: 'Axios', names: String.raw`\bAxios\b` },
];

const ANY_NAME = new RegExp(ORIGINS.map((o) => `(${o.names})`).join('|'), 'g');
/** The same names without the global flag, for a stateless `test` (a global regex keeps `lastIndex`, which `matchAll` inherits). */
const HAS_NAME = new RegExp(ANY_NAME.source);

/** Strength of a crediting construction: a credit line beats a credit inside a sentence. */
const enum Strength { Mention = 1, Contribution = 2, Line = 3 }

const WIRE = String.raw`(?:news agency|news service|wire service|agency|newswire|news)`;
/** Constructions around a name (written `N`) that credit it, with their strength. */
const CONTEXTS: Array<[RegExp, Strength]> = [
  // Datelines: "KYIV, Ukraine (AP) —", "(Reuters) -", "MOSCOW, Feb 18 (Reuters) -".
  [/^(?:[\p{Lu}][\p{L}.,'’ -]{0,60}?\s*)?\((?:N)(?:\/[^)]{0,40})?\)\s*[-—–:]/u, Strength.Line],
  // Sign-offs: a line that is only the name, after a dash, "By N", "From N", "N staff".
  [/^\s*(?:[-—–]+\s*)?(?:(?:by|from|source|via)\s*:?\s*)?(?:the )?(?:N)(?:'s)?(?: (?:staff|reporters?|reporting|correspondents?|writers?|wires?|news))?\s*[.)]?\s*$/i, Strength.Line],
  [/(?:^|\s)[-—–]\s*(?:the )?(?:N)\s*[.)]?\s*$/i, Strength.Line],
  // "Original Source: apnews.com", "Source: Reuters", "Via AFP", "Courtesy of CNN", "© 2025 The Associated Press".
  [/^\s*[[(]?\s*(?:original (?:source|story|article)|source|sources|via|courtesy(?: of)?|credit|(?:this )?(?:story|article|report) (?:was )?(?:first )?(?:published|appeared) (?:by|in|on)|republished from|syndicated from|distributed by)\s*:?\s*(?:the )?(?:N)\b/i, Strength.Line],
  [/(?:copyright|©|\(c\))\s*(?:\d{4}\s*)?(?:the )?(?:N)\b/i, Strength.Line],
  // Contributions: "This report includes contributions from CNN's …", "N contributed to this report", "With reporting from N", "(With inputs from N)".
  [/\bcontributions? (?:by|from) (?:the )?(?:N)\b/i, Strength.Contribution],
  // "AFP contributed to this report", "CNN's Jane Doe and John Roe contributed" (one bounded gap, no nested repetition).
  [/(?:^|[\s(])(?:the )?(?:N)\b[^.!?;]{0,160}?\bcontributed\b/iu, Strength.Contribution],
  [/\b(?:additional )?(?:reporting|inputs?|information|material) (?:by|from) (?:the )?(?:N)\b/i, Strength.Contribution],
  [/\bwith (?:the )?(?:N)(?: inputs?| reporting)?\s*\)?\s*$/i, Strength.Contribution],
  [/\b(?:written|reported|produced|compiled) (?:by|with) (?:the )?(?:N)\b/i, Strength.Contribution],
  // In a sentence: "according to AFP", "told AFP", "AFP reported", "in an interview with CNN", "a Reuters report".
  [new RegExp(String.raw`\baccording to (?:the |an? )?(?:${WIRE} )?(?:N)\b`, 'i'), Strength.Mention],
  [/\b(?:told|telling|tells|said to|speaking to|spoke to|talking to|in an? (?:interview|statement|conversation) (?:with|to)|(?:quoted|cited|reached|contacted|interviewed|seen|obtained|reviewed) by) (?:the )?(?:N)\b/i, Strength.Mention],
  [new RegExp(String.raw`\b(?:N)(?:'s|’s)? (?:${WIRE} )?(?:reported|reports|has reported|had reported|said|says|wrote|writes|learned|has learned|quoted|cited|calculated|estimated|tally|count|understands|confirmed|was told|found)\b`), Strength.Mention],
  [new RegExp(String.raw`\b(?:an?|the|in an?|to an?)\s+(?:N)(?:'s|’s)? (?:report|story|article|interview|investigation|analysis|tally|count|survey|poll|dispatch|correspondent|reporter|journalist|photographer|calculation|review)\b`, 'i'), Strength.Mention],
  [new RegExp(String.raw`\b(?:N)\s*,?\s*(?:citing|quoting)\b`), Strength.Mention],
];

/** Capitalised words that may stand before an agency's name without making it a person's surname. */
const FUNCTION_WORDS = new Set(['the', 'a', 'an', 'according', 'by', 'from', 'with', 'to', 'told', 'via', 'in', 'on', 'at', 'source', 'sources', 'copyright', 'credit', 'courtesy', 'and', 'of', 'for', 'as', 'said', 'says', 'reported', 'under', 'after', 'citing', 'quoting', 'while', 'but', 'when', 'then', 'also', 'both', 'per', 'original', 'agency', 'wire', 'report', 'reports']);

const compiled = new Map<string, Array<[RegExp, Strength]>>();

/** The crediting constructions with `N` replaced by one name, compiled once per name. */
function contextsFor(name: string): Array<[RegExp, Strength]> {
  let list = compiled.get(name);
  if (!list) {
    const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    list = CONTEXTS.map(([pattern, strength]) => [new RegExp(pattern.source.replaceAll('(?:N)', `(?:${escaped})`), pattern.flags), strength]);
    if (compiled.size > 200) compiled.clear();
    compiled.set(name, list);
  }
  return list;
}

/** Picture credits: the name credits a photo or video, not the text. */
const PICTURE = /\b(?:photo|photos|photograph|image|images|picture|pictures|video|foto|footage|graphic|illustration|getty|via getty|pool)\b/i;

interface Found extends ProvenanceCredit { strength: Strength; order: number }

/** Credits that one line or sentence gives, strongest first. */
export function creditsIn(line: string): Array<ProvenanceCredit & { strength: number; line: boolean }> {
  if (!line || line.length > 4000) return [];
  const out: Array<ProvenanceCredit & { strength: number; line: boolean }> = [];
  const seen = new Set<string>();
  for (const match of line.matchAll(ANY_NAME)) {
    const index = match.slice(1).findIndex((g) => g !== undefined);
    const origin = ORIGINS[index]!;
    if (seen.has(origin.origin)) continue;
    const at = match.index!;
    const name = match[0];
    const after = line.slice(at + name.length, at + name.length + 24);
    const before = line.slice(Math.max(0, at - 24), at);
    // "AP Photo/…", "AFP via Getty Images", "Photo: Reuters", "Reuters/Jane Doe" (a photographer's credit).
    if (/^\s*(?:photo|images?|video|foto|graphic|\/|via getty|file)/i.test(after) || /(?:photo|image|picture|foto|video|graphic)s?\s*(?:by|credit|courtesy)?\s*[:/]?\s*(?:the )?$/i.test(before)) continue;
    if (/^[\s,]*(?:\/|via getty|getty)/i.test(after)) continue;
    // "Michael Bloomberg", "Anna Reuters": a capitalised given name before the name makes it a person.
    const given = /(?:^|[^\p{L}])(\p{Lu}\p{Ll}+)\s$/u.exec(before);
    if (given && !FUNCTION_WORDS.has(given[1]!.toLowerCase())) continue;
    let best: [Strength, boolean] | null = null;
    for (const [pattern, strength] of contextsFor(name)) {
      if (pattern.test(line)) {
        if (!best || strength > best[0]) best = [strength, pattern.source.startsWith('^') || pattern.source.endsWith('$')];
        if (strength === Strength.Line) break;
      }
    }
    if (!best) continue;
    // A long caption-like line that credits a picture somewhere is not a text credit.
    if (best[0] !== Strength.Line && PICTURE.test(line) && /\((?:[^)]*\b(?:photo|image|getty)\b[^)]*)\)/i.test(line)) continue;
    seen.add(origin.origin);
    out.push({ origin: origin.origin, evidence: line.trim(), strength: best[0], line: best[0] === Strength.Line || best[0] === Strength.Contribution && line.length < 400 });
  }
  return out.sort((a, b) => b.strength - a.strength);
}

/**
 * True when a whole line exists only to credit (a credit line, a sign-off, a
 * contributions line): such a line is boilerplate to drop from the text while
 * its credit is kept. A credit inside an article sentence is not.
 */
export function isCreditLine(line: string): boolean {
  const trimmed = line.trim();
  if (trimmed.length > 600) return false;
  if (/^\s*[[(]?\s*(?:original (?:source|story|article)|source|sources|via|courtesy(?: of)?|credit)\s*:/i.test(trimmed) && trimmed.split(/\s+/).length <= 12) return true;
  if (/^\(?\s*(?:additional )?(?:reporting|writing|editing|research|compiled|inputs?) (?:by|from)\b/i.test(trimmed)) return true;
  if (/^\(?\s*with (?:additional )?(?:reporting|inputs?|information) (?:by|from)\b/i.test(trimmed)) return true;
  if (/^(?:this|the) (?:report|story|article|piece) (?:includes|contains|has|was|features|incorporates) (?:additional )?(?:contributions?|reporting|material|information|updated|written|produced)\b/i.test(trimmed)) return true;
  const credits = creditsIn(trimmed);
  if (credits.length === 0) return false;
  if (credits.some((c) => c.strength === Strength.Line && !/^(?:[\p{Lu}][\p{L}.,'’ -]{0,60}?\s*)?\([^)]*\)\s*[-—–:]/u.test(trimmed))) return true;
  return /\bcontributed to (?:this|the) (?:report|story|article)\b/i.test(trimmed) && trimmed.split(/\s+/).length <= 40;
}

/** Splits a paragraph into sentences, keeping abbreviations ("U.S.", "Mr.") and initials together. */
export function sentences(paragraph: string): string[] {
  const out: string[] = [];
  const re = /[.!?…]+["”’)\]]*\s+(?=["“‘(\[]*[\p{Lu}\p{N}])/gu;
  let start = 0;
  for (const m of paragraph.matchAll(re)) {
    const end = m.index! + m[0].trimEnd().length;
    const head = paragraph.slice(start, end);
    if (/(?:(?:^|[^\p{L}])\p{Lu}\.(?:\p{Lu}\.)*|\b(?:Mr|Mrs|Ms|Dr|Gen|Sen|Rep|St|Lt|Col|Gov|Prof|Jr|Sr|No|Inc|Corp|Co|Ltd|vs|Capt|Sgt|Maj|Adm|Rev|Mt|Ft|Jan|Feb|Aug|Sept|Oct|Nov|Dec|approx|est|Pres|Supt|Cmdr|Hon)\.)$/u.test(head.slice(-12))) continue;
    out.push(head.trim());
    start = m.index! + m[0].length;
  }
  const rest = paragraph.slice(start).trim();
  if (rest) out.push(rest);
  return out;
}

/**
 * Collects credits from the article text (sentence by sentence), from lines
 * that were removed as boilerplate, and from metadata values such as an
 * author field that names an agency. One credit per origin: the strongest
 * construction, and the first one in reading order among equals.
 */
export function findCredits(input: { text: string; removed?: string[]; metadata?: string[] }): ProvenanceCredit[] {
  const found = new Map<string, Found>();
  let order = 0;
  const consider = (credit: ProvenanceCredit & { strength: number }) => {
    order++;
    const prior = found.get(credit.origin);
    if (!prior || credit.strength > prior.strength) found.set(credit.origin, { origin: credit.origin, evidence: credit.evidence, strength: credit.strength, order: prior?.order ?? order });
  };
  const scan = (paragraph: string) => {
    if (!HAS_NAME.test(paragraph)) return;
    // A short line that is a credit as a whole (a sign-off, "Original Source: …") is its own evidence;
    // otherwise the evidence is the sentence that gives the credit.
    if (paragraph.length < 300) for (const c of creditsIn(paragraph)) if (c.strength === Strength.Line) consider(c);
    for (const sentence of sentences(paragraph)) for (const c of creditsIn(sentence)) consider(c);
  };
  for (const paragraph of input.text ? input.text.split(/\n+/) : []) scan(paragraph);
  for (const line of input.removed ?? []) scan(line);
  for (const value of input.metadata ?? []) {
    for (const c of creditsIn(value)) consider({ ...c, strength: Math.max(c.strength, Strength.Contribution) });
  }
  return [...found.values()].sort((a, b) => a.order - b.order).map(({ origin, evidence }) => ({ origin, evidence }));
}
