import AxeBuilder from '@axe-core/playwright';
import { expect as baseExpect, type Page } from '@playwright/test';
import fs from 'node:fs';

/**
 * The KAITO scaffolder pickers (KaitoModelPicker, KaitoInstanceTypePicker) as a person uses
 * them: what they show, and the form's accessibility. Typing and picking is scaffolder.ts's
 * field() and pickOption().
 */
const expect = baseExpect.configure({ timeout: 90_000 });

/** The instance type picker's panel: fit, nodes, cost, quota or the reason it does not fit. */
export function sizeDetails(page: Page) {
  return page.getByTestId('kaito-instance-type-details');
}

/** The model picker's badge for the chosen size. */
export function modelFit(page: Page) {
  return page.getByTestId('kaito-model-fit');
}

/**
 * Runs axe on the template form (or `include`) and fails on serious or critical violations; every violation, with its
 * elements, is written to e2e-test-report/axe-<name>.txt (empty when there is none).
 */
export async function expectAccessible(
  page: Page,
  name: string,
  include = 'form',
) {
  const result = await new AxeBuilder({ page }).include(include).analyze();
  const report = result.violations.flatMap(v => [
    `${v.impact} ${v.id}: ${v.help}`,
    ...v.nodes.map(
      n =>
        `  ${n.target.join(' ')}: ${(n.failureSummary ?? '').replace(
          /\n\s*/g,
          ' ',
        )}`,
    ),
  ]);
  fs.mkdirSync('e2e-test-report', { recursive: true });
  fs.writeFileSync(
    `e2e-test-report/axe-${name}.txt`,
    report.length ? `${report.join('\n')}\n` : '',
  );
  expect(
    result.violations
      .filter(v => v.impact === 'serious' || v.impact === 'critical')
      .map(v => `${v.impact} ${v.id}: ${v.help}`),
    `axe on ${name}; see e2e-test-report/axe-${name}.txt`,
  ).toEqual([]);
}
