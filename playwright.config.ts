import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests. Browsers come from the system (Debian's Chromium), since Playwright's own
 * browser download is not reachable here; Electron specs skip where the Electron binary is
 * not installed.
 */
export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  // `altgen serve` serves out/renderer: build it first when it is missing or stale.
  globalSetup: './e2e/global-setup.ts',
  reporter: [['list']],
  timeout: 60_000,
  use: {
    screenshot: 'on',
    launchOptions: {
      executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
});
