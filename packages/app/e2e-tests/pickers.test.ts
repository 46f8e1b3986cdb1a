import { expect as baseExpect, test } from '@playwright/test';
import { SHOTS, signIn, watchErrors } from './helpers';
import { expectAccessible, modelFit, sizeDetails } from './pickers';
import { field, fill, openTemplate, pickOption } from './scaffolder';

const expect = baseExpect.configure({ timeout: 90_000 });
test.describe.configure({ timeout: 300_000 });

const LLAMA = 'meta-llama/Llama-3.3-70B-Instruct';
const PHI = 'microsoft/Phi-4-mini-instruct';
const A100 = 'Standard_NC24ads_A100_v4';

test('the workspace form shows fit, nodes and cost, and a misfit blocks Next with its reason', async ({
  page,
}) => {
  const watch = watchErrors(page);
  await signIn(page);
  await openTemplate(page, 'Deploy a model with KAITO');

  // The default model gets the cheapest size that fits, preselected, with its nodes and cost.
  await expect(field(page, 'Model')).toHaveValue(PHI);
  const details = sizeDetails(page);
  await expect(details).toContainText('cheapest that fits');
  await expect(details.getByTestId('kaito-instance-type-nodes')).toHaveText(
    '1 node',
  );
  await expect(details.getByTestId('kaito-instance-type-cost')).toContainText(
    /Cost: USD \d+\.\d\d\/h for 1 node/,
  );
  await page.screenshot({
    path: `${SHOTS}/pickers-cheapest.png`,
    fullPage: true,
  });

  // A size the user picks stays; too few GPU nodes for a large model is a misfit with its reason.
  await fill(page, 'Name', 'pickers-e2e');
  await page.getByRole('textbox', { name: /^Cluster/ }).fill('kaito-simulator');
  await pickOption(page, 'GPU instance type', A100);
  await page.getByRole('spinbutton', { name: /^GPU nodes/ }).fill('1');
  await pickOption(page, 'Model', LLAMA);
  await fill(page, 'Hugging Face token secret', 'hf-token');
  await expect(modelFit(page)).toHaveAttribute('data-fit', 'misfit');
  await expect(modelFit(page)).toContainText(
    `Does not fit ${A100}: ${LLAMA} needs 3 ${A100} nodes, but GPU nodes is set to 1`,
  );
  await expect(details.getByTestId('kaito-instance-type-reason')).toContainText(
    'GPU nodes is set to 1',
  );
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(
    page.getByText(`${A100} cannot run ${LLAMA}`, { exact: false }).first(),
  ).toBeVisible();
  await expect(field(page, 'Model')).toBeVisible();
  await page.screenshot({
    path: `${SHOTS}/pickers-misfit.png`,
    fullPage: true,
  });
  await expectAccessible(page, 'pickers-misfit');

  // Leaving GPU nodes empty lets KAITO size it: the same size fits on 3 nodes, costed.
  await page.getByRole('spinbutton', { name: /^GPU nodes/ }).fill('');
  await expect(modelFit(page)).toHaveAttribute('data-fit', 'fits');
  await expect(modelFit(page)).toContainText(
    new RegExp(`Fits ${A100}: 3 nodes · USD \\d+\\.\\d\\d/h`),
  );
  await expect(details.getByTestId('kaito-instance-type-nodes')).toHaveText(
    '3 nodes',
  );

  // The list keeps sizes that cannot run the model, disabled, with the reason.
  await field(page, 'GPU instance type').click();
  const retired = page.getByRole('option', { name: /^Standard_NC6s_v3/ });
  await expect(retired).toHaveAttribute('aria-disabled', 'true');
  await expect(retired).toContainText('(retired)');
  const amd = page.getByRole('option', { name: /^Standard_NG32ads_V620_v1/ });
  await expect(amd).toHaveAttribute('aria-disabled', 'true');
  await expect(amd).toContainText('NVIDIA');
  await page.screenshot({ path: `${SHOTS}/pickers-sizes.png`, fullPage: true });
  await expectAccessible(page, 'pickers-sizes');
  await page.keyboard.press('Escape');

  await page.screenshot({ path: `${SHOTS}/pickers-fit.png`, fullPage: true });
  await expectAccessible(page, 'pickers-fit');
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByRole('textbox', { name: /^Owner/ })).toBeVisible();
  watch.expectNone('the workspace form');
});
