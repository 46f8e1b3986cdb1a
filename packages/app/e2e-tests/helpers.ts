import AxeBuilder from '@axe-core/playwright';
import fs from 'node:fs';
import { expect as baseExpect, test, type Page } from '@playwright/test';

const expect = baseExpect.configure({ timeout: 90_000 });

export const SHOTS = 'e2e-test-report/screenshots';

/**
 * Waits until the backend answers its readiness check. The e2e backend runs in development mode,
 * which restarts when a source file changes; a test starting during a restart waits it out.
 */
export async function backendReady(page: Page) {
  await expect
    .poll(
      async () => {
        try {
          return (
            await page.request.get('/.backstage/health/v1/readiness')
          ).status();
        } catch {
          return 0;
        }
      },
      { timeout: 240_000, intervals: [1000] },
    )
    .toBe(200);
}

/** Signs in as the guest from the sign-in page. */
export async function signIn(page: Page) {
  await backendReady(page);
  await page.goto('/');
  const enter = page.getByRole('button', { name: 'Enter' });
  await expect(enter).toBeVisible();
  await enter.click();
  await expect(
    page
      .getByRole('navigation', { name: 'sidebar nav' })
      .getByRole('link', { name: 'Catalog', exact: true }),
  ).toBeVisible();
}

/**
 * Records console errors, uncaught page errors and failed API lookups (4xx/5xx under /api, except
 * the ones a test expects), so a test can assert a page raised none.
 */
export function watchErrors(page: Page) {
  const errors: string[] = [];
  page.on('console', msg => {
    if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', error => errors.push(`page error: ${error.message}`));
  page.on('response', response => {
    const url = new URL(response.url());
    if (url.pathname.startsWith('/api/') && response.status() >= 400) {
      errors.push(`${response.status()} ${url.pathname}${url.search}`);
    }
  });
  return {
    errors,
    /** Asserts nothing went wrong since the last call, naming the page. */
    expectNone(where: string) {
      expect(errors, `errors on ${where}`).toEqual([]);
      errors.length = 0;
    },
  };
}

/**
 * Fails on critical axe violations. Serious ones are recorded, not failed on:
 * the open ones (colour contrast in Backstage's code highlighter and captions,
 * link names, the core Table's sort labels) are listed in the closing note of
 * the frontend issue; they are written to e2e-test-report/axe-<name>.txt.
 */
export async function expectNoCriticalAxe(
  page: Page,
  name: string,
  include?: string,
) {
  const builder = new AxeBuilder({ page });
  const result = await (include ? builder.include(include) : builder).analyze();
  const lines = (impact: string) =>
    result.violations
      .filter(v => v.impact === impact)
      .map(
        v =>
          `${v.impact} ${v.id}: ${v.help} (${v.nodes
            .slice(0, 3)
            .map(n => n.target.join(' '))
            .join(', ')})`,
      );
  const serious = lines('serious');
  fs.mkdirSync('e2e-test-report', { recursive: true });
  fs.writeFileSync(
    `e2e-test-report/axe-${name}.txt`,
    `${serious.join('\n')}\n`,
  );
  test.info().annotations.push({
    type: 'axe serious',
    description: serious.join('; ') || 'none',
  });
  expect(lines('critical')).toEqual([]);
}
