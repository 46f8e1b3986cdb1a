import { defineConfig } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';

// Debian's Chromium, never a browser Playwright downloads (this network cannot reach its CDN).
// Override with KAITO_CHROMIUM=/path/to/chromium.
const executablePath = process.env.KAITO_CHROMIUM ?? '/usr/bin/chromium';

// Every workspace package with an e2e-tests/ folder becomes a project (as generateProjects() does,
// without its `channel: 'chrome'`, which needs branded Chrome).
const projects = ['packages', 'plugins'].flatMap(dir =>
  fs
    .readdirSync(dir)
    .filter(name => fs.existsSync(path.join(dir, name, 'e2e-tests')))
    .map(name => ({
      name,
      testDir: path.join(dir, name, 'e2e-tests'),
    })),
);

export default defineConfig({
  timeout: 60_000,
  expect: { timeout: 30_000 },

  // Outside CI, Playwright starts the dev servers (or reuses running ones, e.g. `scripts/start.sh`).
  // Under CI, scripts/e2e.sh builds and starts the backend, which serves the built app.
  webServer: process.env.CI
    ? []
    : [
        {
          command: 'yarn start app',
          url: 'http://localhost:3000',
          reuseExistingServer: true,
          timeout: 120_000,
        },
        {
          command: 'yarn start backend',
          port: 7007,
          reuseExistingServer: true,
          timeout: 60_000,
        },
      ],

  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  workers: 1,
  reporter: [
    ['list'],
    ['html', { open: 'never', outputFolder: 'e2e-test-report/html' }],
  ],

  use: {
    actionTimeout: 0,
    baseURL:
      process.env.PLAYWRIGHT_URL ??
      (process.env.CI ? 'http://localhost:7007' : 'http://localhost:3000'),
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },

  outputDir: 'node_modules/.cache/e2e-test-results',
  projects,
});
