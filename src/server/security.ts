/**
 * The server's security rules, each in one function so the app only wires
 * them: response headers (a strict Content-Security-Policy: no inline script
 * or style anywhere), the Host check against DNS rebinding, the same-origin
 * check for writes, and the token writes need when one is set.
 */
import { timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from './errors.js';

/** Pages load their script and stylesheet from /static; nothing inline, nothing from elsewhere. */
export const PAGE_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
/** Raw inputs are shown as data: no script, no styles, no navigation, a sandbox of their own. */
export const RAW_CSP = "default-src 'none'; sandbox; frame-ancestors 'none'";

export function setSecurityHeaders(reply: FastifyReply): void {
  if (!reply.hasHeader('content-security-policy')) reply.header('content-security-policy', PAGE_CSP);
  reply.header('x-content-type-options', 'nosniff');
  reply.header('referrer-policy', 'no-referrer');
  reply.header('x-frame-options', 'DENY');
  reply.header('cross-origin-opener-policy', 'same-origin');
  reply.header('cross-origin-resource-policy', 'same-origin');
}

export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  return bare === 'localhost' || bare === '::1' || (isIP(bare) === 4 && bare.startsWith('127.'));
}

/** Host header without the port: `127.0.0.1`, `[::1]` -> `::1`, `example.org`. */
function hostName(header: string | undefined): string {
  if (!header) return '';
  const match = /^\[([^\]]+)\](?::\d+)?$/.exec(header) ?? /^([^:]+)(?::\d+)?$/.exec(header);
  return (match?.[1] ?? header).toLowerCase();
}

/**
 * A server bound to loopback answers only to loopback names: a web page on
 * another site cannot reach it through a DNS name that resolves to 127.0.0.1
 * (DNS rebinding). A server listening beyond loopback has a token instead.
 */
export function checkHost(request: FastifyRequest, loopbackOnly: boolean): void {
  if (!loopbackOnly) return;
  const host = hostName(request.headers.host);
  if (!isLoopbackHost(host)) throw new ApiError(421, 'TRI_E106', `this server answers to localhost and 127.0.0.1 only, not to "${host}"; open http://127.0.0.1:PORT/`);
}

/**
 * Writes must not come from another site's page: browsers send Origin (and
 * Sec-Fetch-Site) with every form post and fetch, so a mismatch is refused.
 * Clients that send neither (curl, scripts) are not browsers and pass.
 */
export function checkSameOrigin(request: FastifyRequest): void {
  const site = request.headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') throw new ApiError(403, 'TRI_E103', 'this request came from another site; changes are only accepted from this server\'s own pages');
  const origin = request.headers.origin;
  if (origin === undefined || origin === 'null') return;
  let originHost: string;
  try {
    originHost = new URL(origin).host.toLowerCase();
  } catch {
    throw new ApiError(403, 'TRI_E103', 'the Origin header is not a URL');
  }
  if (originHost !== (request.headers.host ?? '').toLowerCase()) throw new ApiError(403, 'TRI_E103', `this request came from ${origin}; changes are only accepted from this server's own pages`);
}

/** Token from `Authorization: Bearer …`, else from a form field. */
export function checkToken(expected: string | null, request: FastifyRequest, fieldToken?: unknown): void {
  if (!expected) return;
  const header = request.headers.authorization;
  const given = header?.startsWith('Bearer ') ? header.slice(7).trim() : typeof fieldToken === 'string' ? fieldToken : '';
  const [a, b] = [Buffer.from(given), Buffer.from(expected)];
  if (a.length !== b.length || !timingSafeEqual(a, b)) {
    throw new ApiError(401, 'TRI_E102', given ? 'the token is wrong; use the one this server was started with (--token or TRIANGULATE_TOKEN)' : 'this server needs its token to accept articles: send Authorization: Bearer TOKEN, or fill in the Access token field');
  }
}
