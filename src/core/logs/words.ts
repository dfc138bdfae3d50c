/** Failures and durations in the clear words markers use. */
import { KubeHttpError } from '../kube/http';

export function describeError(e: unknown): string {
  const err = e as Error & { code?: string };
  switch (err?.code) {
    case 'ECONNREFUSED':
      return 'connection refused: the API server is not reachable';
    case 'ECONNRESET':
      return 'connection reset by the API server';
    case 'ETIMEDOUT':
      return 'the connection timed out';
    case 'ENOTFOUND':
      return 'the API server name does not resolve';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'the API server network is unreachable';
  }
  if (e instanceof KubeHttpError) {
    if (e.status === 401) return `the credentials were refused (401): ${e.message}`;
    if (e.status === 403) return `not allowed (403): ${e.message}`;
    return `${e.status}${e.reason ? ` ${e.reason}` : ''}: ${e.message}`;
  }
  if (err?.message === 'aborted') return 'the connection was cut';
  return err?.message ?? String(e);
}

export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const m = Math.floor(ms / 60_000);
  return `${m} min ${Math.round((ms % 60_000) / 1000)} s`;
}
