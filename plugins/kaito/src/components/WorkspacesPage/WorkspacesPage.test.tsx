import { ResponseError } from '@backstage/errors';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import { kaitoApiRef } from '@kaito-backstage/plugin-kaito-react';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { ScriptedKaitoApi } from '../../__testUtils__/ScriptedKaitoApi';
import { entity, snapshot } from '../../__testUtils__/workspaceFixtures';
import { KaitoWorkspacesPage } from './WorkspacesPage';

// The table is heavy to render on a loaded machine.
jest.setTimeout(60_000);

const catalogApi = catalogApiMock({
  entities: [
    entity,
    {
      ...entity,
      metadata: {
        name: 'broken',
        namespace: 'default',
        annotations: { 'kaito.sh/workspace': 'not a ref' },
      },
    },
  ],
});

async function renderPage(api: ScriptedKaitoApi) {
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [kaitoApiRef, api],
        [catalogApiRef, catalogApi],
      ]}
    >
      <KaitoWorkspacesPage />
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

const created = new Date(Date.now() - 3 * 3600_000).toISOString();

function list() {
  return {
    clusters: [
      { cluster: 'kaito-simulator', status: 'ok', count: 2 },
      {
        cluster: 'aks-west',
        status: 'unavailable',
        message: 'connect ETIMEDOUT',
        count: 0,
      },
    ],
    items: [
      snapshot(
        { workspace: { ...snapshot().workspace!, createdAt: created } },
        { phase: 'Ready', reason: 'Ready for chat.' },
      ),
      snapshot(
        {
          name: 'llama-tune',
          workspace: {
            apiVersion: 'kaito.sh/v1beta1',
            runtime: 'vllm',
            preset: 'llama-3.1-8b-instruct',
            instanceType: 'Standard_NC96ads_A100_v4',
            targetNodeCount: 2,
            createdAt: created,
            deleting: false,
          },
        },
        {
          phase: 'Failed',
          reason:
            'GPU nodes cannot be created because the Azure quota is exhausted.',
          model: 'llama-3.1-8b-instruct',
          instanceType: 'Standard_NC96ads_A100_v4',
          targetNodeCount: 2,
        },
      ),
    ],
  };
}

/**
 * Matches a table cell by its whole text: the table splits long values into
 * unbreakable parts ("kaito-demo/" + "phi-4-mini"), so no single node holds it.
 */
const cell = (text: string) => (_: string, el: Element | null) =>
  el?.tagName === 'TD' && el.textContent === text;

describe('KaitoWorkspacesPage', () => {
  it('lists every workspace with phase, model, size, age and its entity', async () => {
    const api = new ScriptedKaitoApi();
    api.workspaces = list();
    await renderPage(api);
    const ready = (
      await screen.findByText(cell('kaito-demo/phi-4-mini'))
    ).closest('tr')!;
    expect(within(ready).getByText('Ready')).toBeInTheDocument();
    expect(within(ready).getByText('phi-4-mini-instruct')).toBeInTheDocument();
    expect(
      within(ready).getByText(cell('1 × Standard_NC24ads_A100_v4')),
    ).toBeInTheDocument();
    expect(within(ready).getByText(/^3h 0m$/)).toBeInTheDocument();
    expect(
      within(ready).getByRole('link', { name: 'Phi-4 mini' }),
    ).toHaveAttribute('href', '/catalog/default/resource/phi-4-mini');

    const failed = screen
      .getByText(cell('kaito-demo/llama-tune'))
      .closest('tr')!;
    expect(within(failed).getByText('Failed')).toBeInTheDocument();
    expect(
      within(failed).getByText(/Azure quota is exhausted/),
    ).toBeInTheDocument();
    expect(
      within(failed).getByText(cell('2 × Standard_NC96ads_A100_v4')),
    ).toBeInTheDocument();
    expect(within(failed).getByText('not in catalog')).toBeInTheDocument();

    // A cluster that does not answer is named, with why.
    expect(
      screen.getByText('Warning: Cluster aks-west is unavailable'),
    ).toBeInTheDocument();
  });

  it("shows a Ready workspace's live load through its entity, and a dash where there is none", async () => {
    const api = new ScriptedKaitoApi();
    api.workspaces = list();
    api.loads = [
      {
        entityRef: 'resource:default/phi-4-mini',
        observedAt: '2026-12-02T12:00:00.000Z',
        source: 'vllm',
        requestsRunning: 2,
        requestsWaiting: 1,
        kvCacheUsage: 0.125,
        rateWindowSeconds: 5,
      },
    ];
    await renderPage(api);
    const ready = (
      await screen.findByText(cell('kaito-demo/phi-4-mini'))
    ).closest('tr')!;
    expect(
      (await within(ready).findByTestId('kaito-row-load')).textContent,
    ).toBe('2 running · 1 waiting · KV 12.5 %');
    // The failed workspace has no entity and is not Ready: nothing is asked for it.
    const failed = screen
      .getByText(cell('kaito-demo/llama-tune'))
      .closest('tr')!;
    expect(within(failed).getByText('–')).toBeInTheDocument();
    expect(api.loadCalls).toBeGreaterThanOrEqual(1);
  });

  it('filters by text', async () => {
    const api = new ScriptedKaitoApi();
    api.workspaces = list();
    await renderPage(api);
    await screen.findByText(cell('kaito-demo/llama-tune'));
    fireEvent.change(screen.getByPlaceholderText('Filter'), {
      target: { value: 'llama' },
    });
    await waitFor(() =>
      expect(
        screen.queryByText(cell('kaito-demo/phi-4-mini')),
      ).not.toBeInTheDocument(),
    );
    expect(screen.getByText(cell('kaito-demo/llama-tune'))).toBeInTheDocument();
  });

  it('refreshes on its own (live)', async () => {
    const api = new ScriptedKaitoApi();
    api.workspaces = { clusters: [], items: [] };
    await renderPage(api);
    expect(
      await screen.findByText(/No Workspace on any configured cluster/),
    ).toBeInTheDocument();
    api.workspaces = list();
    // The page polls every 5 s; the new workspace appears without a reload.
    await waitFor(
      () =>
        expect(screen.getByText(cell('kaito-demo/phi-4-mini'))).toBeVisible(),
      { timeout: 15_000 },
    );
    expect(api.listCalls).toBeGreaterThanOrEqual(2);
  });

  it('explains a permission denied', async () => {
    const api = new ScriptedKaitoApi();
    api.workspaces = await ResponseError.fromResponse(
      new Response(
        JSON.stringify({
          error: { name: 'NotAllowedError', message: 'denied' },
          response: { statusCode: 403 },
        }),
        { status: 403, headers: { 'Content-Type': 'application/json' } },
      ),
    );
    await renderPage(api);
    expect(
      await screen.findByText(/permission kaito\.workspace\.list/),
    ).toBeInTheDocument();
  });
});
