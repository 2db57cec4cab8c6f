/**
 * The safe, polite HTTP fetcher every network source goes through (URL
 * ingestion, feeds, the HTTP API's URL submission).
 *
 * Safe: http/https only; every host is resolved and every resolved address
 * checked before connecting (private, loopback, link-local, multicast and
 * reserved ranges are refused unless `allowPrivateUrls`), on the first request
 * and on every redirect hop; redirects are followed by hand, at most
 * `maxRedirects`, and loops are named; the whole exchange has a deadline; the
 * body is counted after decompression, so neither a large page nor a
 * compression bomb gets past `maxBytes`; content types that cannot be an
 * article or a feed are refused before the body is read.
 *
 * Polite: a User-Agent naming the project, robots.txt honoured (cached per
 * origin, Crawl-delay respected), a minimum gap between two requests to one
 * host and a cap on concurrent requests per host and overall, conditional
 * requests (ETag / Last-Modified), and retries with exponential backoff (and
 * Retry-After) on failures that may pass: 5xx, 429, timeouts, broken
 * connections.
 *
 * Failures are returned as messages (codes TRI_E020–TRI_E032), never thrown.
 */
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { rootCertificates } from 'node:tls';
import { BlockList, isIP } from 'node:net';
import { createRequire } from 'node:module';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { Readable } from 'node:stream';
import { message, type Code } from '../errors.js';
import type { Message, SourceDocument, SourceFormat } from '../types.js';
import { formatBytes, sniffFormat } from './index.js';
import { ALLOW_ALL, DISALLOW_ALL, parseRobots, robotsAllows, type RobotsRules } from './robots.js';

const VERSION = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;

/** The product token robots.txt groups are matched against. */
export const ROBOTS_TOKEN = 'Triangulate';
export const DEFAULT_USER_AGENT = `${ROBOTS_TOKEN}/${VERSION} (news analysis; honours robots.txt)`;

export interface FetcherOptions {
  userAgent?: string;
  /** Largest body accepted, after decompression. Default 20 MB, as for files. */
  maxBytes?: number;
  /** Deadline for one request, from connecting to the last body byte. Default 30 s. */
  timeoutMs?: number;
  /** Redirect hops followed. Default 5. */
  maxRedirects?: number;
  /** Allow private, loopback and link-local addresses (your own network). Default false. */
  allowPrivateUrls?: boolean;
  /**
   * Decides whether a resolved address may be connected to. Default: any
   * public address, and private ones too when `allowPrivateUrls`. Tests use it
   * to allow one loopback address and refuse another.
   */
  addressAllowed?: (address: string) => boolean;
  /** Honour robots.txt. Default true. */
  robots?: boolean;
  /** Minimum gap between the starts of two requests to one host. Default 1 s. */
  hostIntervalMs?: number;
  /** Requests in flight to one host. Default 2. */
  hostConcurrency?: number;
  /** Requests in flight overall. Default 8. */
  concurrency?: number;
  /** Retries of a failure that may pass. Default 2. */
  retries?: number;
  /** First backoff delay; doubled at each retry. Default 1 s. */
  backoffMs?: number;
  /** Longest wait before a retry (a longer Retry-After gives up). Default 60 s. */
  maxBackoffMs?: number;
  /**
   * Certificate authorities (PEM) trusted for https on top of Node's own list,
   * for a newsroom's internal CA or a TLS-inspecting proxy. From the command
   * line, Node's NODE_EXTRA_CA_CERTS=file.pem does the same.
   */
  trustedCertificates?: string[];
  /** Called before each retry, for a log line. */
  onRetry?: (url: string, attempt: number, delayMs: number, failure: Message) => void;
}

export type FetchPurpose = 'page' | 'feed' | 'robots';

export interface FetchRequest {
  url: string;
  /** What the body is for; decides the content types accepted. Default `page`. */
  purpose?: FetchPurpose;
  /** Validators from an earlier fetch: the server answers 304 when nothing changed. */
  etag?: string | null;
  lastModified?: string | null;
  signal?: AbortSignal;
}

export interface FetchedBody {
  status: 'ok';
  /** The URL asked for. */
  url: string;
  /** The URL the body came from, after redirects. */
  finalUrl: string;
  httpStatus: number;
  bytes: Uint8Array;
  /** Media type without parameters, lower case (`text/html`), or null when the server sent none. */
  mediaType: string | null;
  /** Charset parameter of Content-Type, when given. */
  charset: string | null;
  etag: string | null;
  lastModified: string | null;
}

export interface NotModified {
  status: 'not-modified';
  url: string;
  finalUrl: string;
  etag: string | null;
  lastModified: string | null;
}

export interface FetchFailure {
  status: 'failed';
  url: string;
  message: Message;
  /** True when trying again later may succeed (5xx, 429, timeouts, broken connections). */
  retryable: boolean;
  /** What the server asked for with Retry-After, when it did. */
  retryAfterMs?: number;
  httpStatus?: number;
}

export type FetchResult = FetchedBody | NotModified | FetchFailure;

const DEFAULTS = {
  maxBytes: 20 * 1024 * 1024,
  timeoutMs: 30_000,
  maxRedirects: 5,
  hostIntervalMs: 1_000,
  hostConcurrency: 2,
  concurrency: 8,
  retries: 2,
  backoffMs: 1_000,
  maxBackoffMs: 60_000,
};
/** robots.txt files above this are cut (RFC 9309 asks crawlers to read at least 500 KiB). */
const ROBOTS_MAX_BYTES = 512 * 1024;
/** How long a robots.txt answer is trusted: a day when read, an hour when the server failed. */
const ROBOTS_TTL_MS = 24 * 3_600_000;
const ROBOTS_ERROR_TTL_MS = 3_600_000;
/** A Crawl-delay above this is capped: one request a minute is polite for any site. */
const MAX_CRAWL_DELAY_MS = 60_000;

const PAGE_TYPES = /^(text\/html|application\/xhtml\+xml|text\/plain)$/;
const FEED_TYPES = /^(application\/(rss|atom|rdf|feed|xml|json|ld\+json)(\+xml|\+json)?|application\/feed\+json|text\/(xml|html|plain|json)|application\/x-rss\+xml|application\/octet-stream)$/;

/** Address ranges that are not the public internet. */
const PRIVATE = (() => {
  const list = new BlockList();
  for (const [net, prefix] of [
    ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
    ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24],
    ['224.0.0.0', 4], ['240.0.0.0', 4],
  ] as const) list.addSubnet(net, prefix, 'ipv4');
  for (const [net, prefix] of [
    ['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8], ['2001:db8::', 32], ['100::', 64],
  ] as const) list.addSubnet(net, prefix, 'ipv6');
  return list;
})();

/** True for private, loopback, link-local, multicast, documentation and reserved addresses (IPv4-mapped IPv6 included). */
export function isPrivateAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
  if (mapped) return PRIVATE.check(mapped[1]!, 'ipv4');
  const family = isIP(bare);
  if (family === 4) return PRIVATE.check(bare, 'ipv4');
  if (family === 6) {
    // NAT64 (64:ff9b::/96) embeds an IPv4 address in its last 32 bits.
    const nat64 = /^64:ff9b::([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(bare);
    if (nat64) {
      const hi = parseInt(nat64[1]!, 16);
      const lo = parseInt(nat64[2]!, 16);
      return PRIVATE.check(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`, 'ipv4');
    }
    return PRIVATE.check(bare, 'ipv6');
  }
  return true;
}

class FetchError extends Error {
  constructor(readonly code: Code, readonly reason: string, readonly retryable: boolean, readonly extra: { httpStatus?: number; retryAfterMs?: number } = {}) {
    super(reason);
  }
}

/** Caps concurrent work and spaces out starts: one per host, one overall (interval 0). */
class Gate {
  private active = 0;
  private nextStart = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly concurrency: number, public intervalMs: number) {}

  async run<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.acquire(signal);
    try {
      return await fn();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }

  private async acquire(signal?: AbortSignal): Promise<void> {
    while (this.active >= this.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    const wait = this.nextStart - Date.now();
    this.nextStart = Math.max(Date.now(), this.nextStart) + this.intervalMs;
    if (wait > 0) {
      try {
        await sleep(wait, signal);
      } catch (error) {
        this.active--;
        this.waiting.shift()?.();
        throw error;
      }
    }
  }
}

interface RawResponse {
  status: number;
  statusText: string;
  headers: http.IncomingHttpHeaders;
  body: Readable;
}

export class Fetcher {
  readonly userAgent: string;
  private readonly options: Required<Omit<FetcherOptions, 'onRetry' | 'addressAllowed' | 'userAgent' | 'trustedCertificates'>> & Pick<FetcherOptions, 'onRetry'>;
  /** Node's roots plus the trusted extras; undefined keeps Node's default (and NODE_EXTRA_CA_CERTS). */
  private readonly certificateAuthorities: string[] | undefined;
  private readonly addressAllowed: (address: string) => boolean;
  private readonly hosts = new Map<string, Gate>();
  private readonly overall: Gate;
  private readonly robotsCache = new Map<string, { rules: RobotsRules; expires: number; pending?: Promise<RobotsRules> }>();

  constructor(options: FetcherOptions = {}) {
    this.userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
    this.options = {
      allowPrivateUrls: options.allowPrivateUrls ?? false,
      robots: options.robots ?? true,
      maxBytes: options.maxBytes ?? DEFAULTS.maxBytes,
      timeoutMs: options.timeoutMs ?? DEFAULTS.timeoutMs,
      maxRedirects: options.maxRedirects ?? DEFAULTS.maxRedirects,
      hostIntervalMs: options.hostIntervalMs ?? DEFAULTS.hostIntervalMs,
      hostConcurrency: options.hostConcurrency ?? DEFAULTS.hostConcurrency,
      concurrency: options.concurrency ?? DEFAULTS.concurrency,
      retries: options.retries ?? DEFAULTS.retries,
      backoffMs: options.backoffMs ?? DEFAULTS.backoffMs,
      maxBackoffMs: options.maxBackoffMs ?? DEFAULTS.maxBackoffMs,
      onRetry: options.onRetry,
    };
    this.certificateAuthorities = options.trustedCertificates?.length ? [...rootCertificates, ...options.trustedCertificates] : undefined;
    const allowPrivate = this.options.allowPrivateUrls;
    this.addressAllowed = options.addressAllowed ?? ((address) => allowPrivate || !isPrivateAddress(address));
    this.overall = new Gate(this.options.concurrency, 0);
  }

  /** Fetches one URL, retrying what may pass with exponential backoff. Never throws for a network or content problem. */
  async fetch(request: FetchRequest): Promise<FetchResult> {
    for (let attempt = 0; ; attempt++) {
      const result = await this.attempt(request);
      if (result.status !== 'failed' || !result.retryable || attempt >= this.options.retries || request.signal?.aborted) return result;
      const backoff = this.options.backoffMs * 2 ** attempt;
      // Jitter spreads retries of many feeds on one host that failed together.
      const delay = result.retryAfterMs ?? Math.round(backoff * (0.75 + Math.random() * 0.5));
      if (delay > this.options.maxBackoffMs) return result;
      this.options.onRetry?.(request.url, attempt + 1, delay, message('TRI_W022', request.url, `${result.message.reason}; retry ${attempt + 1} of ${this.options.retries} in ${formatDelay(delay)}`));
      try {
        await sleep(delay, request.signal);
      } catch {
        return result;
      }
    }
  }

  /** One try: robots.txt, then the redirect chain, each hop gated per host. */
  private async attempt(request: FetchRequest): Promise<FetchResult> {
    const purpose = request.purpose ?? 'page';
    const seen: string[] = [];
    let url: URL;
    try {
      url = checkUrl(request.url);
    } catch (error) {
      return failure(request.url, error);
    }
    try {
      for (let hop = 0; ; hop++) {
        const href = url.href;
        if (seen.includes(href)) throw new FetchError('TRI_E024', `redirect loop: ${[...seen, href].join(' → ')}`, false);
        seen.push(href);
        if (hop > this.options.maxRedirects) throw new FetchError('TRI_E024', `more than ${this.options.maxRedirects} redirects (${seen.join(' → ')})`, false);
        if (purpose !== 'robots' && this.options.robots) {
          const rules = await this.robotsFor(url, request.signal);
          if (!robotsAllows(rules, url.pathname + url.search)) {
            throw new FetchError('TRI_E028', `${url.origin}/robots.txt disallows ${url.pathname}${url.search} for ${ROBOTS_TOKEN}`, false);
          }
        }
        const outcome = await this.gate(url.host).run(() => this.overall.run(() => this.exchange(url, request, purpose), request.signal), request.signal);
        if ('location' in outcome) {
          url = checkUrl(new URL(outcome.location, url).href);
          continue;
        }
        return { ...outcome, url: request.url, finalUrl: href } as FetchResult;
      }
    } catch (error) {
      // Name the hop that led to a refused or failing address: the URL asked for looked harmless.
      if (error instanceof FetchError && error.code !== 'TRI_E024' && seen.length > 1) {
        return failure(request.url, new FetchError(error.code, `${error.reason} (reached by a redirect from ${seen.at(-2)})`, error.retryable, error.extra));
      }
      return failure(request.url, error);
    }
  }

  private gate(host: string): Gate {
    let gate = this.hosts.get(host);
    if (!gate) {
      gate = new Gate(this.options.hostConcurrency, this.options.hostIntervalMs);
      this.hosts.set(host, gate);
    }
    return gate;
  }

  /** The rules for this origin, fetched once and cached; a server failure means "disallow all" for an hour (RFC 9309). */
  private async robotsFor(url: URL, signal?: AbortSignal): Promise<RobotsRules> {
    const key = url.origin;
    const cached = this.robotsCache.get(key);
    if (cached?.pending) return cached.pending;
    if (cached && cached.expires > Date.now()) return cached.rules;
    const pending = (async () => {
      const result = await this.attempt({ url: `${url.origin}/robots.txt`, purpose: 'robots', signal });
      let rules: RobotsRules;
      let ttl = ROBOTS_TTL_MS;
      // A refused or malformed address, an unknown host or a certificate the client refuses is the
      // page's own problem, not the robots file's: say so instead of "robots.txt disallows".
      if (result.status === 'failed' && (result.message.code === 'TRI_E021' || result.message.code === 'TRI_E020' || (result.message.code === 'TRI_E022' && !result.retryable))) {
        throw new FetchError(result.message.code, result.message.reason, false);
      }
      if (result.status === 'ok') rules = parseRobots(new TextDecoder('utf-8').decode(result.bytes), ROBOTS_TOKEN);
      else if (result.status === 'failed' && result.httpStatus !== undefined && result.httpStatus >= 400 && result.httpStatus < 500) rules = ALLOW_ALL;
      else if (result.status === 'not-modified') rules = ALLOW_ALL;
      else { rules = DISALLOW_ALL; ttl = ROBOTS_ERROR_TTL_MS; }
      if (rules.crawlDelay !== null) this.gate(url.host).intervalMs = Math.max(this.options.hostIntervalMs, Math.min(rules.crawlDelay * 1000, MAX_CRAWL_DELAY_MS));
      this.robotsCache.set(key, { rules, expires: Date.now() + ttl });
      return rules;
    })();
    this.robotsCache.set(key, { rules: ALLOW_ALL, expires: 0, pending });
    try {
      return await pending;
    } catch (error) {
      this.robotsCache.delete(key);
      throw error;
    }
  }

  /** One HTTP exchange: a redirect to follow, or the checked body. */
  private async exchange(url: URL, request: FetchRequest, purpose: FetchPurpose): Promise<{ location: string } | Omit<FetchedBody, 'url' | 'finalUrl'> | Omit<NotModified, 'url' | 'finalUrl'>> {
    const maxBytes = purpose === 'robots' ? ROBOTS_MAX_BYTES : this.options.maxBytes;
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), this.options.timeoutMs);
    const signal = request.signal ? AbortSignal.any([request.signal, deadline.signal]) : deadline.signal;
    const timedOut = () => new FetchError('TRI_E023', `no complete answer within ${formatDelay(this.options.timeoutMs)}`, true);
    try {
      const response = await this.send(url, request, purpose, signal).catch((error: unknown) => {
        throw deadline.signal.aborted ? timedOut() : error;
      });
      const { status, headers, body } = response;
      if (status >= 300 && status < 400 && status !== 304) {
        body.resume();
        const location = headers.location;
        if (!location) throw new FetchError('TRI_E025', `HTTP ${status} without a Location header`, false, { httpStatus: status });
        return { location };
      }
      const etag = header(headers.etag);
      const lastModified = header(headers['last-modified']);
      if (status === 304) {
        body.resume();
        return { status: 'not-modified', etag, lastModified };
      }
      if (status < 200 || status >= 300) {
        body.resume();
        const retryable = status === 408 || status === 429 || status >= 500;
        const retryAfterMs = parseRetryAfter(header(headers['retry-after']));
        throw new FetchError('TRI_E025', `HTTP ${status}${response.statusText ? ` ${response.statusText}` : ''}`, retryable, { httpStatus: status, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
      }
      const contentType = header(headers['content-type']);
      const mediaType = contentType ? contentType.split(';')[0]!.trim().toLowerCase() : null;
      const charset = contentType ? /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType)?.[1] ?? null : null;
      if (mediaType && purpose !== 'robots' && !(purpose === 'page' ? PAGE_TYPES : FEED_TYPES).test(mediaType)) {
        body.destroy();
        throw new FetchError('TRI_E027', `the server sends ${mediaType}, not ${purpose === 'page' ? 'an HTML or text page' : 'a feed (RSS, Atom, RDF or JSON Feed)'}`, false);
      }
      const declared = Number(header(headers['content-length']));
      if (Number.isFinite(declared) && declared > maxBytes && !headers['content-encoding']) {
        body.destroy();
        throw new FetchError('TRI_E026', `the server announces ${formatBytes(declared)}, over the ${formatBytes(maxBytes)} limit`, false);
      }
      const bytes = await readBody(body, header(headers['content-encoding']), maxBytes).catch((error: unknown) => {
        throw deadline.signal.aborted ? timedOut() : error;
      });
      return { status: 'ok', httpStatus: status, bytes, mediaType, charset, etag, lastModified };
    } finally {
      clearTimeout(timer);
    }
  }

  private send(url: URL, request: FetchRequest, purpose: FetchPurpose, signal: AbortSignal): Promise<RawResponse> {
    const headers: Record<string, string> = {
      'user-agent': this.userAgent,
      accept: purpose === 'feed'
        ? 'application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml;q=0.9, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.1'
        : purpose === 'robots' ? 'text/plain, */*;q=0.1' : 'text/html, application/xhtml+xml;q=0.9, text/plain;q=0.5, */*;q=0.1',
      'accept-encoding': 'gzip, deflate, br',
    };
    if (request.etag) headers['if-none-match'] = request.etag;
    if (request.lastModified) headers['if-modified-since'] = request.lastModified;
    const literal = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(literal) && !this.addressAllowed(literal)) {
      return Promise.reject(new FetchError('TRI_E021', `${url.host} is a private, loopback or link-local address`, false));
    }
    const secure = url.protocol === 'https:';
    const client = secure ? https : http;
    const tls = secure && this.certificateAuthorities ? { ca: this.certificateAuthorities } : {};
    return new Promise<RawResponse>((resolve, reject) => {
      const req = client.request(url, { method: 'GET', headers, signal, lookup: this.safeLookup(url.hostname), agent: false, ...tls }, (res) => {
        resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', headers: res.headers, body: res });
      });
      req.on('error', (error) => reject(error instanceof FetchError ? error : networkError(error)));
      req.end();
    });
  }

  /** A DNS lookup that refuses hosts resolving to any address the policy refuses (all addresses are checked, so no rebinding through a second A record). */
  private safeLookup(hostname: string) {
    return (host: string, options: LookupOptions, callback: (error: Error | null, address: string | LookupAddress[], family?: number) => void) => {
      const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : options.family ?? 0;
      dnsLookup(host, { all: true, family }, (error, addresses) => {
        if (error) return callback(error, []);
        const refused = addresses.find((a) => !this.addressAllowed(a.address));
        if (refused) return callback(new FetchError('TRI_E021', `${hostname} resolves to ${refused.address}, a private, loopback or link-local address`, false), []);
        if (options.all) return callback(null, addresses);
        callback(null, addresses[0]!.address, addresses[0]!.family);
      });
    };
  }
}

/** Parses and checks a URL: http(s) only, no credentials. */
function checkUrl(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new FetchError('TRI_E020', `not a URL: "${value.slice(0, 200)}"`, false);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new FetchError('TRI_E020', `unsupported scheme "${url.protocol}" (only http and https are fetched)`, false);
  if (url.username || url.password) throw new FetchError('TRI_E020', 'URLs with credentials are not fetched', false);
  url.hash = '';
  return url;
}

/**
 * OpenSSL's verification codes for a certificate the client does not accept,
 * with who can fix it: retrying will not change them.
 */
const CERTIFICATE_ERRORS = new Map<string, 'issuer' | 'server'>([
  ['DEPTH_ZERO_SELF_SIGNED_CERT', 'issuer'], ['SELF_SIGNED_CERT_IN_CHAIN', 'issuer'], ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'issuer'],
  ['UNABLE_TO_GET_ISSUER_CERT', 'issuer'], ['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'issuer'], ['CERT_UNTRUSTED', 'issuer'],
  ['CERT_HAS_EXPIRED', 'server'], ['CERT_NOT_YET_VALID', 'server'], ['CERT_REVOKED', 'server'], ['ERR_TLS_CERT_ALTNAME_INVALID', 'server'],
]);

function networkError(error: Error): FetchError {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  if (error.name === 'AbortError') return new FetchError('TRI_E022', 'the fetch was stopped', false);
  const certificate = CERTIFICATE_ERRORS.get(code);
  if (certificate) {
    const advice = certificate === 'server' ? 'the server must fix its certificate' : 'if you trust its issuer, name the issuer\'s PEM file in NODE_EXTRA_CA_CERTS';
    return new FetchError('TRI_E022', `the server's TLS certificate is not accepted (${code}: ${error.message}); ${advice}`, false);
  }
  // A host that does not exist will not appear by retrying in a second.
  const retryable = !['ENOTFOUND', 'ERR_INVALID_URL'].includes(code);
  return new FetchError('TRI_E022', `${code || error.name}: ${error.message}`, retryable);
}

function failure(url: string, error: unknown): FetchFailure {
  if (error instanceof FetchError) {
    return { status: 'failed', url, message: message(error.code, url, error.reason), retryable: error.retryable, ...error.extra };
  }
  if (error instanceof Error && (error.name === 'AbortError' || (error as NodeJS.ErrnoException).code === 'ABORT_ERR')) {
    return { status: 'failed', url, message: message('TRI_E022', url, 'the fetch was stopped'), retryable: false };
  }
  throw error;
}

/** Reads a body through its content decoding, stopping as soon as the decoded size passes `maxBytes`. */
async function readBody(body: Readable, encoding: string | null, maxBytes: number): Promise<Uint8Array> {
  let stream: Readable = body;
  const coding = encoding?.trim().toLowerCase();
  if (coding === 'gzip' || coding === 'x-gzip') stream = body.pipe(createGunzip());
  else if (coding === 'deflate') stream = body.pipe(createInflate());
  else if (coding === 'br') stream = body.pipe(createBrotliDecompress());
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      size += (chunk as Buffer).length;
      if (size > maxBytes) {
        body.destroy();
        throw new FetchError('TRI_E026', `the body is over the ${formatBytes(maxBytes)} limit${stream !== body ? ' once decompressed' : ''}`, false);
      }
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    if (error instanceof FetchError) throw error;
    if (stream !== body && (error as NodeJS.ErrnoException).code?.startsWith('Z_')) throw new FetchError('TRI_E032', `cannot decode ${coding}: ${(error as Error).message}`, false);
    if ((error as Error).name === 'AbortError') throw error;
    throw new FetchError('TRI_E022', `the connection broke while reading the body: ${(error as Error).message}`, true);
  }
  return Buffer.concat(chunks);
}

function header(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  return Array.isArray(value) ? value[0] ?? null : value;
}

/** Retry-After as seconds or an HTTP date, in milliseconds from now. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Resolves after `ms`, or rejects when `signal` aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason ?? new Error('aborted'));
    const timer = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, ms);
    const onAbort = () => { clearTimeout(timer); reject(signal!.reason ?? new Error('aborted')); };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function formatDelay(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${Math.round(ms / 100) / 10} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  return `${Math.round(ms / 360_000) / 10} h`;
}

/**
 * The `SourceDocument` a fetched page makes: HTML or text by media type
 * (sniffed when the server sent none), the transport charset for the decoder,
 * the final URL as where it came from. The bytes are the body as served
 * (after content decoding), kept verbatim in the store.
 */
export function fetchedDocument(body: FetchedBody): SourceDocument {
  const format: SourceFormat = body.mediaType === 'text/plain' ? 'text' : body.mediaType ? 'html' : sniffFormat(body.bytes) === 'text' ? 'text' : 'html';
  const document: SourceDocument = { input: body.url, bytes: body.bytes, format, url: body.finalUrl };
  if (body.charset) document.charset = body.charset;
  return document;
}
