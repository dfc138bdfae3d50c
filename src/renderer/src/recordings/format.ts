/** What the Recordings dialog shows of sizes and durations, and the checks of its two small forms. */
import type { RecordingInfo, ReplayStatus } from '../../../shared/recording';

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/** How long a recording covers (so far, while it records). */
export function formatDuration(r: RecordingInfo, now: number): string {
  const ms = Math.max(0, (r.endedAt ?? now) - r.startedAt);
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

export function replayText(r: ReplayStatus): string {
  const what = `${r.recording} into ${r.site} at ${r.speed}×: ${r.applied} of ${r.total} events`;
  switch (r.state) {
    case 'playing':
      return `Replaying ${what}`;
    case 'done':
      return `Replayed ${what}`;
    case 'stopped':
      return `Stopped replaying ${what}`;
    case 'failed':
      return `Replay failed (${what})${r.error ? `: ${r.error}` : ''}`;
  }
}

/** Why the minutes field cannot be used as typed, or undefined when it can. */
export function minutesProblem(text: string): string | undefined {
  const n = Number(text);
  if (text.trim() === '' || !Number.isInteger(n) || n < 1 || n > 1440) return 'Minutes must be a whole number from 1 to 1440 (a day).';
  return undefined;
}

/** Why the speed field cannot be used as typed, or undefined when it can. */
export function speedProblem(text: string): string | undefined {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < 0.1 || n > 1000) return 'Speed must be a number from 0.1 to 1000 (1 = as recorded, 10 = ten times faster).';
  return undefined;
}
