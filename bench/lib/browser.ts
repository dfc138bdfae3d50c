/**
 * Debian's Chromium for the benchmark's page measurements, launched as the
 * e2e tests launch it, and the page-side probe every such measurement shares.
 */
import { chromium, type Browser } from '@playwright/test';

/** Launches Debian's Chromium (CHROMIUM_PATH overrides), with the e2e suite's flags. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/**
 * Page script (appended to a probe that defines `b = window.__bench` with
 * `recording`, `frames` and `longTasks`): while recording, every animation
 * frame's time and every long task's duration.
 */
export const FRAMES_AND_LONG_TASKS = `
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (b.recording) b.longTasks.push(e.duration);
  }).observe({ type: 'longtask' });
  const loop = (t) => {
    if (b.recording) b.frames.push(t);
    requestAnimationFrame(loop);
  };
  requestAnimationFrame(loop);
`;
