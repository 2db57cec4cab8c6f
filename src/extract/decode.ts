/**
 * Decoding: raw bytes to a JavaScript string. The charset is chosen as a
 * browser would (byte-order mark, then the transport's charset, then a
 * `<meta charset>` / `http-equiv` declaration in the first bytes, then UTF-8),
 * with two corrections browsers do not make: a legacy single-byte label on
 * bytes that are valid multi-byte UTF-8 is overruled (servers mislabel
 * UTF-8 pages as ISO-8859-1 far more often than the reverse), and undeclared
 * bytes that are not UTF-8 at all are read as windows-1252. Bytes that are
 * not valid in the chosen encoding become U+FFFD and a TRI_W001 warning.
 */

import { isUtf8 } from 'node:buffer';

export interface Decoded {
  text: string;
  /** WHATWG encoding name that was used, e.g. `utf-8`, `windows-1252`. */
  encoding: string;
  /** Why the result may be wrong, for a TRI_W001 warning; null when clean. */
  warning: string | null;
}

/** How far into an HTML document a charset declaration is looked for (the HTML spec's prescan uses 1024; real pages put long `<head>`s first). */
const PRESCAN_BYTES = 4096;

const SINGLE_BYTE_LEGACY = new Set(['windows-1252', 'iso-8859-2', 'iso-8859-15', 'windows-1250', 'windows-1251', 'windows-1254', 'windows-1257', 'iso-8859-5', 'iso-8859-7', 'iso-8859-9', 'koi8-r', 'koi8-u', 'macintosh', 'ibm866']);

export function decode(bytes: Uint8Array, options: { html: boolean; charset?: string }): Decoded {
  // 1. A byte-order mark wins over every declaration.
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return decodeWith(bytes.subarray(3), 'utf-8');
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return decodeWith(bytes.subarray(2), 'utf-16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return decodeWith(bytes.subarray(2), 'utf-16be');

  // 2. The transport's charset, then 3. a declaration inside the document.
  let declared = normaliseLabel(options.charset);
  if (!declared && options.html) declared = normaliseLabel(prescanCharset(bytes));
  // UTF-16 declared inside an ASCII-compatible document is a lie the spec also ignores.
  if (declared === 'utf-16le' || declared === 'utf-16be') declared = options.charset ? declared : 'utf-8';

  if (declared && declared !== 'utf-8') {
    if (SINGLE_BYTE_LEGACY.has(declared) && isValidUtf8WithMultibyte(bytes)) return decodeWith(bytes, 'utf-8');
    return decodeWith(bytes, declared);
  }

  // 4. UTF-8, checked first (isUtf8 is a fast validator; decoding twice would double the cost).
  if (isUtf8(bytes)) return { text: UTF8.decode(bytes), encoding: 'utf-8', warning: null };
  const stats = utf8Stats(bytes);
  if (!declared && stats.validMultibyte === 0) {
    // No well-formed multi-byte sequence at all: a legacy single-byte page saved without a label.
    const text = decodeWindows1252(bytes);
    return { text, encoding: 'windows-1252', warning: `the bytes are not valid UTF-8 and no charset is declared; read as windows-1252 (${stats.invalid} byte${stats.invalid === 1 ? '' : 's'} outside UTF-8)` };
  }
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  return { text, encoding: 'utf-8', warning: `${stats.invalid} byte${stats.invalid === 1 ? ' is' : 's are'} not valid UTF-8 and ${stats.invalid === 1 ? 'was' : 'were'} replaced with U+FFFD` };
}

const UTF8 = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * windows-1252 by table: Node 20's TextDecoder takes a Latin-1 fast path for
 * this label and returns C1 controls for 0x80–0x9F instead of € ‘ ’ “ ” – —.
 */
const CP1252_HIGH = '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

export function decodeWindows1252(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 8192) {
    const chunk = bytes.subarray(i, i + 8192);
    const codes = new Array<number>(chunk.length);
    for (let k = 0; k < chunk.length; k++) {
      const b = chunk[k]!;
      codes[k] = b >= 0x80 && b <= 0x9f ? CP1252_HIGH.charCodeAt(b - 0x80) : b;
    }
    out += String.fromCharCode(...codes);
  }
  return out;
}

function decodeWith(bytes: Uint8Array, encoding: string): Decoded {
  if (encoding === 'windows-1252') return { text: decodeWindows1252(bytes), encoding, warning: null };
  try {
    return { text: new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(bytes), encoding, warning: null };
  } catch {
    const text = new TextDecoder(encoding, { ignoreBOM: true }).decode(bytes);
    let replaced = 0;
    for (let i = text.indexOf('\uFFFD'); i >= 0; i = text.indexOf('\uFFFD', i + 1)) replaced++;
    return { text, encoding, warning: `${replaced} byte sequence${replaced === 1 ? ' is' : 's are'} not valid ${encoding} and ${replaced === 1 ? 'was' : 'were'} replaced with U+FFFD` };
  }
}

/** WHATWG name for a charset label, or null when the label is unknown. */
export function normaliseLabel(label: string | undefined | null): string | null {
  if (!label) return null;
  const cleaned = label.trim().replace(/^["']|["']$/g, '').toLowerCase();
  if (!cleaned) return null;
  try {
    return new TextDecoder(cleaned).encoding;
  } catch {
    return null;
  }
}

/** Finds `<meta charset=…>`, `<meta http-equiv="Content-Type" content="…; charset=…">` or an XML declaration's encoding. */
export function prescanCharset(bytes: Uint8Array): string | null {
  const head = latin1(bytes.subarray(0, PRESCAN_BYTES));
  const xml = /^\s*<\?xml[^>]*\bencoding\s*=\s*["']?([\w.:-]+)/i.exec(head);
  if (xml) return xml[1]!;
  const metas = head.match(/<meta\b[^>]*>/gi) ?? [];
  for (const tag of metas) {
    const direct = /\bcharset\s*=\s*["']?\s*([\w.:-]+)/i.exec(tag);
    if (direct && !/\bcontent\s*=/i.test(tag.slice(0, direct.index))) return direct[1]!;
    if (/http-equiv\s*=\s*["']?content-type/i.test(tag)) {
      const content = /\bcontent\s*=\s*["']([^"']*)["']/i.exec(tag) ?? /\bcontent\s*=\s*([^\s>]+)/i.exec(tag);
      const charset = content && /charset\s*=\s*["']?([\w.:-]+)/i.exec(content[1]!);
      if (charset) return charset[1]!;
    }
    if (direct) return direct[1]!;
  }
  return null;
}

function latin1(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 8192) out += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return out;
}

function isValidUtf8WithMultibyte(bytes: Uint8Array): boolean {
  if (!isUtf8(bytes)) return false;
  for (const byte of bytes) if (byte >= 0x80) return true;
  return false;
}

/** Counts well-formed multi-byte UTF-8 sequences and bytes that fit no sequence. */
function utf8Stats(bytes: Uint8Array): { validMultibyte: number; invalid: number } {
  let validMultibyte = 0;
  let invalid = 0;
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) { i++; continue; }
    let need = 0;
    let min = 0;
    if (b >= 0xc2 && b <= 0xdf) { need = 1; min = 0x80; } else if (b >= 0xe0 && b <= 0xef) { need = 2; min = 0x800; } else if (b >= 0xf0 && b <= 0xf4) { need = 3; min = 0x10000; } else { invalid++; i++; continue; }
    let cp = b & (need === 1 ? 0x1f : need === 2 ? 0x0f : 0x07);
    let ok = i + need < n;
    for (let k = 1; ok && k <= need; k++) {
      const c = bytes[i + k]!;
      if ((c & 0xc0) !== 0x80) ok = false;
      else cp = (cp << 6) | (c & 0x3f);
    }
    if (ok && cp >= min && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff)) { validMultibyte++; i += need + 1; } else { invalid++; i++; }
  }
  return { validMultibyte, invalid };
}
