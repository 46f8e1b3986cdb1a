import { test, expect } from '@playwright/test';

test('guest signs in, finds the example KAITO workspace and opens the templates page', async ({
  page,
}) => {
  await page.goto('/');

  const enterButton = page.getByRole('button', { name: 'Enter' });
  await expect(enterButton).toBeVisible();
  await enterButton.click();

  const nav = page.getByRole('navigation', { name: 'sidebar nav' });
  await expect(
    nav.getByRole('link', { name: 'Catalog', exact: true }),
  ).toBeVisible();

  // The example workspace is a Resource.
  await page.goto('/catalog?filters%5Bkind%5D=resource&filters%5Buser%5D=all');
  const workspaceLink = page.getByRole('link', {
    name: 'Phi-4 mini',
    exact: true,
  });
  await expect(workspaceLink).toBeVisible();
  await expect(
    page.getByRole('link', { name: 'KAITO simulator cluster' }),
  ).toBeVisible();
  await page.screenshot({
    path: 'e2e-test-report/screenshots/catalog.png',
    fullPage: true,
  });

  await workspaceLink.click();
  await expect(
    page.getByRole('heading', { name: 'Phi-4 mini' }).first(),
  ).toBeVisible();

  await page.goto('/create');
  await expect(
    page.getByText('Deploy a model with KAITO').first(),
  ).toBeVisible();
  await page.screenshot({
    path: 'e2e-test-report/screenshots/templates.png',
    fullPage: true,
  });
});
