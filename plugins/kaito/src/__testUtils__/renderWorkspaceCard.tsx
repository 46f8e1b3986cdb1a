/* Test-only: renders the card with a scripted readiness API. */
import { discoveryApiRef } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import { kaitoApiRef } from '@kaito-backstage/plugin-kaito-react';
import { act, screen, waitFor } from '@testing-library/react';
import { ScriptedKaitoApi } from './ScriptedKaitoApi';
import { EntityKaitoWorkspaceCard } from '../components/WorkspaceCard';
import { entity, snapshot } from './workspaceFixtures';

const discoveryApi = {
  getBaseUrl: async (id: string) => `http://portal.test/api/${id}`,
};

export async function renderCard(api: ScriptedKaitoApi, e = entity) {
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [kaitoApiRef, api],
        [discoveryApiRef, discoveryApi],
      ]}
    >
      <EntityProvider entity={e}>
        <EntityKaitoWorkspaceCard />
      </EntityProvider>
    </TestApiProvider>,
  );
}

/** Renders the card and opens its stream: what a user sees once the first snapshot arrives. */
export async function renderLive(...args: Parameters<typeof snapshot>) {
  const api = new ScriptedKaitoApi();
  await renderCard(api);
  await waitFor(() => expect(api.streams).toHaveLength(1));
  act(() => {
    api.open();
    api.send(snapshot(...args));
  });
  await screen.findByTestId('kaito-phase');
  return api;
}

export async function responseError(status: number, message: string) {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name: 'Error', message },
        response: { statusCode: status },
      }),
      { status, headers: { 'Content-Type': 'application/json' } },
    ),
  );
}
