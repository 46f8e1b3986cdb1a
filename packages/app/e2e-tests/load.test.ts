import { expect as baseExpect, test } from '@playwright/test';
import { SHOTS, expectNoSeriousAxe, signIn, watchErrors } from './helpers';

// The readiness card's live load: long answers streamed straight at the simulated model server
// (through the simulator's service proxy, as kaito-backend reaches it) show up as running
// requests on the card without a reload, and leave it when they end.
const expect = baseExpect.configure({ timeout: 90_000 });
test.describe.configure({ timeout: 300_000 });

const port = process.env.KAITO_SIMULATOR_PORT;
const token = process.env.KAITO_SIMULATOR_TOKEN ?? 'kaito-simulator-dev-token';
const ENTITY = '/catalog/default/resource/phi-4-mini';

/** Opens a long streamed answer on the example Workspace's model server; abort to end it. */
async function longStream(signal: AbortSignal) {
  const res = await fetch(
    `http://127.0.0.1:${port}/api/v1/namespaces/kaito-demo/services/phi-4-mini:http/proxy/v1/chat/completions`,
    {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${token}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({
        stream: true,
        min_tokens: 3000,
        max_tokens: 3000,
        messages: [{ role: 'user', content: 'A long answer, please' }],
      }),
      signal,
    },
  );
  if (!res.ok) throw new Error(`chat: ${res.status} ${await res.text()}`);
  // Keep reading, as a client would, until aborted.
  res.body?.pipeTo(new WritableStream()).catch(() => {});
}

test('the readiness card shows the live load of the model server', async ({
  page,
}) => {
  test.skip(!port, 'KAITO_SIMULATOR_PORT unset: no simulator to load');
  const watch = watchErrors(page);
  await signIn(page);
  await page.goto(ENTITY);
  const card = page
    .locator('article, .MuiCard-root')
    .filter({ has: page.getByText('KAITO workspace', { exact: true }) })
    .first();
  await expect(card.getByTestId('kaito-phase')).toHaveText('Ready', {
    timeout: 240_000,
  });
  const load = card.getByRole('region', { name: 'Live load' });
  await expect(load).toBeVisible();

  const ac = new AbortController();
  try {
    await Promise.all([longStream(ac.signal), longStream(ac.signal)]);
    // The card polls every 5 s: no reload, the figures follow the streams.
    await expect(load.getByTestId('kaito-workspace-load')).toContainText(
      /Requests running\s*2/,
    );
    await expect(load).toContainText('tokens/s');
    await load.scrollIntoViewIfNeeded();
    await page.screenshot({
      path: `${SHOTS}/workspace-live-load.png`,
      fullPage: true,
    });
  } finally {
    ac.abort();
  }
  await expect(load.getByTestId('kaito-workspace-load')).toContainText(
    /Requests running\s*0/,
  );
  watch.expectNone('the entity page with the live load');
  await expectNoSeriousAxe(page, 'entity-page-live-load');
});
