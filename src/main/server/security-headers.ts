import { CONTENT_SECURITY_POLICY } from '../../shared/content-security-policy';

/**
 * Headers on every response of `altgen serve`: the same Content-Security-Policy as the
 * Electron window (the page loads only its own bundle and talks only to its own origin, which
 * includes the bridge's ws:// URL), no framing, no MIME sniffing, no referrer (the page URL
 * carries the session token), and nothing cached.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
  'Cache-Control': 'no-store',
};
