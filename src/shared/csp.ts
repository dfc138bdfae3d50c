/** The Content-Security-Policy of the console (Electron window and browser host alike): only its own scripts, no inline script, no frames. */
export function csp(wsOrigin: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    // Monaco and xterm set inline styles on elements they create.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src 'self' ${wsOrigin}`,
    // Monaco's workers are built files served from the app's own origin: no blob: workers (code no file holds).
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
