import {
  expect as baseExpect,
  type Locator,
  type Page,
} from '@playwright/test';

/**
 * The scaffolder's form and task page as a person uses them: templates chosen from the
 * Create page, fields found by their labels, the task followed until its links show.
 */
const expect = baseExpect.configure({ timeout: 90_000 });

/** Opens a template from the sidebar's Create page by its title. */
export async function openTemplate(page: Page, title: string) {
  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: /^Create/ })
    .click();
  // The innermost card with that heading (template groups are cards too).
  const card = page
    .locator('.MuiCard-root')
    .filter({ has: page.getByRole('heading', { name: title, exact: true }) })
    .last();
  await expect(card).toBeVisible();
  await card.getByRole('button', { name: 'Choose' }).click();
  await expect(
    page.getByRole('heading', { name: title }).first(),
  ).toBeVisible();
}

/** A text or number field by its label (the label's required mark ignored). */
export function field(page: Page, label: string): Locator {
  return page.getByRole('textbox', {
    name: new RegExp(`^${escape(label)}\\s*\\*?$`),
  });
}

export async function fill(page: Page, label: string, value: string) {
  const input = field(page, label);
  await expect(input).toBeVisible();
  await input.fill(value);
}

/**
 * Types into a searchable picker (the KAITO model and size pickers) and picks the option that
 * starts with `value`.
 */
export async function pickOption(page: Page, label: string, value: string) {
  const input = field(page, label);
  await expect(input).toBeVisible();
  await input.click();
  await input.fill(value);
  const option = page
    .getByRole('option', { name: new RegExp(`^${escape(value)}\\b`) })
    .first();
  await expect(option).toBeVisible();
  await option.click();
  await expect(page.getByRole('listbox')).toHaveCount(0);
  await expect(input).toHaveValue(value);
}

/** Sets a boolean field. */
export async function check(page: Page, label: string, on: boolean) {
  const box = page.getByRole('checkbox', { name: new RegExp(escape(label)) });
  await expect(box).toBeVisible();
  await box.setChecked(on);
}

/** Types into an entity picker (OwnerPicker, EntityPicker) and picks the matching option. */
export async function pickEntity(
  page: Page,
  label: string,
  typed: string,
  option: RegExp,
) {
  const input = field(page, label);
  await expect(input).toBeVisible();
  await input.click();
  await input.fill(typed);
  const item = page.getByRole('option', { name: option }).first();
  await expect(item).toBeVisible();
  await item.click();
}

export async function next(page: Page) {
  await page.getByRole('button', { name: 'Next' }).click();
}

/** Review, then Create; resolves on the task page. */
export async function reviewAndCreate(page: Page) {
  await page.getByRole('button', { name: 'Review' }).click();
  const create = page.getByRole('button', { name: 'Create' });
  await expect(create).toBeEnabled();
  await create.click();
  await expect(page).toHaveURL(/\/create\/tasks\//);
}

/** Follows the task until the link it ends with; its log is shown once the task is done. */
export async function followTask(page: Page, linkTitle: string) {
  const link = page.getByRole('link', { name: linkTitle });
  await expect(link).toBeVisible({ timeout: 240_000 });
  await expect(page.getByText(/Finished step/).last()).toBeVisible();
  return link;
}

function escape(text: string) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
