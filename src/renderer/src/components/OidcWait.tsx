import { openableUrl } from '../vault/view';

/**
 * While an OIDC sign-in waits for the identity provider: the page to open
 * (the browser host cannot open a browser for its viewer, and a pop-up may
 * be blocked) and a way to give up. The address is a link only when it is
 * https or this machine's loopback; anything else is shown as text.
 */
export function OidcWait({ url, onCancel }: { url: string | undefined; onCancel: () => void }) {
  const href = url === undefined ? undefined : openableUrl(url);
  return (
    <div className="vault-oidc" role="status" data-testid="vault-oidc-wait">
      <p className="vault-oidc__waiting">Waiting for your identity provider…</p>
      {url !== undefined && (
        <p className="vault-oidc__url">
          If no browser window opened, open{' '}
          {href !== undefined ? (
            <a href={href} target="_blank" rel="noopener noreferrer" data-testid="vault-oidc-url">
              {url}
            </a>
          ) : (
            <span className="mono" data-testid="vault-oidc-url">
              {url}
            </span>
          )}
        </p>
      )}
      <button type="button" data-testid="vault-oidc-cancel" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}
