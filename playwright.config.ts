import { defineConfig } from '@playwright/test';

/**
 * Every spec runs in the `browser` project (Debian Chromium against the
 * browser host on the training fleet). The `electron` project registers the
 * same specs; its fixture skips them, saying why, where no Electron binary
 * can be installed.
 */
/** Debian's Chromium: Playwright cannot download its own browser here. */
const chromium = {
  browserName: 'chromium' as const,
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  },
};

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results/e2e',
  timeout: 90_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  reporter: [['list'], ['json', { outputFile: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ?? 'test-results/e2e.json' }]],
  use: {
    viewport: { width: 1920, height: 1080 },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
  projects: [
    { name: 'browser', use: chromium },
    // The fixtures request a page before they can decide to skip, so this project needs a launchable browser too.
    { name: 'electron', use: chromium },
  ],
});
