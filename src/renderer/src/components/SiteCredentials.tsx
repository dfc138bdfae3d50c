import { useState } from 'react';
import { useActions, useApp } from '../store/store';
import { credentialView } from '../vault/view';

/**
 * Where a site's credentials come from and how long the current lease
 * lasts, Vault's problem when it cannot issue or refresh them, and a way to
 * fetch them again after a failure or expiry. Nothing for a site whose
 * credentials do not come from Vault.
 */
export function SiteCredentials({ site }: { site: string }) {
  const creds = useApp((s) => s.vault?.sites.find((c) => c.site === site));
  const connectionError = useApp((s) => s.status[site]?.error);
  const now = useApp((s) => s.now);
  const { reconnectCredentials } = useActions();
  const [fetching, setFetching] = useState(false);
  const [error, setError] = useState<string>();
  if (creds === undefined) return null;
  const view = credentialView(creds, now);
  // While the site waits for credentials its connection line already carries the same words.
  const problem = view.problem !== undefined && view.problem !== connectionError ? view.problem : undefined;

  const refetch = async (): Promise<void> => {
    setFetching(true);
    setError(undefined);
    try {
      await reconnectCredentials(site);
    } catch (e) {
      // A read-only (viewer) connection lands here too; the host says so.
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setFetching(false);
    }
  };

  return (
    <div className={`creds creds--${view.state}${view.signedOut ? ' creds--signed-out' : ''}`} data-testid="site-credentials" data-state={view.state}>
      <span className="creds__summary" data-testid="site-credentials-summary">
        {view.summary}
      </span>
      {problem !== undefined && (
        <span className="creds__problem" data-testid="site-credentials-problem">
          {problem}
        </span>
      )}
      {view.canReconnect && (
        <button type="button" className="small" data-testid="site-reconnect-credentials" disabled={fetching} onClick={() => void refetch()}>
          {fetching ? 'Fetching…' : 'Fetch new credentials'}
        </button>
      )}
      {error !== undefined && (
        <span className="creds__problem" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
