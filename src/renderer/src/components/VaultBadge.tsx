import { useActions, useApp } from '../store/store';
import { vaultBadgeView } from '../vault/view';

/**
 * The Vault sign-in in the top bar: who is signed in, the time left on the
 * Vault token and where it is kept (clicking opens the details), or a
 * "Sign in to Vault" button; and Vault's problem (sealed, standby, denied,
 * unreachable) when there is one. Nothing when no Vault is configured.
 */
export function VaultBadge() {
  const overview = useApp((s) => s.vault);
  const now = useApp((s) => s.now);
  const { openVaultDialog } = useActions();
  if (overview === null) return null;
  const view = vaultBadgeView(overview, now);
  return (
    <div className={`vault-badge vault-badge--${view.state}`} data-testid="vault-badge" data-state={view.state}>
      {view.signedIn ? (
        <button type="button" className="vault-badge__session" onClick={openVaultDialog} title={`Vault sign-in at ${overview.session.address}: details and sign-out`}>
          <span className="vault-badge__dot" aria-hidden="true" />
          <span className="vault-badge__label">Vault</span>
          <span className="vault-badge__identity">{view.label}</span>
          {view.timeLeft !== undefined && <span className="muted">{view.timeLeft}</span>}
          <span className={view.storage === 'keychain' ? 'muted' : 'vault-badge__memory'} title={view.storageWarning}>
            {view.storage === 'keychain' ? 'keychain' : '⚠ memory only'}
          </span>
        </button>
      ) : (
        <>
          <span className="vault-badge__label">Vault: {view.label}</span>
          <button type="button" className="small" data-testid="vault-sign-in" onClick={openVaultDialog}>
            Sign in to Vault
          </button>
        </>
      )}
      {view.problem !== undefined && (
        <span className="vault-badge__problem" data-testid="vault-problem" role="status" title={view.problem}>
          {view.problem}
        </span>
      )}
    </div>
  );
}
