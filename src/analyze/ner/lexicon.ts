/**
 * Small hand-written word lists for what news writing does around names:
 * titles before names, demonyms, and institutions named after buildings.
 * Shared by the entity rules (index.ts) and actor resolution (actors.ts).
 */

/** Demonym (lower case) -> the country or body it stands for. */
export const demonyms = new Map<string, string>(Object.entries({
  american: 'United States', 'u.s.': 'United States', us: 'United States', russian: 'Russia',
  ukrainian: 'Ukraine', chinese: 'China', british: 'United Kingdom', 'u.k.': 'United Kingdom',
  french: 'France', german: 'Germany', saudi: 'Saudi Arabia', israeli: 'Israel', iranian: 'Iran',
  turkish: 'Turkey', indian: 'India', japanese: 'Japan', polish: 'Poland', italian: 'Italy',
  spanish: 'Spain', canadian: 'Canada', mexican: 'Mexico', syrian: 'Syria', iraqi: 'Iraq',
  egyptian: 'Egypt', qatari: 'Qatar', emirati: 'United Arab Emirates', european: 'European Union',
  palestinian: 'Palestine', belarusian: 'Belarus', hungarian: 'Hungary', dutch: 'Netherlands',
  swedish: 'Sweden', norwegian: 'Norway', finnish: 'Finland', danish: 'Denmark', greek: 'Greece',
  brazilian: 'Brazil', australian: 'Australia', pakistani: 'Pakistan', afghan: 'Afghanistan',
  lebanese: 'Lebanon', jordanian: 'Jordan', venezuelan: 'Venezuela', cuban: 'Cuba',
  'north korean': 'North Korea', 'south korean': 'South Korea', taiwanese: 'Taiwan',
  georgian: 'Georgia', armenian: 'Armenia', azerbaijani: 'Azerbaijan', kazakh: 'Kazakhstan',
  serbian: 'Serbia', romanian: 'Romania', czech: 'Czech Republic', slovak: 'Slovakia',
  austrian: 'Austria', swiss: 'Switzerland', belgian: 'Belgium', irish: 'Ireland',
  portuguese: 'Portugal', estonian: 'Estonia', latvian: 'Latvia', lithuanian: 'Lithuania',
  moldovan: 'Moldova', nigerian: 'Nigeria', 'south african': 'South Africa', kenyan: 'Kenya',
  ethiopian: 'Ethiopia', yemeni: 'Yemen', omani: 'Oman', bahraini: 'Bahrain', kuwaiti: 'Kuwait',
  libyan: 'Libya', algerian: 'Algeria', moroccan: 'Morocco', tunisian: 'Tunisia',
  vietnamese: 'Vietnam', thai: 'Thailand', indonesian: 'Indonesia', filipino: 'Philippines',
  malaysian: 'Malaysia', colombian: 'Colombia', argentine: 'Argentina', argentinian: 'Argentina',
  chilean: 'Chile', peruvian: 'Peru', soviet: 'Soviet Union', nato: 'NATO',
}));

/** Plural demonyms ("Russians") are not entities either. */
export function isDemonym(phrase: string): boolean {
  let lower = phrase.toLowerCase();
  if (lower.endsWith("'s") || lower.endsWith('\u2019s')) lower = lower.slice(0, -2);
  return demonyms.has(lower) || (lower.endsWith('s') && demonyms.has(lower.slice(0, -1)));
}

/**
 * Faiths and peoples ("Muslims", "Muslim", "Catholics") are not entities on their own. Not in the
 * demonyms, which also decide where a person's name starts: "Christian" is a first name.
 */
const groupNames = new Set([
  'muslim', 'muslims', 'christians', 'jew', 'jews', 'jewish', 'catholic', 'catholics', 'protestant', 'protestants',
  'evangelical', 'evangelicals', 'mormon', 'mormons', 'hindu', 'hindus', 'buddhist', 'buddhists', 'sikh', 'sikhs',
  'sunni', 'sunnis', 'shiite', 'shiites', 'arab', 'arabs', 'hispanic', 'hispanics', 'latino', 'latinos', 'kurds',
]);

export function isGroupName(phrase: string): boolean {
  return groupNames.has(phrase.toLowerCase().replace(/['\u2019]s$/, ''));
}

/**
 * Words that head or modify a title before a name. A PER span never starts
 * with one ("Secretary of State Marco Rubio" -> "Marco Rubio").
 */
export const titleWords = new Set([
  'president', 'vice', 'secretary', 'minister', 'prime', 'foreign', 'defense', 'defence',
  'senator', 'sen.', 'rep.', 'representative', 'congressman', 'congresswoman', 'gov.', 'governor',
  'mayor', 'chancellor', 'king', 'queen', 'prince', 'princess', 'pope', 'sheikh', 'emir', 'crown',
  'general', 'gen.', 'lt.', 'col.', 'colonel', 'maj.', 'captain', 'capt.', 'adm.', 'admiral',
  'sgt.', 'dr.', 'prof.', 'professor', 'mr.', 'mrs.', 'ms.', 'mr', 'mrs', 'ms', 'dr', 'sir', 'dame',
  'lord', 'lady', 'judge', 'justice', 'chief', 'ambassador', 'envoy', 'spokesman', 'spokeswoman',
  'spokesperson', 'adviser', 'advisor', 'aide', 'director', 'chairman', 'chairwoman', 'chair',
  'ceo', 'commissioner', 'attorney', 'speaker', 'leader', 'former', 'late', 'acting', 'deputy',
  'interim', 'special', 'top', 'senior', 'national', 'security', 'economic', 'state', 'interior',
  'finance', 'treasury', 'trade', 'commerce', 'energy', 'health', 'justice', 'of', 'the',
  'sen', 'rep', 'gov', 'gen', 'lt', 'col', 'capt', 'adm', 'sgt', 'prof', 'rev.', 'archbishop',
  'bishop', 'cardinal', 'ayatollah', 'premier', 'president-elect', 'vice-president', 'first',
  'u.s.', 'us', 'un', 'u.n.', 'eu', 'nato', 'white', 'house', 'kremlin', 'press', 'spy', 'army',
  'military', 'negotiator', 'lawmaker', 'officer', 'official', 'head', 'coach', 'striker', 'staff',
]);

/**
 * Institutions named after a building, street or city that news writing uses
 * as organisations, and the platforms news cites as where words were posted
 * (the model, trained on 1996 newswire, has never seen them and takes
 * "Twitter" for a person). Lower case, space-joined tokens.
 */
export const institutionNames = new Set([
  'kremlin', 'white house', 'state department', 'pentagon', 'downing street', 'elysee', 'élysée',
  'elysee palace', 'élysée palace', 'foreign office', 'home office', 'capitol hill', 'congress',
  'justice department', 'defense department', 'treasury department', 'commerce department',
  'foreign ministry', 'defence ministry', 'defense ministry', 'bundestag', 'duma', 'state duma',
  'knesset', 'politburo', 'white house press office', 'national security council', 'quai d\'orsay',
  'twitter', 'facebook', 'instagram', 'telegram', 'youtube', 'tiktok', 'whatsapp', 'truth social', 'linkedin', 'reddit', 'bluesky',
]);

/**
 * Capitals that news writing uses for their government ("Moscow rejected the
 * plan"). A capital takes the country's key only when `governmentUse` says so.
 */
export const capitals = new Map<string, string>(Object.entries({
  washington: 'united states', moscow: 'russia', kyiv: 'ukraine', beijing: 'china', london: 'united kingdom',
  paris: 'france', berlin: 'germany', tehran: 'iran', ankara: 'turkey', tokyo: 'japan', pyongyang: 'north korea',
  seoul: 'south korea', brussels: 'european union', riyadh: 'saudi arabia', damascus: 'syria', minsk: 'belarus',
  warsaw: 'poland', 'new delhi': 'india', islamabad: 'pakistan', ottawa: 'canada', doha: 'qatar', cairo: 'egypt',
  'tel aviv': 'israel', jerusalem: 'israel', caracas: 'venezuela', havana: 'cuba', taipei: 'taiwan',
}));


/**
 * The states of the United States, lower case. Not among the known places: the NER model's
 * gazetteer features read those, and it was trained without them.
 */
export const usStates = new Set([
  'alabama', 'alaska', 'arizona', 'arkansas', 'california', 'colorado', 'connecticut', 'delaware', 'florida', 'georgia',
  'hawaii', 'idaho', 'illinois', 'indiana', 'iowa', 'kansas', 'kentucky', 'louisiana', 'maine', 'maryland',
  'massachusetts', 'michigan', 'minnesota', 'mississippi', 'missouri', 'montana', 'nebraska', 'nevada', 'new hampshire',
  'new jersey', 'new mexico', 'new york', 'north carolina', 'north dakota', 'ohio', 'oklahoma', 'oregon', 'pennsylvania',
  'rhode island', 'south carolina', 'south dakota', 'tennessee', 'texas', 'utah', 'vermont', 'virginia', 'washington',
  'west virginia', 'wisconsin', 'wyoming',
]);

/** Continents and world regions, which a compass word can qualify ("Eastern Europe"). */
const regions = new Set(['europe', 'asia', 'africa', 'america', 'latin america', 'north america', 'south america', 'middle east', 'balkans', 'caucasus', 'baltics', 'gulf', 'arctic']);
const compassWords = /^(?:eastern|western|central|northern|southern|north|south|east|west)\s+/;
/** The countries `demonyms` stands for, lower case; the alliances among them (European Union, NATO) are organisations, not places. */
const alliances = new Set(['european union', 'nato']);
const countryNames = new Set([...demonyms.values()].map((country) => country.toLowerCase()).filter((name) => !alliances.has(name)));

/** Capitals, countries and regions (lower case) a person or organisation tag on its own is wrong for. */
export function isKnownPlace(phrase: string): boolean {
  const lower = phrase.toLowerCase();
  if (capitals.has(lower) || regions.has(lower)) return true;
  if (compassWords.test(lower)) {
    const rest = lower.replace(compassWords, '');
    if (regions.has(rest) || capitals.has(rest)) return true;
  }
  return countryNames.has(lower) || lower === 'kiev';
}

/**
 * Closed-class words (determiners, pronouns, conjunctions, prepositions,
 * auxiliaries) and common sentence-opening adverbs: capitalised at the start
 * of a sentence, never a first name.
 */
export const closedClassWords = new Set([
  'a', 'an', 'the', 'this', 'that', 'these', 'those', 'some', 'any', 'no', 'every', 'each', 'all', 'both',
  'either', 'neither', 'nor', 'many', 'much', 'most', 'few', 'several', 'such', 'another', 'other',
  'i', 'we', 'you', 'he', 'she', 'it', 'they', 'his', 'her', 'its', 'our', 'their', 'my', 'your',
  'and', 'or', 'but', 'so', 'yet', 'if', 'when', 'while', 'whereas', 'although', 'though', 'because',
  'since', 'unless', 'until', 'as', 'after', 'before', 'once', 'where', 'why', 'how', 'what', 'which', 'who',
  'in', 'on', 'at', 'to', 'for', 'with', 'by', 'from', 'of', 'about', 'against', 'among', 'between',
  'during', 'despite', 'over', 'under', 'unlike', 'like', 'without', 'within', 'through', 'across',
  'is', 'are', 'was', 'were', 'be', 'been', 'has', 'have', 'had', 'do', 'does', 'did', 'will', 'would',
  'can', 'could', 'may', 'might', 'must', 'shall', 'should', 'not', 'only', 'even', 'also', 'then',
  'there', 'here', 'now', 'still', 'yesterday', 'today', 'tomorrow', 'earlier', 'later', 'meanwhile',
  'however', 'separately', 'instead', 'indeed', 'thus', 'hence', 'yes', 'says', 'said',
]);
