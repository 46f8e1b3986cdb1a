import { expect as baseExpect, test } from '@playwright/test';
import { signIn, watchErrors, workspaceCard as card } from './helpers';
import {
  check,
  field,
  fill,
  followTask,
  next,
  openTemplate,
  pickEntity,
  pickOption,
  reviewAndCreate,
} from './scaffolder';
import { deleteWorkspaceIfPresent, scriptedFault } from './faults';

/**
 * The whole journey a person walks (issue 12): sign in, create an AKS cluster on the simulator's
 * ARM, deploy a model on it, watch it become Ready, chat with it, deploy a second model that runs
 * short of GPU quota (scripted by scripts/e2e.sh through KAITO_SIMULATOR_FAULTS), and
 * decommission that one. Every wait is on what the page shows; a screenshot per step.
 */
const expect = baseExpect.configure({ timeout: 90_000 });
test.describe.configure({ timeout: 600_000 });

const OWNER = /ML platform team/;
const A10 = 'Standard_NV36ads_A10_v5';
/** Needs two A10 nodes. */
const TOO_BIG = 'microsoft/phi-4';
/** Fits one A10 node. */
const FITS = 'microsoft/Phi-4-mini-instruct';

test('the whole journey: from nothing to a chat, a fault and a decommission', async ({
  page,
}, info) => {
  const started = Date.now();
  const stepTimes: string[] = [];
  let mark = started;
  /** Screenshot `journey-<step>-<name>.png`, and the time since the last one. */
  const shot = async (n: number, step: string) => {
    await page.screenshot({
      path: `e2e-test-report/journey-${n}-${step}.png`,
      fullPage: true,
    });
    const now = Date.now();
    stepTimes.push(`${n} ${step} ${((now - mark) / 1000).toFixed(1)} s`);
    mark = now;
  };
  // Unique per run and per retry, so nothing collides with the other specs or an earlier attempt.
  const suffix = `${Date.now().toString(36).slice(-4)}${info.retry}`;
  const prefix = `j${suffix}`;
  const clusterName = `${prefix}-aks`;
  const modelName = `journey-${suffix}`;
  const fault = scriptedFault('quotaExceeded');
  const watch = watchErrors(page);

  // 1. Sign in as the guest.
  await signIn(page);
  await shot(1, 'signed-in');

  // 2. The AKS cluster template, direct mode, on the simulator's ARM.
  await openTemplate(page, 'AKS cluster with KAITO');
  await fill(page, 'Name prefix', prefix);
  await next(page);
  await check(page, 'Deploy this model on the new cluster', false);
  await next(page);
  await pickEntity(page, 'Owner', 'ml', OWNER);
  await reviewAndCreate(page);
  await followTask(page, 'The cluster in the catalog');
  await expect(page.getByText(/API server `?https?:/).first()).toBeVisible();
  await shot(2, 'cluster-created');

  // 3. The workspace template: a model that does not fit the size, with the reason; then one
  // that fits, with its nodes and cost (the KAITO pickers, for the new cluster's region and quota).
  await openTemplate(page, 'Deploy a model with KAITO');
  await fill(page, 'Name', modelName);
  await pickEntity(page, 'Cluster', clusterName, new RegExp(clusterName));
  await page.getByRole('spinbutton', { name: /^GPU nodes/ }).fill('1');
  // With one GPU node, A10 cannot run phi-4: the size stays listed, disabled, with the reason.
  await pickOption(page, 'Model', TOO_BIG);
  await field(page, 'GPU instance type').click();
  const a10 = page.getByRole('option', { name: new RegExp(`^${A10}`) });
  await expect(a10).toHaveAttribute('aria-disabled', 'true');
  await expect(a10).toContainText('GPU nodes is set to 1');
  await shot(3, 'misfit');
  await page.keyboard.press('Escape');
  await pickOption(page, 'Model', FITS);
  const fit = page.getByTestId('kaito-model-fit');
  const size = page.getByTestId('kaito-instance-type-details');
  await expect(fit).toHaveAttribute('data-fit', 'fits');
  await expect(size.getByTestId('kaito-instance-type-nodes')).toHaveText(
    '1 node',
  );
  await expect(size.getByTestId('kaito-instance-type-cost')).toContainText(
    /Cost: USD \d+\.\d\d\/h for 1 node/,
  );
  await expect(size).toContainText(/Quota: needs \d+ of \d+ available vCPUs/);
  await shot(3, 'fits');
  await next(page);
  await pickEntity(page, 'Owner', 'ml', OWNER);
  // The task ends when the Workspace is applied; the card shows the rest live.
  await check(page, 'Wait until Ready', false);

  // 4. Run it on the new cluster and follow the task log to the entity.
  await reviewAndCreate(page);
  const link = await followTask(page, 'Open the model in the catalog');
  await shot(4, 'task-done');

  // 5. The new entity: its card goes from provisioning to Ready, live.
  await link.click();
  const ws = card(page);
  const phase = ws.getByTestId('kaito-phase');
  await expect(phase).toBeVisible();
  await expect(phase).not.toHaveText(/^Ready$/);
  await shot(5, 'provisioning');
  await expect(phase).toHaveText('Ready', { timeout: 240_000 });
  await expect(ws.getByTestId('kaito-fact-model')).toContainText(
    /phi-4-mini-instruct/i,
  );
  await expect(ws.getByTestId('kaito-fact-cost')).toContainText(/USD \d/);
  await shot(5, 'ready');

  // 6. Chat with it: the answer streams in while Stop shows.
  const chat = page.getByTestId('kaito-chat');
  const message = chat.getByRole('textbox', { name: 'Message' });
  await expect(message).toBeEnabled();
  await message.fill('Hello from the journey');
  await message.press('Enter');
  const stop = chat.getByRole('button', { name: 'Stop' });
  const send = chat.getByRole('button', { name: 'Send' });
  const answer = chat.getByTestId('chat-message-assistant').last();
  const lengths = new Set<number>();
  await expect
    .poll(
      async () => {
        if (await stop.isVisible()) {
          lengths.add((await answer.textContent())?.length ?? 0);
        }
        return send.isVisible();
      },
      { timeout: 120_000, intervals: [100] },
    )
    .toBe(true);
  expect(lengths.size).toBeGreaterThan(1);
  await expect(answer).toContainText('simulated');
  await shot(6, 'chat');

  // 7. A second model that runs short of GPU quota: the card says why.
  await deleteWorkspaceIfPresent(fault.namespace, fault.name);
  await openTemplate(page, 'Deploy a model with KAITO');
  await fill(page, 'Name', fault.name);
  await fill(page, 'Namespace', fault.namespace);
  await pickEntity(page, 'Cluster', 'simulator', /simulator/i);
  await expect(page.getByTestId('kaito-model-fit')).toHaveAttribute(
    'data-fit',
    'fits',
  );
  await next(page);
  await pickEntity(page, 'Owner', 'ml', OWNER);
  await check(page, 'Wait until Ready', false);
  await reviewAndCreate(page);
  await (await followTask(page, 'Open the model in the catalog')).click();
  const faulty = card(page);
  await expect(faulty.getByTestId('kaito-reason')).toContainText(/quota/i, {
    timeout: 240_000,
  });
  await shot(7, 'quota-fault');

  // 8. Decommission it.
  await openTemplate(page, 'Decommission a KAITO model');
  await pickEntity(page, 'Workspace', fault.name, new RegExp(fault.name));
  await check(page, 'Delete it', true);
  await reviewAndCreate(page);
  await expect(
    page.getByText(/is deleted and its GPU nodes are released/),
  ).toBeVisible({ timeout: 240_000 });
  await shot(8, 'decommissioned');

  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  info.annotations.push({
    type: 'figures',
    description: `journey wall time ${seconds} s; ${stepTimes.join(', ')}`,
  });
  // eslint-disable-next-line no-console
  console.log(`journey e2e: wall time ${seconds} s (${stepTimes.join(', ')})`);
  watch.expectNone('the journey');
});
