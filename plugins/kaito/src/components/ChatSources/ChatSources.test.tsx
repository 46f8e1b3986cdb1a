import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import type { RagSourceNode } from '@kaito-backstage/plugin-kaito-common';
import {
  kaitoApiRef,
  kaitoChatApiRef,
  kaitoRagApiRef,
} from '@kaito-backstage/plugin-kaito-react';
import {
  configure,
  fireEvent,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import { EntityKaitoChatCard } from '../ChatCard';
import { ChatBackend } from '../ChatTestUtils/chatBackend';
import { ragSnapshot } from '../../__testUtils__/rag/ragBackend';
import {
  ragEntity,
  seriousAxeViolations,
} from '../../__testUtils__/rag/renderRag';

jest.setTimeout(60_000);
configure({ asyncUtilTimeout: 20_000 });

const sources: RagSourceNode[] = [
  {
    doc_id: 'doc-1',
    node_id: 'node-1',
    text: 'Restart the payments pods with kubectl rollout restart deploy/payments.',
    score: 0.8731,
    metadata: { title: 'runbook.md' },
  },
  {
    doc_id: 'doc-2',
    node_id: 'node-2',
    text: 'On-call rotates weekly.',
    score: 0.41,
    metadata: {},
  },
];

let backend: ChatBackend;
beforeEach(() => {
  backend = new ChatBackend();
  backend.ragSnapshot = ragSnapshot();
});
afterEach(() => backend.stop());

async function renderChat() {
  const { chatApi, kaitoApi } = await backend.start();
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [kaitoChatApiRef, chatApi],
        [kaitoApiRef, kaitoApi],
        [kaitoRagApiRef, kaitoApi],
      ]}
    >
      <EntityProvider entity={ragEntity}>
        <EntityKaitoChatCard />
      </EntityProvider>
    </TestApiProvider>,
  );
}

const messageBox = () => screen.getByRole('textbox', { name: 'Message' });

async function ask(text: string) {
  await waitFor(() => expect(messageBox()).toBeEnabled());
  fireEvent.change(messageBox(), { target: { value: text } });
  fireEvent.keyDown(messageBox(), { key: 'Enter' });
}

function lastAnswer() {
  const log = screen.getByRole('log', { name: 'Conversation' });
  const answers = within(log).getAllByTestId('chat-message-assistant');
  return answers[answers.length - 1];
}

async function expectSourcesUnder(answer: HTMLElement) {
  const toggle = await within(answer).findByRole('button', {
    name: 'Sources (2)',
  });
  expect(toggle).toHaveAttribute('aria-expanded', 'false');
  fireEvent.click(toggle);
  expect(toggle).toHaveAttribute('aria-expanded', 'true');
  const items = within(answer).getAllByTestId('kaito-chat-source');
  expect(items[0]).toHaveTextContent('runbook.md (score 0.87)');
  expect(items[0]).toHaveTextContent(
    'Restart the payments pods with kubectl rollout restart deploy/payments.',
  );
  // No title: the doc_id names it.
  expect(items[1]).toHaveTextContent('doc-2 (score 0.41)');
}

describe('chat sources under RAG answers', () => {
  it('shows the sources of the last SSE chunk under a streamed answer, and saves the answer without them', async () => {
    backend.scripts.push({
      tokens: ['Run ', '`kubectl rollout restart`.'],
      sources,
    });
    await renderChat();
    expect(screen.getByText('Chat with the documents')).toBeInTheDocument();
    const saved = backend.nextSave();
    await ask('How do I restart payments?');
    await waitFor(() =>
      expect(lastAnswer()).toHaveTextContent('kubectl rollout restart'),
    );
    await expectSourcesUnder(lastAnswer());
    expect(await seriousAxeViolations()).toEqual([]);
    await saved;
    const [conversation] = [...backend.conversations.values()];
    expect(Object.keys(conversation.messages[1] ?? {})).not.toContain(
      'sources',
    );
  });

  it('shows the source_nodes of a JSON answer', async () => {
    backend.scripts.push({
      json: {
        id: 'chatcmpl-rag',
        object: 'chat.completion',
        created: 1,
        model: 'phi-4-mini-instruct',
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: 'Use the runbook.' },
            finish_reason: 'stop',
          },
        ],
        source_nodes: sources,
      },
    });
    await renderChat();
    await ask('Where is the runbook?');
    await waitFor(() =>
      expect(lastAnswer()).toHaveTextContent('Use the runbook.'),
    );
    await expectSourcesUnder(lastAnswer());
  });

  it('keeps the chat closed, and says why, for a retrieve-only RAGEngine', async () => {
    backend.ragSnapshot = ragSnapshot({ canChat: false });
    await renderChat();
    // The notice above the conversation, and the composer's own note.
    expect(
      await screen.findAllByText(/This RAGEngine is retrieve-only/),
    ).toHaveLength(2);
    expect(messageBox()).toBeDisabled();
  });
});
