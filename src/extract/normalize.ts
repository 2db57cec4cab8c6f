import { decodeWindows1252 } from './decode.js';

/**
 * Text normalisation shared by every input format: one space between words,
 * no trailing spaces, NBSP and the other Unicode spaces as plain spaces,
 * invisible characters dropped, paragraphs separated by exactly one blank
 * line. Typographic quotes and dashes are left as they are.
 */

/** Unicode spaces that are read as a plain space (NBSP, en/em spaces, thin spaces, ideographic space…). */
const SPACES = /[\t\v\f\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+/g;
/** Characters with no visible form that only get in the way: zero-width space, BOM, word joiner, soft hyphen, bidi marks. */
const INVISIBLE = /[\u200b\u200e\u200f\u2060\ufeff\u00ad\u202a-\u202e\u2066-\u2069]/g;
const CONTROL = /[\u0000-\u0008\u000e-\u001f\u007f]/g;

/** Cleans one line: spaces collapsed and trimmed. */
export function cleanLine(line: string): string {
  return line.replace(INVISIBLE, '').replace(CONTROL, '').replace(SPACES, ' ').replace(/ {2,}/g, ' ').trim();
}

/** Splits text into its non-empty cleaned lines. */
export function cleanLines(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.replace(/\r\n?|[\u2028\u2029\u0085]/g, '\n').split('\n')) {
    const line = cleanLine(raw);
    if (line) out.push(line);
  }
  return out;
}

/** Joins paragraphs with one blank line, each paragraph cleaned and empty ones dropped. */
export function joinParagraphs(paragraphs: Iterable<string>): string {
  const out: string[] = [];
  for (const p of paragraphs) {
    const line = cleanLine(p.replace(/\s*\n\s*/g, ' '));
    if (line) out.push(line);
  }
  return out.join('\n\n');
}

const NAMED: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', ndash: '\u2013', mdash: '\u2014',
  lsquo: '\u2018', rsquo: '\u2019', sbquo: '\u201a', ldquo: '\u201c', rdquo: '\u201d', bdquo: '\u201e',
  laquo: '\u00ab', raquo: '\u00bb', lsaquo: '\u2039', rsaquo: '\u203a', hellip: '\u2026', bull: '\u2022',
  middot: '\u00b7', copy: '\u00a9', reg: '\u00ae', trade: '\u2122', deg: '\u00b0', euro: '\u20ac',
  pound: '\u00a3', yen: '\u00a5', cent: '\u00a2', sect: '\u00a7', para: '\u00b6', times: '\u00d7',
  divide: '\u00f7', plusmn: '\u00b1', frac12: '\u00bd', frac14: '\u00bc', frac34: '\u00be', shy: '\u00ad',
  ensp: '\u2002', emsp: '\u2003', thinsp: '\u2009', zwnj: '\u200c', zwj: '\u200d', iexcl: '\u00a1', iquest: '\u00bf',
  prime: '\u2032', Prime: '\u2033', dagger: '\u2020', Dagger: '\u2021', permil: '\u2030', micro: '\u00b5',
  agrave: 'à', aacute: 'á', acirc: 'â', atilde: 'ã', auml: 'ä', aring: 'å', aelig: 'æ', ccedil: 'ç',
  egrave: 'è', eacute: 'é', ecirc: 'ê', euml: 'ë', igrave: 'ì', iacute: 'í', icirc: 'î', iuml: 'ï',
  ntilde: 'ñ', ograve: 'ò', oacute: 'ó', ocirc: 'ô', otilde: 'õ', ouml: 'ö', oslash: 'ø', ugrave: 'ù',
  uacute: 'ú', ucirc: 'û', uuml: 'ü', yacute: 'ý', yuml: 'ÿ', szlig: 'ß', eth: 'ð', thorn: 'þ',
  Agrave: 'À', Aacute: 'Á', Acirc: 'Â', Atilde: 'Ã', Auml: 'Ä', Aring: 'Å', AElig: 'Æ', Ccedil: 'Ç',
  Egrave: 'È', Eacute: 'É', Ecirc: 'Ê', Euml: 'Ë', Igrave: 'Ì', Iacute: 'Í', Icirc: 'Î', Iuml: 'Ï',
  Ntilde: 'Ñ', Ograve: 'Ò', Oacute: 'Ó', Ocirc: 'Ô', Otilde: 'Õ', Ouml: 'Ö', Oslash: 'Ø', Ugrave: 'Ù',
  Uacute: 'Ú', Ucirc: 'Û', Uuml: 'Ü', Yacute: 'Ý', ETH: 'Ð', THORN: 'Þ', oelig: 'œ', OElig: 'Œ',
  scaron: 'š', Scaron: 'Š', zcaron: 'ž', Zcaron: 'Ž',
};

/**
 * Decodes HTML character references in text that did not go through an HTML
 * parser (plain text and JSON fields scraped from pages): numeric ones and the
 * named ones that occur in news text. Unknown names are left as they are.
 */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[A-Za-z][A-Za-z0-9]{1,31});/g, (whole, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      if (!Number.isFinite(code) || code <= 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '\uFFFD';
      // References to C1 controls mean windows-1252 characters, as browsers read them (&#146; is ’).
      if (code >= 0x80 && code <= 0x9f) return decodeWindows1252(new Uint8Array([code]));
      return String.fromCodePoint(code);
    }
    return NAMED[body] ?? whole;
  });
}
