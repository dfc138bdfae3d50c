/**
 * What the editors' store needs from outside, injected so that its logic
 * runs under Vitest with a fake client and a manual timer.
 */
import type { TriptychClient } from '../api';

export interface EditorDeps {
  /** The contract client (see src/renderer/src/api). */
  client(): Promise<TriptychClient>;
  /** Runs `fn` once after `ms`; returns a cancel function. */
  timer(fn: () => void, ms: number): () => void;
}

/** One editor's part of the store: undefined while that editor is closed. */
export interface Slice<S> {
  get(): S | undefined;
  set(s: S | undefined): void;
}

/** An error as the editor shows it: the host's own words (ContractError messages are written for the admin). */
export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The contract's error code, when the error came from the host ('forbidden' for a read-only console, 'bad-request' for a conflict…). */
export function errorCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
