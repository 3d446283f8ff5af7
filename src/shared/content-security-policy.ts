/**
 * The page may load only its own bundle: no remote code, no inline scripts. One policy for
 * both hosts of the renderer: the Electron session sets it on every response, and
 * `altgen serve` sends it as a header.
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";
