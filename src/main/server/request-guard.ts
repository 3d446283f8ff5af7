import { timingSafeEqual } from 'node:crypto';
import { TOKEN_PARAM } from '../../shared/bridge-protocol';

/**
 * Who may talk to `altgen serve`: the decisions, kept pure so they are tested without sockets.
 *
 * Guarantees, for every HTTP request and every WebSocket upgrade:
 * - there is exactly one Host header (400 otherwise): Node keeps only the first of several,
 *   and a proxy or cache in between may act on another;
 * - the Host header names this server by its loopback address or `localhost` and its port, so
 *   a page on another site whose DNS name is rebound to 127.0.0.1 is refused (421);
 * - an Origin header, when present, is this server's own origin (403 otherwise), so another
 *   site's page cannot drive the socket with the user's cookie;
 * - the session token (32 random bytes) is presented, in the query (the printed URL) or in
 *   the cookie the first page load sets (403 otherwise); tokens are compared in constant time.
 *
 * Not guaranteed: protection from other programs of the same user, which can read the printed
 * URL; the token is what a local user shares with the browser, nothing more.
 */

export interface GuardSettings {
  readonly port: number;
  readonly token: string;
}

export interface GuardedRequest {
  readonly url?: string;
  readonly headers: { readonly host?: string; readonly origin?: string; readonly cookie?: string };
  /** The headers as sent, name and value alternating: `headers` keeps only one Host. */
  readonly rawHeaders: readonly string[];
}

export type GuardVerdict =
  | { readonly ok: true; readonly pathname: string; readonly tokenInQuery: boolean }
  | { readonly ok: false; readonly status: 400 | 403 | 421; readonly reason: string };

/** The cookie is per port: two servers on one machine do not overwrite each other's session. */
export function sessionCookieName(port: number): string {
  return `altgen_session_${port}`;
}

/**
 * Kept by the browser for 400 days (the longest Chromium keeps any cookie): the port and the
 * token stay the same across restarts of `altgen serve`, so a bookmark keeps working.
 */
export const SESSION_COOKIE_MAX_AGE_SECONDS = 400 * 24 * 60 * 60;

export function sessionCookie(settings: GuardSettings): string {
  return `${sessionCookieName(settings.port)}=${settings.token}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${SESSION_COOKIE_MAX_AGE_SECONDS}`;
}

export function allowedHosts(port: number): readonly string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

export function tokensEqual(given: string, expected: string): boolean {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookieValue(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index > 0 && part.slice(0, index).trim() === name) return part.slice(index + 1).trim();
  }
  return null;
}

function hostHeaderCount(rawHeaders: readonly string[]): number {
  let count = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) if (rawHeaders[i]?.toLowerCase() === 'host') count += 1;
  return count;
}

export function checkRequest(request: GuardedRequest, settings: GuardSettings): GuardVerdict {
  if (hostHeaderCount(request.rawHeaders) > 1) return { ok: false, status: 400, reason: 'A request must carry one Host header.' };
  const host = request.headers.host?.toLowerCase();
  if (!host || !allowedHosts(settings.port).includes(host)) {
    return { ok: false, status: 421, reason: 'This server answers only to 127.0.0.1 and localhost.' };
  }
  const origin = request.headers.origin;
  if (origin !== undefined && origin.toLowerCase() !== `http://${host}`) {
    return { ok: false, status: 403, reason: 'Requests from other sites are refused.' };
  }
  let url: URL;
  try {
    url = new URL(request.url ?? '/', `http://${host}`);
  } catch {
    return { ok: false, status: 403, reason: 'Malformed request.' };
  }
  const queryToken = url.searchParams.get(TOKEN_PARAM);
  if (queryToken !== null && tokensEqual(queryToken, settings.token)) return { ok: true, pathname: url.pathname, tokenInQuery: true };
  const cookieToken = cookieValue(request.headers.cookie, sessionCookieName(settings.port));
  if (cookieToken !== null && tokensEqual(cookieToken, settings.token)) return { ok: true, pathname: url.pathname, tokenInQuery: false };
  return { ok: false, status: 403, reason: 'Open AltGen with the address `altgen serve` printed: it carries the session token.' };
}
