import { useState } from 'react';
import { useModalDialog } from '../hooks/useModalDialog';
import type { VaultOverview } from '../../../shared/vault';
import { useActions, useApp } from '../store/store';
import { isSignedIn } from '../vault/view';
import { VaultSessionDetails } from './VaultSessionDetails';
import { VaultSignInForm } from './VaultSignInForm';

/**
 * The Vault dialog, opened from the top bar's badge: the sign-in form, or
 * once signed in the session's details and sign-out. A native modal
 * <dialog>: the rest of the page is inert while it is open, and Escape
 * closes it (useGlobalKeys, or the dialog's own cancel).
 */
export function VaultDialog() {
  const open = useApp((s) => s.ui.vaultDialogOpen);
  const overview = useApp((s) => s.vault);
  if (!open || overview === null) return null;
  return <VaultModal overview={overview} />;
}

function VaultModal({ overview }: { overview: VaultOverview }) {
  const { closeVaultDialog } = useActions();
  const { ref, onCancel } = useModalDialog(closeVaultDialog);
  // Signed in, the dialog shows the session; "Sign in again" switches to the form (another account, or a token near its end).
  const [signingInAgain, setSigningInAgain] = useState(false);



  const s = overview.session;
  const showForm = !isSignedIn(s.state) || signingInAgain;
  return (
    <dialog ref={ref} className="vault-dialog modal" data-testid="vault-dialog" aria-labelledby="vault-dialog-title" onCancel={onCancel}>
      <div className="vault-dialog__head modal__head">
        <h2 id="vault-dialog-title" className="vault-dialog__title modal__title">
          {showForm ? 'Sign in to Vault' : 'Vault sign-in'}
        </h2>
        <button type="button" className="icon-button" aria-label="Close" title="Close (Esc)" onClick={closeVaultDialog}>
          ✕
        </button>
      </div>
      <p className="vault-dialog__where muted" data-testid="vault-address">
        Vault at <span className="mono">{s.address}</span>
        {s.namespace ? (
          <>
            {' '}
            · namespace <span className="mono">{s.namespace}</span>
          </>
        ) : null}{' '}
        · from {overview.addressFrom}
      </p>
      {showForm ? <VaultSignInForm overview={overview} /> : <VaultSessionDetails overview={overview} onSignInAgain={() => setSigningInAgain(true)} />}
    </dialog>
  );
}
