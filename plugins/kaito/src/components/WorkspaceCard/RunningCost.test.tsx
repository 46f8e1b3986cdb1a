import { PriceTable } from '@kaito-backstage/plugin-kaito-common';
import {
  KaitoCatalogApi,
  kaitoCatalogApiRef,
} from '@kaito-backstage/plugin-kaito-react';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import { act, screen, waitFor } from '@testing-library/react';
import { snapshot } from '../../__testUtils__/workspaceFixtures';
import { catalogFetchApi } from '../../fields/__testUtils__/catalogBackend';
import { WorkspaceFacts } from './WorkspaceFacts';

/** kaito-backend's /catalog answers, priced for one region. */
function catalogApi(prices: PriceTable, region = 'eastus'): KaitoCatalogApi {
  return catalogFetchApi({ prices, defaultRegion: region }).client;
}

const llama = (nodes: number, instanceType = 'Standard_NC24ads_A100_v4') =>
  snapshot(
    {
      workspace: {
        apiVersion: 'kaito.sh/v1beta1',
        createdAt: new Date(0).toISOString(),
        preset: 'meta-llama/Llama-3.3-70B-Instruct',
        instanceType,
        runtime: 'vllm',
        targetNodeCount: nodes,
        deleting: false,
      },
    },
    {
      model: 'meta-llama/Llama-3.3-70B-Instruct',
      instanceType,
      targetNodeCount: nodes,
    },
  );

describe('running cost on the readiness card', () => {
  it('shows nodes × the list price', async () => {
    await renderInTestApp(
      <TestApiProvider
        apis={[[kaitoCatalogApiRef, catalogApi(PriceTable.builtIn())]]}
      >
        <WorkspaceFacts snapshot={llama(3)} />
      </TestApiProvider>,
    );
    // 3 × 3.673 = 11.019 → 11.02
    expect(await screen.findByTestId('kaito-fact-cost')).toHaveTextContent(
      '≈ USD 11.02/h (3 nodes, eastus approximate list price, 2026-11-01)',
    );
  });

  it('uses a configured price', async () => {
    const prices = PriceTable.withOverrides({
      currency: 'EUR',
      asOf: '2026-10-01',
      entries: [
        {
          instanceType: 'Standard_NC24ads_A100_v4',
          region: 'westeurope',
          perHour: 2.5,
        },
      ],
    });
    await renderInTestApp(
      <TestApiProvider
        apis={[[kaitoCatalogApiRef, catalogApi(prices, 'westeurope')]]}
      >
        <WorkspaceFacts snapshot={llama(3)} />
      </TestApiProvider>,
    );
    expect(await screen.findByTestId('kaito-fact-cost')).toHaveTextContent(
      'EUR 7.50/h (3 nodes, westeurope configured price, 2026-10-01)',
    );
  });

  it('shows no cost when the region has no price for the size', async () => {
    const answered = jest.fn();
    const api = catalogApi(PriceTable.builtIn());
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [
            kaitoCatalogApiRef,
            {
              ...api,
              listInstanceTypes: async q => {
                const a = await api.listInstanceTypes(q);
                answered();
                return a;
              },
            },
          ],
        ]}
      >
        {/* H200 has no East US list price. */}
        <WorkspaceFacts snapshot={llama(1, 'Standard_ND96isr_H200_v5')} />
      </TestApiProvider>,
    );
    await waitFor(() => expect(answered).toHaveBeenCalled());
    await act(async () => {});
    expect(screen.getByTestId('kaito-fact-model')).toBeInTheDocument();
    expect(screen.queryByTestId('kaito-fact-cost')).toBeNull();
  });

  it('shows no cost when the catalog API is not installed', async () => {
    await renderInTestApp(<WorkspaceFacts snapshot={llama(3)} />);
    expect(screen.getByTestId('kaito-fact-model')).toHaveTextContent(
      'meta-llama/Llama-3.3-70B-Instruct',
    );
    expect(screen.queryByTestId('kaito-fact-cost')).toBeNull();
  });
});
