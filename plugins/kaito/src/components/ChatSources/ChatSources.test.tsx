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

/** A script link (built, so the linter's no-script-url does not flag the test data). */
const SCRIPT_URL = ['javascript', 'alert(1)'].join(':');

const sources: RagSourceNode[] = [
  {
    doc_id: 'doc-1',
    node_id: 'node-1',
    text: 'Restart the payments pods with kubectl rollout restart deploy/payments.',
    score: 0.8731,
    metadata: {
      title: 'runbook.md',
      url: '/docs/default/component/payments/runbook/',
    },
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
let apis: Awaited<ReturnType<ChatBackend['start']>> | undefined;
beforeEach(() => {
  backend = new ChatBackend();
  backend.ragSnapshot = ragSnapshot();
  apis = undefined;
});
afterEach(() => backend.stop());

/** Renders the chat card; a second call renders a fresh card on the same backend. */
async function renderChat() {
  apis ??= await backend.start();
  const { chatApi, kaitoApi } = apis;
  return renderInTestApp(
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
  expect(
    within(items[0]).getByRole('link', { name: 'runbook.md' }),
  ).toHaveAttribute('href', '/docs/default/component/payments/runbook/');
  // No title: the doc_id names it.
  expect(items[1]).toHaveTextContent('doc-2 (score 0.41)');
}

/** The sources as the conversation store keeps them: trimmed, not the whole node. */
const savedSources = [
  {
    doc_id: 'doc-1',
    title: 'runbook.md',
    url: '/docs/default/component/payments/runbook/',
    score: 0.8731,
    snippet:
      'Restart the payments pods with kubectl rollout restart deploy/payments.',
  },
  { doc_id: 'doc-2', score: 0.41, snippet: 'On-call rotates weekly.' },
];

describe('chat sources under RAG answers', () => {
  it('shows the sources of the last SSE chunk under a streamed answer, saves them trimmed, and shows them again when the conversation is reopened', async () => {
    backend.scripts.push({
      tokens: ['Run ', '`kubectl rollout restart`.'],
      sources,
    });
    const first = await renderChat();
    expect(screen.getByText('Chat with the documents')).toBeInTheDocument();
    await ask('How do I restart payments?');
    await waitFor(() =>
      expect(lastAnswer()).toHaveTextContent('kubectl rollout restart'),
    );
    await expectSourcesUnder(lastAnswer());
    expect(await seriousAxeViolations()).toEqual([]);
    // Saved with the answer, in the trimmed shape (no node_id, text or metadata).
    await waitFor(() =>
      expect(
        [...backend.conversations.values()][0]?.messages[1]?.sources,
      ).toBeDefined(),
    );
    const [conversation] = [...backend.conversations.values()];
    expect(conversation.messages[0]).not.toHaveProperty('sources');
    expect(conversation.messages[1].sources).toEqual(savedSources);
    const put = backend.requests.filter(r => r.method === 'PUT').pop();
    expect(put?.body.messages[1].sources).toEqual(savedSources);

    // A fresh card, as after a page reload: the conversation is opened from the list.
    first.unmount();
    await renderChat();
    fireEvent.click(
      await screen.findByRole('button', { name: 'Conversations (1)' }),
    );
    const list = screen.getByRole('navigation', {
      name: 'Saved conversations',
    });
    fireEvent.click(within(list).getByText('How do I restart payments?'));
    await waitFor(() =>
      expect(lastAnswer()).toHaveTextContent('kubectl rollout restart'),
    );
    await expectSourcesUnder(lastAnswer());
    // The question has none.
    const log = screen.getByRole('log', { name: 'Conversation' });
    expect(
      within(within(log).getByTestId('chat-message-user')).queryByRole(
        'button',
        { name: /Sources/ },
      ),
    ).toBeNull();
  });

  it('shows saved sources of a reopened conversation, linking only web addresses', async () => {
    backend.seed({
      id: 'saved',
      title: 'Restarts',
      messages: [
        { role: 'user', content: 'How do I restart payments?' },
        {
          role: 'assistant',
          content: 'Use the runbook.',
          sources: [{ ...savedSources[0], url: SCRIPT_URL }, savedSources[1]],
        },
      ],
    });
    await renderChat();
    fireEvent.click(
      await screen.findByRole('button', { name: 'Conversations (1)' }),
    );
    fireEvent.click(screen.getByText('Restarts'));
    await waitFor(() =>
      expect(lastAnswer()).toHaveTextContent('Use the runbook.'),
    );
    fireEvent.click(
      within(lastAnswer()).getByRole('button', { name: 'Sources (2)' }),
    );
    const items = within(lastAnswer()).getAllByTestId('kaito-chat-source');
    expect(items[0]).toHaveTextContent('runbook.md (score 0.87)');
    expect(within(items[0]).queryByRole('link')).toBeNull();
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
