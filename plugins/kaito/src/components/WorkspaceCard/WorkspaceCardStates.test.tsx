import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { ScriptedKaitoApi } from '../../__testUtils__/ScriptedKaitoApi';
import {
  inferenceSteps,
  snapshot,
  withAnnotations,
} from '../../__testUtils__/workspaceFixtures';
import {
  renderCard,
  renderLive,
  responseError,
} from '../../__testUtils__/renderWorkspaceCard';

// Rendering the whole card with MUI is slow on the shared, loaded CI machine.
jest.setTimeout(60_000);

describe('EntityKaitoWorkspaceCard states', () => {
  it('says so when the Workspace is being deleted', async () => {
    await renderLive({
      workspace: { ...snapshot().workspace!, deleting: true },
    });
    expect(
      screen.getByText(/This Workspace is being deleted/),
    ).toBeInTheDocument();
  });

  it("quotes a cut KAITO message with one ellipsis (kaito-common's), not two", async () => {
    const cut = `${'exceeding approved quota '.repeat(12).slice(0, 256)}…`;
    await renderLive(
      {},
      {
        phase: 'Failed',
        outcome: 'terminal',
        kaitoMessage: {
          source: 'condition NodeClaimReady (LaunchFailed)',
          text: cut,
          truncated: true,
        },
      },
    );
    const quote = screen.getByText(/^KAITO says \(condition NodeClaimReady/);
    expect(quote.textContent).toMatch(/[^…]…”$/);
  });

  it("labels a pod's or NodeClaim's words as the cluster's, and only a condition's as KAITO's", async () => {
    await renderLive(
      {},
      {
        phase: 'Failed',
        outcome: 'terminal',
        kaitoMessage: {
          source: 'pod phi-4-mini-0 container phi-4-mini',
          text: 'Error, exit code 1',
          truncated: false,
        },
      },
    );
    expect(
      screen.getByText(
        'The cluster says (pod phi-4-mini-0 container phi-4-mini): “Error, exit code 1”',
      ),
    ).toBeInTheDocument();
  });

  it('shows a Degraded Workspace that still serves (failed benchmark) as a warning, with the snippet ready', async () => {
    await renderLive(
      {},
      {
        phase: 'Degraded',
        outcome: 'terminal',
        cause: 'benchmark',
        reason:
          "The model serves, but KAITO's post-load benchmark failed, so KAITO marks the Workspace not ready; chat works meanwhile.",
      },
    );
    expect(screen.getByTestId('kaito-reason')).toHaveClass(
      'MuiAlert-standardWarning',
    );
    expect(screen.getByTestId('kaito-endpoint')).not.toHaveTextContent(
      '409 until then',
    );
  });

  it('explains a Workspace that does not exist on the cluster', async () => {
    const api = new ScriptedKaitoApi();
    await renderCard(api);
    await waitFor(() => expect(api.streams).toHaveLength(1));
    act(() => {
      api.open();
      api.send(
        snapshot({
          status: 'notFound',
          readiness: undefined,
          workspace: undefined,
        }),
      );
    });
    expect(
      await screen.findByText(/^(Info|Warning|Error): Workspace not found$/),
    ).toBeInTheDocument();
    expect(screen.getByTestId('kaito-problem')).toHaveTextContent(
      'There is no Workspace kaito-demo/phi-4-mini on cluster kaito-simulator',
    );
  });

  it('explains an unavailable cluster', async () => {
    const api = new ScriptedKaitoApi();
    await renderCard(api);
    await waitFor(() => expect(api.streams).toHaveLength(1));
    act(() => {
      api.open();
      api.send(
        snapshot({
          status: 'unavailable',
          readiness: undefined,
          message: 'connect ECONNREFUSED 10.0.0.1:443',
        }),
      );
    });
    expect(
      await screen.findByText(/^(Info|Warning|Error): Cluster unavailable$/),
    ).toBeInTheDocument();
    expect(screen.getByTestId('kaito-problem')).toHaveTextContent(
      'connect ECONNREFUSED 10.0.0.1:443',
    );
  });

  it('shows permission denied, and tries again on request', async () => {
    const api = new ScriptedKaitoApi();
    await renderCard(api);
    await waitFor(() => expect(api.streams).toHaveLength(1));
    const error = await responseError(
      403,
      'You are not allowed kaito.workspace.read on resource:default/phi-4-mini',
    );
    act(() => api.current.fail(error));
    expect(
      await screen.findByText(/^(Info|Warning|Error): Permission denied$/),
    ).toBeInTheDocument();
    expect(screen.getByTestId('kaito-problem')).toHaveTextContent(
      'kaito.workspace.read',
    );
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(api.streams).toHaveLength(2));
    act(() => {
      api.open();
      api.send(snapshot());
    });
    expect(await screen.findByTestId('kaito-phase')).toHaveTextContent(
      'Provisioning GPU nodes',
    );
  });

  it("shows the backend's answer when the entity has no Workspace to report on", async () => {
    const api = new ScriptedKaitoApi();
    await renderCard(api);
    await waitFor(() => expect(api.streams).toHaveLength(1));
    const error = await responseError(
      404,
      "Entity resource:default/phi-4-mini names external target 'x', which is not configured under kaito.externalTargets",
    );
    act(() => api.current.fail(error));
    expect(
      await screen.findByText(
        /^(Info|Warning|Error): No KAITO workspace for this entity$/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByTestId('kaito-problem')).toHaveTextContent(
      'not configured under kaito.externalTargets',
    );
  });

  it('shows the missing annotation and opens no stream', async () => {
    const api = new ScriptedKaitoApi();
    await renderCard(api, withAnnotations({}));
    expect(await screen.findByText(/Missing Annotation/i)).toBeInTheDocument();
    expect(screen.getAllByText(/kaito\.sh\/workspace/).length).toBeGreaterThan(
      0,
    );
    expect(api.streams).toHaveLength(0);
  });

  it('names a wrong annotation and how to fix it, without asking the backend', async () => {
    const api = new ScriptedKaitoApi();
    await renderCard(
      api,
      withAnnotations({ 'kaito.sh/workspace': 'phi-4-mini' }),
    );
    expect(
      await screen.findByText(/^(Info|Warning|Error): Wrong KAITO annotation$/),
    ).toBeInTheDocument();
    expect(screen.getByTestId('kaito-problem')).toHaveTextContent(
      /kaito\.sh\/workspace.*<namespace>\/<name>/,
    );
    expect(api.streams).toHaveLength(0);
  });

  it('explains an entity that chats with an external endpoint', async () => {
    const api = new ScriptedKaitoApi();
    await renderCard(
      api,
      withAnnotations({ 'kaito.sh/external-target': 'azure-openai' }),
    );
    expect(
      await screen.findByText(/external endpoint “azure-openai”/),
    ).toBeInTheDocument();
    expect(await screen.findByTestId('kaito-endpoint')).toBeInTheDocument();
    expect(api.streams).toHaveLength(0);
  });

  it('keeps the last snapshot while the stream reconnects, then goes live again', async () => {
    const api = await renderLive();
    expect(screen.getByTestId('kaito-phase')).toHaveTextContent(
      'Provisioning GPU nodes',
    );
    act(() =>
      api.state({
        state: 'reconnecting',
        attempt: 2,
        retryInMs: 4000,
        error: new Error('network error'),
      }),
    );
    expect(screen.getByTestId('kaito-connection')).toHaveTextContent(
      'Connection lost (network error); reconnecting in 4s (attempt 2)',
    );
    expect(screen.getByTestId('kaito-phase')).toHaveTextContent(
      'Provisioning GPU nodes',
    );
    act(() => {
      api.open();
      api.send(
        snapshot(
          {},
          {
            phase: 'Ready',
            reason: 'Ready for chat.',
            steps: inferenceSteps('ready', 'done'),
          },
        ),
      );
    });
    expect(screen.getByTestId('kaito-connection')).toHaveTextContent('Live');
    expect(screen.getByTestId('kaito-phase')).toHaveTextContent('Ready');
  });

  it('says so when the stream cannot be reached before any snapshot', async () => {
    const api = new ScriptedKaitoApi();
    await renderCard(api);
    await waitFor(() => expect(api.streams).toHaveLength(1));
    act(() =>
      api.state({
        state: 'reconnecting',
        attempt: 1,
        retryInMs: 500,
        error: new Error('Request failed with 503 Service Unavailable'),
      }),
    );
    expect(
      await screen.findByText(/^(Info|Warning|Error): Readiness unavailable$/),
    ).toBeInTheDocument();
    expect(screen.getByTestId('kaito-problem')).toHaveTextContent('503');
  });
});
