/**
 * robots.txt (RFC 9309): the groups that apply to a crawler's product token
 * (else the `*` group), `Allow`/`Disallow` rules with `*` and `$`, the longest
 * matching rule wins and `Allow` wins a tie. `Crawl-delay`, which the RFC does
 * not define but many news sites set, is read as a lower bound on the gap
 * between two requests to the host.
 */

export interface RobotsRules {
  /** Rules of the groups that apply, in file order. */
  rules: Array<{ allow: boolean; pattern: string }>;
  /** Seconds, from `Crawl-delay`, or null. */
  crawlDelay: number | null;
}

/** Everything allowed: what a missing (4xx) robots.txt means. */
export const ALLOW_ALL: RobotsRules = { rules: [], crawlDelay: null };
/** Everything disallowed: what an unreachable (5xx, network error) robots.txt means under RFC 9309. */
export const DISALLOW_ALL: RobotsRules = { rules: [{ allow: false, pattern: '/' }], crawlDelay: null };

interface Group {
  agents: string[];
  rules: Array<{ allow: boolean; pattern: string }>;
  crawlDelay: number | null;
}

/** Parses robots.txt text and keeps the rules that apply to `token` (case-insensitive product token). */
export function parseRobots(text: string, token: string): RobotsRules {
  const groups: Group[] = [];
  let current: Group | null = null;
  let lastWasAgent = false;
  for (const rawLine of text.split(/\r\n|\r|\n/)) {
    const line = rawLine.replace(/#.*/, '').trim();
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (key === 'user-agent') {
      // Consecutive user-agent lines share one group.
      if (!current || !lastWasAgent) {
        current = { agents: [], rules: [], crawlDelay: null };
        groups.push(current);
      }
      current.agents.push(value.toLowerCase());
      lastWasAgent = true;
      continue;
    }
    lastWasAgent = false;
    if (!current) continue;
    if (key === 'allow' || key === 'disallow') {
      // An empty Disallow allows everything: it is no rule at all.
      if (value !== '') current.rules.push({ allow: key === 'allow', pattern: value });
    } else if (key === 'crawl-delay') {
      const seconds = Number(value);
      if (Number.isFinite(seconds) && seconds >= 0) current.crawlDelay = seconds;
    }
  }
  const wanted = token.toLowerCase();
  let chosen = groups.filter((g) => g.agents.some((a) => a === wanted || (a !== '*' && wanted.startsWith(a))));
  if (chosen.length === 0) chosen = groups.filter((g) => g.agents.includes('*'));
  const delays = chosen.map((g) => g.crawlDelay).filter((d): d is number => d !== null);
  return { rules: chosen.flatMap((g) => g.rules), crawlDelay: delays.length > 0 ? Math.max(...delays) : null };
}

/** True when `pathAndQuery` (`/a/b?c`) may be fetched under `rules`. */
export function robotsAllows(rules: RobotsRules, pathAndQuery: string): boolean {
  if (pathAndQuery === '/robots.txt') return true;
  const target = normalisePath(pathAndQuery);
  let best: { allow: boolean; length: number } | null = null;
  for (const rule of rules.rules) {
    if (!matches(normalisePath(rule.pattern), target)) continue;
    const length = rule.pattern.length;
    if (!best || length > best.length || (length === best.length && rule.allow)) best = { allow: rule.allow, length };
  }
  return best ? best.allow : true;
}

/** Percent-encodes what a browser would, so `/caf%C3%A9` and `/café` compare equal. */
function normalisePath(value: string): string {
  try {
    return encodeURI(decodeURI(value));
  } catch {
    return value;
  }
}

/** Matches a robots pattern (`*` any run of characters, `$` end) against the start of a path. */
function matches(pattern: string, target: string): boolean {
  const anchored = pattern.endsWith('$');
  const parts = (anchored ? pattern.slice(0, -1) : pattern).split('*');
  let position = 0;
  for (const [i, part] of parts.entries()) {
    if (i === 0) {
      if (!target.startsWith(part)) return false;
      position = part.length;
      continue;
    }
    // Later parts: the last part of an anchored pattern must end the path.
    if (anchored && i === parts.length - 1) return target.length - part.length >= position && target.endsWith(part);
    const found = target.indexOf(part, position);
    if (found < 0) return false;
    position = found + part.length;
  }
  return anchored ? position === target.length : true;
}
