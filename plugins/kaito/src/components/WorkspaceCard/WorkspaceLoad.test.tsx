import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import type { EntityWorkspaceLoad } from '@kaito-backstage/plugin-kaito-react';
import { kaitoApiRef } from '@kaito-backstage/plugin-kaito-react';
import { act, screen, waitFor, within } from '@testing-library/react';
import { ScriptedKaitoApi } from '../../__testUtils__/ScriptedKaitoApi';
import { renderCard } from '../../__testUtils__/renderWorkspaceCard';
import { readiness, snapshot } from '../../__testUtils__/workspaceFixtures';
import { WorkspaceLoad, loadFigures } from './WorkspaceLoad';

jest.setTimeout(60_000);

const ENTITY = { kind: 'component', namespace: 'default', name: 'phi-4-mini' };

function load(over: Partial<EntityWorkspaceLoad> = {}): EntityWorkspaceLoad {
  return {
    entityRef: 'component:default/phi-4-mini',
    observedAt: '2026-12-02T12:00:00.000Z',
    source: 'vllm',
    requestsRunning: 2,
    requestsWaiting: 1,
    kvCacheUsage: 0.125,
    generationTokensPerSecond: 41.26,
    promptTokensPerSecond: 12,
    timeToFirstTokenSeconds: 0.0841,
    rateWindowSeconds: 5,
    ...over,
  };
}

/** The figures shown, as `label: text`. */
function shown(): string[] {
  const list = screen.getByTestId('kaito-workspace-load');
  const terms = within(list).getAllByRole('term');
  const defs = within(list).getAllByRole('definition');
  return terms.map((t, i) => `${t.textContent}: ${defs[i].textContent}`);
}

async function renderLoad(
  api: ScriptedKaitoApi,
  r = readiness({ phase: 'Ready' }),
) {
  await renderInTestApp(
    <TestApiProvider apis={[[kaitoApiRef, api]]}>
      <WorkspaceLoad entityRef={ENTITY} readiness={r} refreshIntervalMs={20} />
    </TestApiProvider>,
  );
}

describe('WorkspaceLoad', () => {
  it('shows what the model server reports, leaving out what it does not', () => {
    expect(
      loadFigures(
        load({
          promptTokensPerSecond: undefined,
          timeToFirstTokenSeconds: undefined,
        }),
      ),
    ).toEqual([
      ['Requests running', '2'],
      ['Requests waiting', '1'],
      ['KV cache', '12.5 %'],
      ['Generation', '41.3 tokens/s'],
    ]);
  });

  it('keeps two decimals for a small share of a large KV cache', () => {
    expect(loadFigures(load({ kvCacheUsage: 0.00034 }))).toContainEqual([
      'KV cache',
      '0.03 %',
    ]);
  });

  it('refreshes the figures while it is shown', async () => {
    const api = new ScriptedKaitoApi();
    api.loads = [load()];
    await renderLoad(api);
    await screen.findByText('Live load');
    expect(shown()).toEqual([
      'Requests running: 2',
      'Requests waiting: 1',
      'KV cache: 12.5 %',
      'Generation: 41.3 tokens/s',
      'Prompt: 12 tokens/s',
      'Time to first token: 84 ms',
    ]);
    // The poll repeats the first answer until the server reports a change.
    await waitFor(() => expect(api.loadCalls).toBeGreaterThan(1));
    api.loads.push(load({ requestsRunning: 0, kvCacheUsage: 0 }));
    await waitFor(() => expect(shown()).toContain('Requests running: 0'));
    expect(shown()).toContain('KV cache: 0 %');
  });

  it('keeps the last figures and says why when a refresh fails', async () => {
    const api = new ScriptedKaitoApi();
    api.loads = [load(), new Error('model server unreachable')];
    await renderLoad(api);
    await screen.findByText(/Not updated: model server unreachable/);
    expect(shown()).toContain('Requests running: 2');
  });

  it('asks nothing of a Workspace that cannot serve yet', async () => {
    const api = new ScriptedKaitoApi();
    api.loads = [load()];
    await renderLoad(api, readiness({ phase: 'ProvisioningNodes' }));
    // Give a wrongly enabled poll time to show up.
    await new Promise(r => setTimeout(r, 100));
    expect(api.loadCalls).toBe(0);
    expect(screen.queryByText('Live load')).not.toBeInTheDocument();
  });

  it('says so when the runtime publishes no vLLM metrics', async () => {
    const api = new ScriptedKaitoApi();
    api.loads = [
      {
        entityRef: 'x',
        observedAt: '2026-12-02T12:00:00Z',
        source: 'unsupported',
      },
    ];
    await renderLoad(api);
    expect(
      await screen.findByText(/this runtime does not publish vLLM metrics/),
    ).toBeInTheDocument();
  });

  it('is part of the readiness card of a Ready Workspace', async () => {
    const api = new ScriptedKaitoApi();
    api.loads = [load()];
    await renderCard(api);
    await waitFor(() => expect(api.streams).toHaveLength(1));
    act(() => {
      api.open();
      api.send(snapshot({}, { phase: 'Ready', reason: 'Ready to serve' }));
    });
    await screen.findByText('Live load');
    expect(shown()).toContain('Requests running: 2');
  });
});
