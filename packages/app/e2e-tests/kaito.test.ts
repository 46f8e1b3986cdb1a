import { expect as baseExpect, test } from '@playwright/test';
import { SHOTS, expectNoSeriousAxe, signIn, watchErrors } from './helpers';
import { recreateWorkspace, simulatorAvailable } from './simulator';

// The CI machine is shared and slow: wait on what the page shows, with room to spare, and move
// between pages with in-app links (no full reload of the app).
const expect = baseExpect.configure({ timeout: 90_000 });
test.describe.configure({ timeout: 300_000 });

test("home, catalog and search are this product's and raise no errors", async ({
  page,
}) => {
  const watch = watchErrors(page);
  await signIn(page);

  // Home: the product's start links, none of create-app's demo widgets.
  await expect(
    page.getByRole('heading', { name: 'Kaito for Backstage' }),
  ).toBeVisible();
  await expect(
    page.getByRole('link', { name: 'Deploy a model' }),
  ).toBeVisible();
  await expect(
    page.getByRole('main').getByRole('link', { name: 'KAITO workspaces' }),
  ).toBeVisible();
  await expect(
    page.getByRole('link', { name: 'Example: Phi-4 mini' }),
  ).toBeVisible();
  await expect(page.getByText('Random Joke')).toHaveCount(0);
  await expect(page.getByText('How to Edit This Card')).toHaveCount(0);
  await expect(page).toHaveTitle('Home | Kaito for Backstage');
  await expect(page.locator('meta[name="description"]')).toHaveAttribute(
    'content',
    /KAITO/,
  );
  await page.screenshot({ path: `${SHOTS}/home.png`, fullPage: true });
  watch.expectNone('the home page');
  await expectNoSeriousAxe(page, 'home-page');

  // The catalog opens on Resources, where the example workspace is.
  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'Catalog', exact: true })
    .click();
  await expect(
    page.getByRole('link', { name: 'Phi-4 mini', exact: true }),
  ).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/catalog.png`, fullPage: true });
  watch.expectNone('the catalog');

  // Search answers (no "Missing index for techdocs"): the home page's search bar leads to it.
  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'Home' })
    .last()
    .click();
  const searchBar = page.getByRole('textbox', { name: /search/i }).first();
  await searchBar.fill('phi');
  await searchBar.press('Enter');
  await expect(
    page.getByRole('link', { name: /Phi-4 mini/ }).first(),
  ).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/search.png`, fullPage: true });
  watch.expectNone('the search page');
});

test('the example workspace card goes from provisioning to Ready, live', async ({
  page,
}) => {
  const watch = watchErrors(page);
  await signIn(page);

  if (simulatorAvailable()) {
    await recreateWorkspace('kaito-demo', 'phi-4-mini');
  } else {
    // eslint-disable-next-line no-console
    console.log(
      'skipped: recreating the workspace (KAITO_SIMULATOR_PORT unset); only Ready is checked',
    );
  }

  await page.getByRole('link', { name: 'Example: Phi-4 mini' }).click();
  const card = page
    .locator('article, .MuiCard-root')
    .filter({ has: page.getByText('KAITO workspace', { exact: true }) })
    .first();
  await expect(card).toBeVisible();
  const phase = card.getByTestId('kaito-phase');
  await expect(phase).toBeVisible();
  await expect(card.getByTestId('kaito-connection')).toContainText('Live');

  if (simulatorAvailable()) {
    await expect(phase).not.toHaveText(/^Ready$/);
    await expect(card.getByTestId('kaito-step-nodes')).toBeVisible();
    await page.screenshot({
      path: `${SHOTS}/workspace-provisioning.png`,
      fullPage: true,
    });
  }

  // Live: no reload, the stream moves the card along.
  await expect(phase).toHaveText('Ready', { timeout: 240_000 });
  await expect(card.getByTestId('kaito-step-ready')).toHaveAttribute(
    'data-status',
    'done',
  );
  await expect(card.getByTestId('kaito-fact-model')).toContainText(
    'phi-4-mini-instruct',
  );
  await expect(card.getByTestId('kaito-performance')).toContainText(
    'tokens/min',
  );
  await expect(card.getByTestId('kaito-endpoint')).toContainText(
    '/api/kaito/entity/resource/default/phi-4-mini/chat/completions',
  );
  await page.screenshot({
    path: `${SHOTS}/workspace-ready.png`,
    fullPage: true,
  });

  // The raw conditions are one click away.
  await card.getByRole('button', { name: /Conditions/ }).click();
  await expect(
    card.getByRole('table', { name: 'Workspace conditions' }),
  ).toContainText('InferenceReady');
  await page.screenshot({
    path: `${SHOTS}/workspace-conditions.png`,
    fullPage: true,
  });

  watch.expectNone('the entity page');
  await expectNoSeriousAxe(page, 'entity-page');
});

test('the workspaces page lists every workspace with its entity', async ({
  page,
}) => {
  const watch = watchErrors(page);
  await signIn(page);
  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'KAITO workspaces' })
    .click();
  await expect(
    page.getByRole('heading', { name: 'KAITO workspaces' }),
  ).toBeVisible();
  // The row whose Workspace cell is exactly this one (other specs add
  // phi-4-mini-… Workspaces to the same simulator).
  const row = page.getByRole('row').filter({
    has: page.getByRole('cell', { name: 'kaito-demo/phi-4-mini', exact: true }),
  });
  await expect(row).toBeVisible();
  await expect(row.getByRole('link', { name: 'Phi-4 mini' })).toBeVisible();
  await expect(row).toContainText('Standard_NC24ads_A100_v4');
  await page.screenshot({ path: `${SHOTS}/workspaces.png`, fullPage: true });
  watch.expectNone('the workspaces page');
  await expectNoSeriousAxe(page, 'workspaces-page');
});
