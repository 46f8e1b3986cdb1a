import { expect as baseExpect, test, type Page } from '@playwright/test';
import { SHOTS, expectNoSeriousAxe, signIn, watchErrors } from './helpers';
import { simulatorAvailable } from './simulator';

// The shared CI machine is slow: wait on what the page shows, with room to spare.
const expect = baseExpect.configure({ timeout: 90_000 });
test.describe.configure({ timeout: 420_000 });

const port = process.env.KAITO_SIMULATOR_PORT;
const token = process.env.KAITO_SIMULATOR_TOKEN ?? 'kaito-simulator-dev-token';
const NS = 'kaito-demo';
const ragPath = (name?: string) =>
  `/apis/kaito.sh/v1beta1/namespaces/${NS}/ragengines${name ? `/${name}` : ''}`;

async function kube(method: string, path: string, body?: unknown) {
  return fetch(`http://127.0.0.1:${port}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      'Content-Type': 'application/json',
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** A RAGEngine over the example workspace, owned so the catalog provider registers it. */
async function createRagEngine(name: string, fault?: string) {
  await kube('DELETE', ragPath(name));
  for (let i = 0; i < 100; i++) {
    if ((await kube('GET', ragPath(name))).status === 404) break;
    await new Promise(r => setTimeout(r, 200));
  }
  const created = await kube('POST', ragPath(), {
    apiVersion: 'kaito.sh/v1beta1',
    kind: 'RAGEngine',
    metadata: {
      name,
      namespace: NS,
      annotations: {
        'backstage.io/owner': 'group:default/ml-platform',
        'kaito.sh/depends-on': 'resource:default/phi-4-mini',
        ...(fault ? { 'kaito.simulator/fault': fault } : {}),
      },
    },
    spec: {
      compute: {
        instanceType: 'Standard_D8s_v3',
        labelSelector: { matchLabels: { apps: name } },
      },
      embedding: { local: { modelID: 'BAAI/bge-small-en-v1.5' } },
      inferenceService: {
        url: 'http://phi-4-mini/v1/chat/completions',
        contextWindowSize: 4096,
      },
    },
  });
  if (!created.ok) {
    throw new Error(
      `POST ragengine: ${created.status} ${await created.text()}`,
    );
  }
}

/** Opens the entity page, reloading until the catalog provider has registered it. */
async function openEntity(page: Page, name: string) {
  await expect
    .poll(
      async () => {
        await page.goto(`/catalog/default/resource/${name}`);
        // isVisible() does not wait; the card loads lazily after the entity.
        return page
          .getByText('KAITO RAGEngine', { exact: true })
          .waitFor({ state: 'visible', timeout: 15_000 })
          .then(
            () => true,
            () => false,
          );
      },
      { timeout: 180_000, intervals: [2_000] },
    )
    .toBe(true);
}

test('RAG cards: readiness live, documents uploaded, an answer with its sources', async ({
  page,
}) => {
  test.skip(!simulatorAvailable(), 'needs the simulator of scripts/e2e.sh');
  await createRagEngine('team-docs');
  await signIn(page);
  await openEntity(page, 'team-docs');
  // Watched from here: the entity page 404s until the catalog provider has registered it.
  const errors = watchErrors(page);

  // Readiness: live, to Ready, with the engine's facts.
  const phase = page.getByTestId('kaito-phase').first();
  await expect(phase).toBeVisible();
  await page.screenshot({
    path: `${SHOTS}/rag-1-progress.png`,
    fullPage: true,
  });
  await expect(phase).toHaveText(/Ready/, { timeout: 240_000 });
  await expect(page.getByTestId('kaito-rag-fact-embedding')).toHaveText(
    'BAAI/bge-small-en-v1.5',
  );

  // Documents: upload a markdown file through the file input.
  await expect(
    page.getByText(/No documents in index team-docs yet/),
  ).toBeVisible();
  await page.getByTestId('kaito-rag-file-input').setInputFiles({
    name: 'payments-runbook.md',
    mimeType: 'text/markdown',
    buffer: Buffer.from(
      '# Payments runbook\n\nWhen the payments service returns 502, restart it with ' +
        '`kubectl rollout restart deploy/payments -n payments`, then check the ledger queue depth.\n',
    ),
  });
  await expect(page.getByTestId('kaito-rag-upload-result')).toHaveText(/Added/);
  await expect(page.getByTestId('kaito-rag-document')).toHaveCount(1);
  // And a file the backend refuses, with its words.
  await page.getByTestId('kaito-rag-file-input').setInputFiles({
    name: 'diagram.png',
    mimeType: 'image/png',
    buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47]),
  });
  await expect(page.getByTestId('kaito-rag-upload').first()).toHaveAttribute(
    'data-status',
    'failed',
  );
  await page.screenshot({
    path: `${SHOTS}/rag-2-documents.png`,
    fullPage: true,
  });

  // Chat: the answer cites the uploaded document.
  const chat = page.getByTestId('kaito-chat');
  const message = chat.getByRole('textbox', { name: 'Message' });
  await expect(message).toBeEnabled({ timeout: 180_000 });
  await message.fill('How do I restart the payments service after a 502?');
  await message.press('Enter');
  const answer = chat.getByTestId('chat-message-assistant').last();
  const sources = answer.getByRole('button', { name: /^Sources \(\d+\)$/ });
  await expect(sources).toBeVisible({ timeout: 120_000 });
  await sources.click();
  await expect(answer.getByTestId('kaito-chat-source').first()).toContainText(
    'payments-runbook.md',
  );
  await answer.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/rag-3-sources.png`, fullPage: true });
  await expectNoSeriousAxe(page, 'rag-entity');
  // The refused upload (415, and the browser's console line for it) is the only failure.
  expect(errors.errors.filter(e => !e.includes('415'))).toEqual([]);

  // TechDocs: the example system publishes none; the card shows what the backend answered.
  await page
    .getByRole('button', { name: "Index this system's TechDocs" })
    .click();
  await expect(page.getByTestId('kaito-rag-techdocs-result')).toBeVisible();
  await page.getByTestId('kaito-rag-techdocs-result').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/rag-5-techdocs.png` });
});

test('RAG readiness card: a failed RAGEngine says why', async ({ page }) => {
  test.skip(!simulatorAvailable(), 'needs the simulator of scripts/e2e.sh');
  await createRagEngine('broken-docs', 'imagePullError');
  await signIn(page);
  await openEntity(page, 'broken-docs');
  await expect(page.getByTestId('kaito-phase').first()).toHaveText(/Failed/, {
    timeout: 300_000,
  });
  await page.screenshot({ path: `${SHOTS}/rag-4-failed.png`, fullPage: true });
});
