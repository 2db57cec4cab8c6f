/**
 * Sources: turns what the user named (files, folders, globs, `-`) into
 * `SourceDocument`s. It decides the format from the name, decompresses `.gz`,
 * splits JSON Lines into one document per record, and refuses what cannot be
 * an article (binary, empty, too large) with a message naming the input.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import path from 'node:path';
import { message } from '../errors.js';
import type { Message, SourceDocument, SourceFormat } from '../types.js';

export {
  Fetcher, fetchedDocument, isPrivateAddress, DEFAULT_USER_AGENT, ROBOTS_TOKEN,
  type FetcherOptions, type FetchRequest, type FetchResult, type FetchedBody, type NotModified, type FetchFailure, type FetchPurpose,
} from './fetch.js';

export interface SourceOptions {
  /** Largest input accepted, in bytes, after decompression. Default 20 MB. */
  maxBytes?: number;
  /** Reads standard input when a path is `-`. Injected so tests need no real stdin. */
  readStdin?: () => Promise<Uint8Array>;
  /** What a person can do about an input over `maxBytes`; the command line's advice by default. */
  tooLargeHint?: string;
}

export const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;
const DEFAULT_TOO_LARGE_HINT = 'split it or pass --max-bytes';

export type SourceItem =
  | { document: SourceDocument }
  | { message: Message }
  /** Announces the next file, with how many files the run holds in all (for progress bars). */
  | { file: { path: string; index: number; total: number } };

const formatsByExtension: Record<string, SourceFormat> = {
  '.html': 'html', '.htm': 'html', '.xhtml': 'html',
  '.txt': 'text', '.md': 'text', '.text': 'text',
  '.json': 'json', '.jsonl': 'json', '.ndjson': 'json',
};

/** Files that sit beside articles in a folder but are not articles. */
const SKIPPED_IN_FOLDERS = /^(readme|license|licence|changelog)(\.[a-z]+)?$/i;

/** Format for a file name, looking through a trailing `.gz`. */
export function formatOf(name: string): SourceFormat | null {
  const lower = name.toLowerCase().replace(/\.gz$/, '');
  return formatsByExtension[path.extname(lower)] ?? null;
}

/**
 * Yields documents and messages for every input, in order. Never throws for a
 * bad input: it yields a message and carries on with the next one.
 */
export async function* readSources(inputs: string[], options: SourceOptions = {}): AsyncGenerator<SourceItem> {
  // Expand every argument first so the total is known before the first file is read.
  const plan: Array<{ stdin: true } | { path: string } | { message: Message }> = [];
  for (const input of inputs) {
    if (input === '-') { plan.push({ stdin: true }); continue; }
    const files = await expandInput(input);
    if ('message' in files) plan.push(files);
    else for (const file of files.paths) plan.push({ path: file });
  }
  const total = plan.filter((step) => !('message' in step)).length;
  let index = 0;
  for (const step of plan) {
    if ('message' in step) { yield step; continue; }
    const name = 'path' in step ? step.path : '-';
    yield { file: { path: name, index: index++, total } };
    if ('path' in step) {
      yield* readFileSource(step.path, options);
    } else {
      const read = options.readStdin ?? readAllStdin;
      yield* documentsFromBytes('-', await read(), sniffFormat, options);
    }
  }
}

/** Resolves one argument to a list of files: a file, a folder (recursive) or a glob. */
async function expandInput(input: string): Promise<{ paths: string[] } | { message: Message }> {
  let info;
  try {
    info = await stat(input);
  } catch (error) {
    if (hasGlob(input)) {
      const paths = await expandGlob(input);
      if (paths.length === 0) return { message: message('TRI_E010', input, 'the pattern matched no files') };
      return { paths };
    }
    return { message: message('TRI_E001', input, `cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`) };
  }
  if (info.isDirectory()) return { paths: await walk(input) };
  return { paths: [input] };
}

async function* readFileSource(file: string, options: SourceOptions): AsyncGenerator<SourceItem> {
  // Refused by name before reading, so a huge file of the wrong type is not read at all.
  if (!formatOf(file)) {
    yield unsupportedType(file);
    return;
  }
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  let bytes: Uint8Array;
  try {
    const info = await stat(file);
    if (info.size > maxBytes && !file.toLowerCase().endsWith('.gz')) {
      yield { message: message('TRI_E004', file, `the file is ${formatBytes(info.size)}, over the ${formatBytes(maxBytes)} limit; ${options.tooLargeHint ?? DEFAULT_TOO_LARGE_HINT}`) };
      return;
    }
    bytes = await readFile(file);
  } catch (error) {
    yield { message: message('TRI_E001', file, `cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`) };
    return;
  }
  yield* documentsFromNamedBytes(file, bytes, options);
}

function unsupportedType(name: string): SourceItem {
  return { message: message('TRI_E002', name, `unsupported file type "${path.extname(name.replace(/\.gz$/i, '')) || '(none)'}"; Triangulate reads .html/.htm, .txt/.md and .json/.jsonl, optionally gzipped`) };
}

/**
 * A named input whose bytes are in memory (a file just read, an upload): the
 * name decides the format, a `.gz` is decompressed within the limit, JSON
 * Lines (`.jsonl`, `.ndjson`) are split into one document per record.
 */
export async function* documentsFromNamedBytes(name: string, bytes: Uint8Array, options: SourceOptions = {}): AsyncGenerator<SourceItem> {
  const format = formatOf(name);
  if (!format) {
    yield unsupportedType(name);
    return;
  }
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  let content = bytes;
  if (/\.gz$/i.test(name)) {
    try {
      content = gunzipSync(bytes, { maxOutputLength: maxBytes + 1 });
    } catch (error) {
      const tooLarge = (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || /maxOutputLength|Cannot create a Buffer larger/i.test(String(error));
      yield tooLarge
        ? { message: message('TRI_E004', name, `the file decompresses to over the ${formatBytes(maxBytes)} limit; ${options.tooLargeHint ?? DEFAULT_TOO_LARGE_HINT}`) }
        : { message: message('TRI_E009', name, `cannot decompress: ${(error as Error).message}`) };
      return;
    }
  }
  yield* documentsFromBytes(name, content, () => format, { ...options, jsonLines: /\.(jsonl|ndjson)(\.gz)?$/i.test(name) });
}

/** Checks bytes that are already in memory and splits JSON Lines. */
export async function* documentsFromBytes(
  input: string,
  bytes: Uint8Array,
  decideFormat: (bytes: Uint8Array) => SourceFormat,
  options: SourceOptions & { jsonLines?: boolean } = {},
): AsyncGenerator<SourceItem> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (bytes.length > maxBytes) {
    yield { message: message('TRI_E004', input, `the input is ${formatBytes(bytes.length)}, over the ${formatBytes(maxBytes)} limit; ${options.tooLargeHint ?? DEFAULT_TOO_LARGE_HINT}`) };
    return;
  }
  if (isBlank(bytes)) {
    yield { message: message('TRI_E003', input, 'the input is empty') };
    return;
  }
  const binary = binaryReason(bytes);
  if (binary) {
    yield { message: message('TRI_E005', input, binary) };
    return;
  }
  const format = decideFormat(bytes);
  if (format !== 'json') {
    yield { document: { input, bytes, format } };
    return;
  }
  yield* splitJson(input, bytes, options.jsonLines ?? false);
}

/**
 * A `.json` file holding one object or an array yields one document per
 * object; otherwise every non-blank line is a record (JSON Lines).
 */
function* splitJson(input: string, bytes: Uint8Array, jsonLines: boolean): Generator<SourceItem> {
  const text = new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, '');
  const trimmed = text.trimStart();
  if (!jsonLines && (trimmed.startsWith('[') || (trimmed.startsWith('{') && !looksLikeJsonLines(text)))) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      yield { message: message('TRI_E006', input, `not valid JSON: ${(error as Error).message}`) };
      return;
    }
    const records = Array.isArray(parsed) ? parsed : [parsed];
    for (const [index, record] of records.entries()) {
      const name = Array.isArray(parsed) ? `${input}[${index}]` : input;
      yield { document: { input: name, bytes: new TextEncoder().encode(JSON.stringify(record)), format: 'json' } };
    }
    return;
  }
  let offset = 0;
  const lines = text.split('\n');
  for (const [index, line] of lines.entries()) {
    const lineOffset = offset;
    offset += line.length + 1;
    if (line.trim() === '') continue;
    const name = `${input}:${index + 1}`;
    try {
      JSON.parse(line);
    } catch (error) {
      yield { message: message('TRI_E006', name, `line ${index + 1} is not valid JSON: ${(error as Error).message}`, lineOffset) };
      continue;
    }
    yield { document: { input: name, bytes: new TextEncoder().encode(line.trim()), format: 'json' } };
  }
}

function looksLikeJsonLines(text: string): boolean {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  return lines.length > 1 && lines.every((line) => line.trimStart().startsWith('{'));
}

/** Decides the format of stdin from its first bytes. */
export function sniffFormat(bytes: Uint8Array): SourceFormat {
  const head = new TextDecoder('utf-8').decode(bytes.subarray(0, 2048)).replace(/^\uFEFF/, '').trimStart();
  if (head.startsWith('{') || head.startsWith('[')) return 'json';
  if (/^<(!doctype|html|head|body|article|div|p|meta)\b/i.test(head)) return 'html';
  return 'text';
}

const BINARY_SIGNATURES: Array<[number[], string]> = [
  [[0x25, 0x50, 0x44, 0x46], 'a PDF document'],
  [[0x50, 0x4b, 0x03, 0x04], 'a ZIP archive (or an Office document)'],
  [[0x89, 0x50, 0x4e, 0x47], 'a PNG image'],
  [[0xff, 0xd8, 0xff], 'a JPEG image'],
  [[0x47, 0x49, 0x46, 0x38], 'a GIF image'],
  [[0x1f, 0x8b], 'gzip data without a .gz name'],
  [[0x7f, 0x45, 0x4c, 0x46], 'an executable'],
];

/** Why the bytes are not text, or null when they look like text. */
export function binaryReason(bytes: Uint8Array): string | null {
  for (const [signature, what] of BINARY_SIGNATURES) {
    if (signature.every((byte, i) => bytes[i] === byte)) return `the content is ${what}, not text or HTML`;
  }
  // UTF-16 text with a byte-order mark is text: the extractor decodes it.
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) return null;
  const sample = bytes.subarray(0, 8192);
  if (sample.includes(0)) return 'the content has NUL bytes (binary, or UTF-16 text without a byte-order mark: re-save it as UTF-8)';
  return null;
}

function isBlank(bytes: Uint8Array): boolean {
  for (const byte of bytes) {
    if (byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09 && byte !== 0xef && byte !== 0xbb && byte !== 0xbf) return false;
  }
  return true;
}

async function walk(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true });
  entries.sort((a, b) => a.name.localeCompare(b.name));
  const files: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) files.push(...(await walk(full)));
    else if (entry.isFile() && !SKIPPED_IN_FOLDERS.test(entry.name) && formatOf(entry.name)) files.push(full);
  }
  return files;
}

function hasGlob(input: string): boolean {
  return /[*?[\]{}]/.test(input);
}

/** Minimal glob: `*`, `?`, `**` and `{a,b}` over the filesystem, relative to the pattern's fixed prefix. */
async function expandGlob(pattern: string): Promise<string[]> {
  const parts = pattern.split(/[\\/]/);
  const fixed: string[] = [];
  while (parts.length > 0 && !hasGlob(parts[0]!)) fixed.push(parts.shift()!);
  const base = fixed.length === 0 ? '.' : fixed.join('/') || '/';
  const matcher = globToRegExp(parts.join('/'));
  let files: string[];
  try {
    files = await walkAll(base);
  } catch {
    return [];
  }
  return files
    .filter((file) => matcher.test(path.relative(base, file).split(path.sep).join('/')))
    .map((file) => (fixed.length === 0 ? path.relative('.', file) : file));
}

async function walkAll(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true });
  entries.sort((a, b) => a.name.localeCompare(b.name));
  const out: string[] = [];
  for (const entry of entries) {
    if (entry.name === 'node_modules' || entry.name === '.git') continue;
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) out.push(...(await walkAll(full)));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i]!;
    if (char === '*') {
      if (glob[i + 1] === '*') {
        i++;
        if (glob[i + 1] === '/') { i++; source += '(?:.*/)?'; } else source += '.*';
      } else source += '[^/]*';
    } else if (char === '?') source += '[^/]';
    else if (char === '{') source += '(?:';
    else if (char === '}') source += ')';
    else if (char === ',' && source.includes('(?:')) source += '|';
    else source += char.replace(/[.+^$()|\\[\]]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

async function readAllStdin(): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${n} B`;
}
