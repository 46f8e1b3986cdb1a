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

/** The entity page's KAITO workspace card. */
export function workspaceCard(page: Page) {
  return page
    .locator('article, .MuiCard-root')
    .filter({ has: page.getByText('KAITO workspace', { exact: true }) })
    .first();
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
 * Fails on serious and critical axe violations (WCAG 2.x A/AA and best
 * practices, as axe runs by default). Every violation of any impact is written,
 * with each failing element and axe's reason, to e2e-test-report/axe-<name>.txt
 * (an empty file when there is none), so a failure says what to fix.
 */
export async function expectNoSeriousAxe(
  page: Page,
  name: string,
  include?: string,
) {
  const builder = new AxeBuilder({ page });
  const result = await (include ? builder.include(include) : builder).analyze();
  const report = result.violations.flatMap(v => [
    `${v.impact} ${v.id}: ${v.help} (${v.nodes.length} element(s); ${v.helpUrl})`,
    ...v.nodes.map(
      n =>
        `  ${n.target.join(' ')}\n    ${n.html.slice(0, 200)}\n    ${(
          n.failureSummary ?? ''
        ).replace(/\n\s*/g, ' ')}`,
    ),
  ]);
  fs.mkdirSync('e2e-test-report', { recursive: true });
  fs.writeFileSync(
    `e2e-test-report/axe-${name}.txt`,
    report.length ? `${report.join('\n')}\n` : '',
  );
  const failing = result.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => `${v.impact} ${v.id}: ${v.help}`);
  test.info().annotations.push({
    type: 'axe',
    description: `${result.violations.length} violation(s), ${result.passes.length} rule(s) passed`,
  });
  expect(
    failing,
    `serious or critical axe violations on ${name}; see e2e-test-report/axe-${name}.txt`,
  ).toEqual([]);
}
