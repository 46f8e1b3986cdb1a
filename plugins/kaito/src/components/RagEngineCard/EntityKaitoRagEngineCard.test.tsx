import { act, configure, screen, waitFor } from '@testing-library/react';
import { RagBackend, ragSnapshot } from '../../__testUtils__/rag/ragBackend';
import {
  renderRagCard,
  seriousAxeViolations,
} from '../../__testUtils__/rag/renderRag';
import { EntityKaitoRagEngineCard } from './EntityKaitoRagEngineCard';

jest.setTimeout(60_000);
configure({ asyncUtilTimeout: 20_000 });

let backend: RagBackend;
beforeEach(() => {
  backend = new RagBackend();
});
afterEach(() => backend.stop());

describe('EntityKaitoRagEngineCard', () => {
  it('follows a RAGEngine from provisioning to Ready, live', async () => {
    backend.setSnapshot(
      ragSnapshot({
        phase: 'ProvisioningNodes',
        outcome: 'progress',
        reason: 'KAITO is creating 1 node (Standard_D8s_v3) for the RAGEngine.',
        steps: [
          { id: 'resource', title: 'Resources ready', status: 'active' },
          { id: 'service', title: 'RAG service deployed', status: 'pending' },
        ],
        kaitoMessage: {
          source: 'condition NodeClaimReady (CreateNodeClaimPending)',
          text: 'creating 1 nodeClaim',
          truncated: false,
        },
      }),
    );
    await renderRagCard(backend, <EntityKaitoRagEngineCard />);
    expect(await screen.findByTestId('kaito-phase')).toHaveTextContent(
      'Provisioning GPU nodes',
    );
    expect(screen.getByTestId('kaito-reason')).toHaveTextContent(
      'KAITO is creating 1 node (Standard_D8s_v3) for the RAGEngine.',
    );
    expect(
      screen.getByText(/KAITO says \(condition NodeClaimReady/),
    ).toHaveTextContent('creating 1 nodeClaim');
    expect(screen.getByTestId('kaito-step-resource')).toHaveAttribute(
      'data-status',
      'active',
    );
    expect(screen.getByTestId('kaito-connection')).toHaveTextContent('Live');

    act(() => backend.setSnapshot(ragSnapshot()));
    await waitFor(() =>
      expect(screen.getByTestId('kaito-phase')).toHaveTextContent('Ready'),
    );
    expect(screen.getByTestId('kaito-rag-fact-embedding')).toHaveTextContent(
      'BAAI/bge-small-en-v1.5',
    );
    expect(screen.getByTestId('kaito-rag-fact-vectordb')).toHaveTextContent(
      'faiss',
    );
    expect(screen.getByTestId('kaito-rag-fact-index')).toHaveTextContent(
      'team-docs',
    );
    expect(screen.getByTestId('kaito-rag-fact-inference')).toHaveTextContent(
      'http://phi-4-mini.kaito-demo/v1/chat/completions',
    );
    expect(screen.getByText('Standard_D8s_v3')).toBeInTheDocument();
    expect(
      screen.queryByTestId('kaito-rag-retrieve-only'),
    ).not.toBeInTheDocument();
    expect(await seriousAxeViolations()).toEqual([]);
  });

  it('shows a failure with its reason and fix', async () => {
    backend.setSnapshot(
      ragSnapshot({
        phase: 'Failed',
        outcome: 'terminal',
        cause: 'service',
        reason:
          'The RAG service did not start: the inference URL does not resolve. Fix spec.inferenceService.url.',
        fix: 'Set spec.inferenceService.url to the Workspace Service, e.g. http://phi-4-mini/v1/chat/completions.',
        steps: [
          { id: 'resource', title: 'Resources ready', status: 'done' },
          { id: 'service', title: 'RAG service deployed', status: 'failed' },
        ],
        conditions: [
          {
            type: 'RAGEngineServiceReady',
            status: 'False',
            reason: 'RAGEngineServiceStatusFailed',
            message: 'deployment team-docs not ready',
          },
        ],
      }),
    );
    await renderRagCard(backend, <EntityKaitoRagEngineCard />);
    expect(await screen.findByTestId('kaito-phase')).toHaveTextContent(
      'Failed',
    );
    expect(screen.getByTestId('kaito-reason')).toHaveTextContent(
      'The RAG service did not start',
    );
    expect(screen.getByTestId('kaito-reason')).toHaveTextContent(
      'Fix: Set spec.inferenceService.url to the Workspace Service',
    );
    expect(screen.getByText('Needs your action')).toBeInTheDocument();
    expect(screen.getByTestId('kaito-step-service')).toHaveAttribute(
      'data-status',
      'failed',
    );
    expect(screen.getByText('Conditions (1)')).toBeInTheDocument();
  });

  it('says a retrieve-only RAGEngine cannot chat', async () => {
    const s = ragSnapshot({ canChat: false });
    s.ragengine!.inferenceUrl = undefined;
    backend.setSnapshot(s);
    await renderRagCard(backend, <EntityKaitoRagEngineCard />);
    expect(
      await screen.findByTestId('kaito-rag-retrieve-only'),
    ).toHaveTextContent('Retrieve-only');
    expect(screen.getByTestId('kaito-rag-fact-inference')).toHaveTextContent(
      'none (retrieve-only)',
    );
  });

  it('explains a RAGEngine that is not on the cluster', async () => {
    backend.setSnapshot(
      ragSnapshot({}, { status: 'notFound', readiness: undefined }),
    );
    await renderRagCard(backend, <EntityKaitoRagEngineCard />);
    expect(await screen.findByTestId('kaito-problem')).toHaveTextContent(
      'There is no RAGEngine kaito-demo/team-docs on cluster kaito-simulator',
    );
  });
});
