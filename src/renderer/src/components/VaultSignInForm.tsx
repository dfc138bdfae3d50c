import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { VaultAuthMethod, VaultOverview } from '../../../shared/vault';
import type { VaultSignIn } from '../store/actions';
import { useActions } from '../store/store';
import { initialMethod, SIGN_IN_METHODS } from '../vault/view';
import { OidcWait } from './OidcWait';

type Pending = 'form' | 'oidc' | 'cli-token' | undefined;

/**
 * Signing in to Vault: a choice of method (username and password, LDAP, a
 * token, OIDC through the identity provider), the token `vault login` left
 * behind when there is one, and the host's answer when Vault says no. The
 * password and token live in this form's state only, and are cleared after
 * a refusal.
 */
export function VaultSignInForm({ overview }: { overview: VaultOverview }) {
  const { signInToVault, cancelVaultOidc } = useActions();
  const [method, setMethod] = useState<VaultAuthMethod>(() => initialMethod(overview));
  const [username, setUsername] = useState(overview.auth.username ?? '');
  const [password, setPassword] = useState('');
  const [token, setToken] = useState('');
  const [pending, setPending] = useState<Pending>();
  const [error, setError] = useState<string>();
  /** Bumped after a refusal: the cleared secret field takes focus once it is enabled again. */
  const [refused, setRefused] = useState(0);
  const firstField = useRef<HTMLInputElement>(null);
  const secretField = useRef<HTMLInputElement>(null);
  const cancelled = useRef(false);

  useEffect(() => {
    // The user name is prefilled for the configured method, so the password is where typing starts.
    const el = method === 'userpass' || method === 'ldap' ? (username === '' ? firstField.current : secretField.current) : firstField.current;
    el?.focus();
    // Only on a method change: focus must not jump while the admin types.
  }, [method]);

  useEffect(() => {
    if (refused > 0) secretField.current?.focus();
  }, [refused]);

  const run = async (kind: Exclude<Pending, undefined>, req: VaultSignIn): Promise<void> => {
    setPending(kind);
    setError(undefined);
    cancelled.current = false;
    try {
      // On success the store closes the dialog, and this form with it.
      await signInToVault(req);
    } catch (e) {
      if (!cancelled.current) setError(e instanceof Error ? e.message : String(e));
      setPassword('');
      setToken('');
      setPending(undefined);
      setRefused((n) => n + 1);
    }
  };

  const submit = (e: FormEvent): void => {
    e.preventDefault();
    if (pending !== undefined) return;
    if (method === 'userpass' || method === 'ldap') void run('form', { method, username: username.trim(), password });
    else if (method === 'token') void run('form', { method: 'token', token: token.trim() });
    else void run('oidc', { method: 'oidc', ...(overview.auth.role ? { role: overview.auth.role } : {}) });
  };

  const cancelOidc = (): void => {
    cancelled.current = true;
    void cancelVaultOidc().catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  };

  const busy = pending !== undefined;
  const ready = method === 'oidc' || (method === 'token' ? token.trim() !== '' : username.trim() !== '' && password !== '');
  return (
    <form className="vault-form" onSubmit={submit} aria-busy={busy}>
      <fieldset className="vault-form__methods" disabled={busy}>
        <legend className="section-title">Sign in with</legend>
        {SIGN_IN_METHODS.map((m) => (
          <label key={m.method} className={`vault-form__method${m.method === method ? ' is-active' : ''}`}>
            <input
              type="radio"
              name="vault-method"
              value={m.method}
              checked={m.method === method}
              data-testid={`vault-method-${m.method}`}
              onChange={() => {
                setMethod(m.method);
                setError(undefined);
              }}
            />
            {m.label}
          </label>
        ))}
      </fieldset>

      {(method === 'userpass' || method === 'ldap') && (
        <>
          <label className="vault-form__field">
            <span>{method === 'ldap' ? 'LDAP user name' : 'User name'}</span>
            <input ref={firstField} data-testid="vault-username" autoComplete="username" spellCheck={false} value={username} disabled={busy} onChange={(e) => setUsername(e.target.value)} />
          </label>
          <label className="vault-form__field">
            <span>Password</span>
            <input ref={secretField} type="password" data-testid="vault-password" autoComplete="current-password" value={password} disabled={busy} onChange={(e) => setPassword(e.target.value)} />
          </label>
        </>
      )}
      {method === 'token' && (
        <label className="vault-form__field">
          <span>Vault token</span>
          <input
            ref={(el) => {
              firstField.current = el;
              secretField.current = el;
            }}
            type="password"
            data-testid="vault-token"
            autoComplete="off"
            spellCheck={false}
            value={token}
            disabled={busy}
            onChange={(e) => setToken(e.target.value)}
          />
        </label>
      )}
      {method === 'oidc' && pending !== 'oidc' && <p className="muted">Opens your identity provider in the browser; Triptych continues once you have signed in there.</p>}
      {pending === 'oidc' && <OidcWait url={overview.oidcUrl} onCancel={cancelOidc} />}

      {overview.trainingPassword !== undefined && (
        <p className="vault-form__hint" data-testid="vault-training-hint">
          Training fleet: sign in as <strong>operator</strong> (or viewer/admin), password <strong>{overview.trainingPassword}</strong>
        </p>
      )}
      {overview.session.storageWarning !== undefined && (
        <p className="vault-form__warning" data-testid="vault-storage-warning">
          {overview.session.storageWarning}
        </p>
      )}
      {error !== undefined && (
        <p className="vault-form__error" role="alert" data-testid="vault-error">
          {error}
        </p>
      )}

      <div className="vault-form__actions">
        <button type="submit" className="primary" data-testid="vault-submit" disabled={busy || !ready}>
          {pending === 'form' || pending === 'oidc' ? 'Signing in…' : method === 'oidc' ? 'Sign in with OIDC' : 'Sign in'}
        </button>
        {overview.cliToken !== undefined && (
          <button type="button" data-testid="vault-cli-token" disabled={busy} onClick={() => void run('cli-token', { method: 'cli-token' })}>
            {pending === 'cli-token' ? 'Signing in…' : `Use the token from ${overview.cliToken}`}
          </button>
        )}
      </div>
    </form>
  );
}
