/**
 * A Vault token the admin already has: VAULT_TOKEN, else the file the vault
 * CLI's default token helper writes (~/.vault-token). The same precedence as
 * the CLI. The token is returned to the caller and nothing else: not logged,
 * not put in errors.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Env } from '../config';

export interface ExistingToken {
  token: string;
  /** Where it was found, for the UI ("signed in with the token from ~/.vault-token"). */
  from: 'VAULT_TOKEN' | '~/.vault-token';
}

/** The token from VAULT_TOKEN or ~/.vault-token, if either holds one. */
export async function findExistingToken(env: Env, home: string): Promise<ExistingToken | undefined> {
  const fromEnv = env.VAULT_TOKEN?.trim();
  if (fromEnv) return { token: fromEnv, from: 'VAULT_TOKEN' };
  let text: string;
  try {
    text = await readFile(path.join(home, '.vault-token'), 'utf8');
  } catch {
    // No file, or unreadable: there is simply nothing to import.
    return undefined;
  }
  const token = text.trim();
  return token ? { token, from: '~/.vault-token' } : undefined;
}
