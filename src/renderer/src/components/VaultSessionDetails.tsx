import { useState } from 'react';
import type { VaultOverview } from '../../../shared/vault';
import { useActions, useApp } from '../store/store';
import { SIGN_IN_METHODS, timeLeft } from '../vault/view';

/**
 * The Vault session once signed in: who, with which policies, until when,
 * where the token is kept (with the reason when in memory only), Vault's
 * current problem, and sign-out (which also revokes every site's lease).
 */
export function VaultSessionDetails({ overview, onSignInAgain }: { overview: VaultOverview; onSignInAgain: () => void }) {
  const now = useApp((s) => s.now);
  const { signOutOfVault } = useActions();
  const [signingOut, setSigningOut] = useState(false);
  const [error, setError] = useState<string>();
  const s = overview.session;
  const left = timeLeft(s.expiresAt, now);

  const signOut = async (): Promise<void> => {
    setSigningOut(true);
    setError(undefined);
    try {
      await signOutOfVault();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      setSigningOut(false);
    }
  };

  return (
    <div className="vault-session" data-testid="vault-session">
      <dl className="summary">
        <div>
          <dt>Signed in as</dt>
          <dd data-testid="vault-identity">{s.identity ?? '–'}</dd>
        </div>
        <div>
          <dt>Method</dt>
          <dd>{SIGN_IN_METHODS.find((m) => m.method === s.method)?.label ?? s.method ?? '–'}</dd>
        </div>
        <div>
          <dt>Token</dt>
          <dd data-testid="vault-token-expiry">{s.expiresAt === undefined ? 'does not expire' : `${left} (until ${new Date(s.expiresAt).toLocaleTimeString()})`}</dd>
        </div>
        <div>
          <dt>Kept in</dt>
          <dd>{s.storage === 'keychain' ? 'the OS keychain' : 'memory only'}</dd>
        </div>
      </dl>
      {s.policies !== undefined && s.policies.length > 0 && (
        <div className="vault-session__policies">
          <h3 className="section-title">Policies</h3>
          <ul className="chips">
            {s.policies.map((p) => (
              <li key={p} className="chip">
                {p}
              </li>
            ))}
          </ul>
        </div>
      )}
      {s.storageWarning !== undefined && (
        <p className="vault-form__warning" data-testid="vault-storage-warning">
          {s.storageWarning}
        </p>
      )}
      {s.problem !== undefined && (
        <p className="vault-form__error" data-testid="vault-session-problem">
          {s.problem.message}
        </p>
      )}
      {error !== undefined && (
        <p className="vault-form__error" role="alert" data-testid="vault-error">
          {error}
        </p>
      )}
      <div className="vault-form__actions">
        <button type="button" data-testid="vault-sign-out" disabled={signingOut} onClick={() => void signOut()}>
          {signingOut ? 'Signing out…' : 'Sign out'}
        </button>
        <button type="button" disabled={signingOut} onClick={onSignInAgain}>
          Sign in again
        </button>
      </div>
      <p className="muted vault-session__note">Signing out revokes the Vault token and every site's credentials; the sites then wait for the next sign-in.</p>
    </div>
  );
}
