/**
 * OIDC sign-in the way `vault login -method=oidc` does it: ask Vault for the
 * identity provider's URL with a loopback redirect_uri, open it in the
 * system browser, wait on 127.0.0.1 for the provider to send the browser
 * back with code and state, and hand both to Vault's callback, which answers
 * with a Vault token. The browser never sees that token.
 *
 * The Vault role must list the redirect URI (default
 * http://localhost:8250/oidc/callback, the CLI's) in allowed_redirect_uris.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { VaultClient, VaultResponse } from './client';
import { VaultError } from './errors';
import { fromAuthBlock, type VaultAuth } from './login';

export interface OidcOptions {
  /** Mount of the OIDC auth method; default `oidc`. */
  mount?: string;
  /** Vault OIDC role; the mount's default_role when absent. */
  role?: string;
  /** Opens a URL in the system browser (Electron's shell.openExternal, after its own checks). */
  openExternal: (url: string) => Promise<void> | void;
  /** Loopback port; default 8250 (the vault CLI's). 0 picks a free one (tests). */
  port?: number;
  /** Host name in the redirect URI; default `localhost`, as the vault CLI registers it. */
  redirectHost?: string;
  /** How long to wait for the browser; default 2 minutes. */
  timeoutMs?: number;
  /** Aborting cancels the sign-in (the admin closed the dialog). */
  signal?: AbortSignal;
  now: () => number;
}

const PAGE = (title: string, text: string): string =>
  `<!doctype html><meta charset="utf-8"><title>${title}</title><body style="font:16px system-ui;margin:3em"><h1>${title}</h1><p>${text}</p></body>`;

/** Signs in through the system browser; resolves with the Vault token's VaultAuth. */
export async function signInWithOidc(client: VaultClient, opts: OidcOptions): Promise<VaultAuth> {
  const mount = (opts.mount ?? 'oidc').replace(/^\/+|\/+$/g, '');
  // Binds Vault's callback to this client: a code intercepted elsewhere cannot be redeemed without it.
  const clientNonce = randomBytes(20).toString('base64url');
  const loopback = await listen(opts.port ?? 8250);
  try {
    const redirectUri = `http://${opts.redirectHost ?? 'localhost'}:${loopback.port}/oidc/callback`;
    const res = await client.request<VaultResponse<{ auth_url?: string }>>('POST', `auth/${mount}/oidc/auth_url`, {
      body: { redirect_uri: redirectUri, client_nonce: clientNonce, ...(opts.role ? { role: opts.role } : {}) },
    });
    const authUrl = res?.data?.auth_url ?? '';
    // Vault answers with an empty URL (and only a server-side log line) when the redirect URI is not allowed.
    if (!authUrl) {
      throw new VaultError(
        'sign-in',
        `Vault gave no sign-in URL for the OIDC role${opts.role ? ` '${opts.role}'` : ''}: ask your Vault administrator to add ${redirectUri} to the role's allowed_redirect_uris.`,
      );
    }
    const url = new URL(authUrl);
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && ['127.0.0.1', 'localhost'].includes(url.hostname))) {
      throw new VaultError('sign-in', `Vault's OIDC sign-in URL is not https (${url.protocol}); refusing to open it.`);
    }
    const state = url.searchParams.get('state');
    if (!state) throw new VaultError('sign-in', "Vault's OIDC sign-in URL carries no state parameter; refusing to continue.");
    const answer = loopback.wait(state, opts.timeoutMs ?? 120_000, opts.signal);
    // The answer may come (or fail) while the browser is still being opened; it is awaited just below.
    answer.catch(() => undefined);
    await opts.openExternal(authUrl);
    const { code } = await answer;
    const auth = await client.login(`auth/${mount}/oidc/callback`, {
      method: 'GET',
      query: { state, code, client_nonce: clientNonce },
      secrets: [code, clientNonce],
    });
    return await fromAuthBlock(client, auth, 'oidc', opts.now);
  } finally {
    await loopback.close();
  }
}

interface Loopback {
  port: number;
  /** Resolves with the code once the browser brings back the expected state. */
  wait(state: string, timeoutMs: number, signal?: AbortSignal): Promise<{ code: string }>;
  close(): Promise<void>;
}

/** A one-shot HTTP listener on 127.0.0.1 for the provider's redirect. */
async function listen(port: number): Promise<Loopback> {
  let deliver: ((q: URLSearchParams) => string) | undefined;
  let cancel: (() => void) | undefined;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method !== 'GET' || url.pathname !== '/oidc/callback') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const reply = deliver ? deliver(url.searchParams) : 'Triptych is not waiting for a sign-in.';
    const ok = reply === '';
    res
      .writeHead(ok ? 200 : 400, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
      .end(ok ? PAGE('Signed in', 'Triptych has your sign-in. You can close this tab.') : PAGE('Sign-in failed', escapeHtml(reply)));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new VaultError('sign-in', `Port ${port} on 127.0.0.1 is in use (another sign-in, or vault login?): close it and try again.`)
          : new VaultError('sign-in', `Cannot listen on 127.0.0.1:${port} for the browser's answer: ${err.message}`),
      ),
    );
    // 127.0.0.1 only: nothing else on the network may answer in place of the browser.
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    wait(state, timeoutMs, signal) {
      return new Promise((resolve, reject) => {
        const finish = (err?: Error, code?: string): void => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          deliver = undefined;
          cancel = undefined;
          if (err) reject(err);
          else resolve({ code: code as string });
        };
        const timer = setTimeout(() => finish(new VaultError('sign-in', `No answer from the browser within ${Math.round(timeoutMs / 1000)} s; sign in again.`)), timeoutMs);
        const onAbort = (): void => finish(new VaultError('sign-in', 'Sign-in cancelled.'));
        signal?.addEventListener('abort', onAbort, { once: true });
        cancel = () => finish(new VaultError('sign-in', 'Sign-in ended.'));
        if (signal?.aborted) onAbort();
        deliver = (q) => {
          const error = q.get('error');
          if (error) {
            const why = `The identity provider refused the sign-in: ${error}${q.get('error_description') ? ` (${q.get('error_description')})` : ''}`;
            finish(new VaultError('sign-in', why));
            return why;
          }
          // A request with another state is not our browser coming back (a stale tab, or a forged link): ignore it.
          if (q.get('state') !== state) return 'This sign-in link does not belong to the sign-in Triptych is waiting for.';
          const code = q.get('code');
          if (!code) {
            finish(new VaultError('sign-in', 'The identity provider sent the browser back without a code.'));
            return 'No code in the answer.';
          }
          finish(undefined, code);
          return '';
        };
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        cancel?.();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
