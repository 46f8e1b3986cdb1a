import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  kaitoApiRef,
  kaitoChatApiRef,
} from '@kaito-backstage/plugin-kaito-react';
import {
  act,
  configure,
  fireEvent,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import { ChatBackend, snapshot } from '../ChatTestUtils/chatBackend';
import { EntityKaitoChatCard } from './EntityKaitoChatCard';

const workspaceEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'phi-4-mini',
    namespace: 'default',
    annotations: {
      'kaito.sh/workspace': 'kaito-demo/phi-4-mini',
      'kaito.sh/cluster': 'kaito-simulator',
    },
  },
  spec: { type: 'kaito-workspace', owner: 'group:default/ml-platform' },
};

// Waits end on events (a render, a request); the timeouts only bound a hung test on a loaded machine.
jest.setTimeout(60_000);
configure({ asyncUtilTimeout: 20_000 });

let backend: ChatBackend;

beforeEach(() => {
  backend = new ChatBackend();
});

afterEach(async () => {
  await backend.stop();
});

async function renderCard(entity: Entity = workspaceEntity) {
  const { chatApi, kaitoApi } = await backend.start();
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [kaitoChatApiRef, chatApi],
        [kaitoApiRef, kaitoApi],
      ]}
    >
      <EntityProvider entity={entity}>
        <EntityKaitoChatCard />
      </EntityProvider>
    </TestApiProvider>,
  );
}

const messageBox = () => screen.getByRole('textbox', { name: 'Message' });
const conversationLog = () => screen.getByRole('log', { name: 'Conversation' });

async function send(text: string) {
  await waitFor(() => expect(messageBox()).toBeEnabled());
  fireEvent.change(messageBox(), { target: { value: text } });
  fireEvent.keyDown(messageBox(), { key: 'Enter' });
}

/** The last model message in the conversation. */
function lastAnswer() {
  const answers = within(conversationLog()).getAllByTestId(
    'chat-message-assistant',
  );
  return answers[answers.length - 1];
}

describe('EntityKaitoChatCard', () => {
  it('streams the answer as markdown, then saves the exchange', async () => {
    backend.scripts.push({
      tokens: ['Hello', ' **world**', '\n\n```python\nprint(1)\n```\n'],
      holdAfter: 1,
    });
    await renderCard();
    expect(
      await screen.findByText('Model: phi-4-mini-instruct'),
    ).toBeInTheDocument();

    const created = backend.nextSave();
    await send('Hi there');
    // The first token is on screen while the rest is held back: it streams.
    await waitFor(() => expect(lastAnswer()).toHaveTextContent('Hello'));
    expect(lastAnswer()).toHaveAttribute('aria-busy', 'true');
    expect(screen.getByRole('button', { name: 'Stop' })).toBeInTheDocument();
    await created;

    const saved = backend.nextSave();
    act(() => backend.release());
    await waitFor(() =>
      expect(lastAnswer().querySelector('strong')).toHaveTextContent('world'),
    );
    await waitFor(() => expect(lastAnswer()).not.toHaveAttribute('aria-busy'));
    // Code renders as a snippet with its own copy button, beside the message's
    // (the snippet's highlighter loads lazily, so wait for it).
    await waitFor(() =>
      expect(
        within(lastAnswer()).getAllByRole('button', { name: /copy/i }),
      ).toHaveLength(2),
    );
    expect(
      within(lastAnswer()).getByRole('button', { name: 'Copy model message' }),
    ).toBeInTheDocument();
    expect(lastAnswer()).toHaveTextContent('print(1)');
    await saved;

    const [request] = backend.chatRequests();
    expect(request.body).toEqual({
      model: 'phi-4-mini-instruct',
      messages: [{ role: 'user', content: 'Hi there' }],
      stream: true,
    });
    const [conversation] = [...backend.conversations.values()];
    expect(conversation.title).toBe('Hi there');
    expect(conversation.messages).toEqual([
      expect.objectContaining({ role: 'user', content: 'Hi there' }),
      expect.objectContaining({
        role: 'assistant',
        content: 'Hello **world**\n\n```python\nprint(1)\n```\n',
      }),
    ]);
    expect(conversation.messages[1].error).toBeUndefined();
    expect(conversation.settings).toEqual({ model: 'phi-4-mini-instruct' });
    expect(
      screen.getByRole('button', { name: /Conversations \(1\)/ }),
    ).toBeInTheDocument();
  });

  it('stops a streaming answer, aborting the request, and saves it as stopped', async () => {
    backend.scripts.push({
      tokens: ['Long', ' answer', ' never'],
      holdAfter: 1,
    });
    await renderCard();
    await send('Tell me a long story');
    await waitFor(() => expect(lastAnswer()).toHaveTextContent('Long'));
    const saved = backend.nextSave();
    fireEvent.click(screen.getByRole('button', { name: 'Stop' }));
    await backend.clientLeft;
    await waitFor(() => expect(lastAnswer()).toHaveTextContent('stopped'));
    expect(screen.getByRole('button', { name: 'Send' })).toBeInTheDocument();
    await saved;
    await waitFor(() =>
      expect([...backend.conversations.values()][0]?.messages[1]).toEqual(
        expect.objectContaining({
          role: 'assistant',
          content: 'Long',
          stopped: true,
        }),
      ),
    );
  });

  it('shows a stream error mid-answer inline, saves it flagged, and retries', async () => {
    backend.scripts.push(
      {
        tokens: ['Partial', ' rest'],
        errorAfter: {
          tokens: 1,
          message: 'The model server closed the stream',
          code: 'upstream_error',
        },
      },
      { tokens: ['Second', ' try'] },
    );
    await renderCard();
    const saved = backend.nextSave();
    await send('Hello');
    expect(
      await screen.findByText(
        /The answer broke off: The model server closed the stream/,
      ),
    ).toBeInTheDocument();
    expect(lastAnswer()).toHaveTextContent('Partial');
    await saved;
    await waitFor(() =>
      expect([...backend.conversations.values()][0]?.messages[1]).toEqual(
        expect.objectContaining({
          content: 'Partial',
          error: 'The model server closed the stream',
        }),
      ),
    );

    const resaved = backend.nextSave();
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(lastAnswer()).toHaveTextContent('Second try'));
    expect(screen.queryByText(/broke off/)).not.toBeInTheDocument();
    await resaved;
    // The retry asked again with the same history, without the failed answer.
    expect(backend.chatRequests()[1].body.messages).toEqual([
      { role: 'user', content: 'Hello' },
    ]);
    const stored = [...backend.conversations.values()][0].messages;
    expect(stored).toHaveLength(2);
    expect(stored[1]).toEqual(
      expect.objectContaining({ content: 'Second try' }),
    );
    expect(stored[1].error).toBeUndefined();
  });

  it('shows when to retry after a 429 and enables Retry when the time has come', async () => {
    backend.scripts.push({
      status: 429,
      headers: { 'Retry-After': '3' },
      error: {
        name: 'TooManyRequestsError',
        message: 'The model server is overloaded',
        type: 'rate_limit_error',
        code: 'rate_limited',
      },
    });
    await renderCard();
    await send('Hello');
    expect(
      await screen.findByText(
        /The model is busy: The model server is overloaded\. You can retry in [1-3] s\./,
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Retry' })).toBeDisabled();
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Retry' })).toBeEnabled(),
    );
    expect(screen.getByText(/You can retry now\./)).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(lastAnswer()).toHaveTextContent('OK'));
  });

  it('is disabled with the readiness reason until the workspace is Ready', async () => {
    backend.setSnapshot(
      snapshot(
        'Provisioning',
        'Waiting for the GPU node (Standard_NC24ads_A100_v4).',
      ),
    );
    await renderCard();
    const reason = await screen.findAllByText(
      /It is Provisioning: Waiting for the GPU node \(Standard_NC24ads_A100_v4\)\./,
    );
    expect(reason.length).toBeGreaterThan(0);
    expect(messageBox()).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Send' })).toBeDisabled();
    // No model request is made while it cannot answer.
    expect(backend.requests.some(r => r.path === '/models')).toBe(false);

    act(() => backend.setSnapshot(snapshot('Ready')));
    await waitFor(() => expect(messageBox()).toBeEnabled());
    expect(
      await screen.findByText('Model: phi-4-mini-instruct'),
    ).toBeInTheDocument();
  });

  it('shows the readiness reason when the backend answers not ready', async () => {
    backend.scripts.push({
      status: 409,
      error: {
        name: 'ConflictError',
        message: 'Workspace kaito-demo/phi-4-mini is not ready (Failed): quota',
        type: 'not_ready_error',
        code: 'workspace_not_ready',
        phase: 'Failed',
        reason: 'The subscription has no quota for Standard_NC24ads_A100_v4.',
      },
    });
    await renderCard();
    await send('Hello');
    expect(
      await screen.findByText(
        'The workspace is not ready (Failed): The subscription has no quota for Standard_NC24ads_A100_v4.',
      ),
    ).toBeInTheDocument();
  });

  it('lists, resumes, renames and deletes saved conversations', async () => {
    backend.seed({
      id: 'older',
      title: 'About GPUs',
      updatedAt: '2026-01-01T09:00:00.000Z',
      messages: [
        { role: 'user', content: 'Which GPU?' },
        { role: 'assistant', content: 'An **A100**.' },
      ],
      settings: { systemPrompt: 'Be brief.', temperature: 0.3 },
    });
    backend.seed({
      id: 'newer',
      title: 'Other',
      updatedAt: '2026-01-01T11:00:00.000Z',
    });
    backend.scripts.push({ tokens: ['Sure.'] });
    await renderCard();
    fireEvent.click(
      await screen.findByRole('button', { name: 'Conversations (2)' }),
    );
    const list = screen.getByRole('navigation', {
      name: 'Saved conversations',
    });
    const titles = within(list)
      .getAllByRole('button')
      .map(b => b.textContent)
      .filter(t => t && /GPUs|Other/.test(t));
    expect(titles[0]).toMatch(/^Other/);
    expect(titles[1]).toMatch(/^About GPUs/);

    fireEvent.click(within(list).getByText('About GPUs'));
    await waitFor(() => expect(lastAnswer()).toHaveTextContent('An A100.'));
    expect(lastAnswer().querySelector('strong')).toHaveTextContent('A100');

    // Resumed: the next message continues it, with its saved settings.
    const saved = backend.nextSave();
    await send('And how many?');
    await waitFor(() => expect(lastAnswer()).toHaveTextContent('Sure.'));
    await saved;
    expect(backend.chatRequests()[0].body).toEqual(
      expect.objectContaining({
        temperature: 0.3,
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Which GPU?' },
          { role: 'assistant', content: 'An **A100**.' },
          { role: 'user', content: 'And how many?' },
        ],
      }),
    );
    expect(backend.conversations.get('older')?.messages).toHaveLength(4);
    expect(backend.conversations.size).toBe(2);

    fireEvent.click(
      within(list).getByRole('button', {
        name: 'Rename conversation About GPUs',
      }),
    );
    fireEvent.change(
      within(list).getByRole('textbox', { name: 'Conversation title' }),
      { target: { value: 'GPU sizing' } },
    );
    fireEvent.click(within(list).getByRole('button', { name: 'Save' }));
    expect(await within(list).findByText('GPU sizing')).toBeInTheDocument();
    expect(backend.conversations.get('older')?.title).toBe('GPU sizing');

    fireEvent.click(
      within(list).getByRole('button', {
        name: 'Delete conversation GPU sizing',
      }),
    );
    const dialog = await screen.findByRole('dialog');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Delete' }));
    await waitFor(() =>
      expect(within(list).queryByText('GPU sizing')).not.toBeInTheDocument(),
    );
    expect(backend.conversations.has('older')).toBe(false);
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    // The open conversation was the deleted one: the chat starts afresh.
    expect(
      within(conversationLog()).queryAllByTestId('chat-message-user'),
    ).toHaveLength(0);
  });

  it('renders HTML in model output as inert text', async () => {
    backend.scripts.push({
      tokens: [
        'Look: <script>window.__kaitoPwned = 1</script> ',
        '<img src="x" onerror="window.__kaitoPwned = 2"> ',
        '[click](javascript:window.__kaitoPwned=3) ',
        '![pixel](https://tracker.example/p.png)',
      ],
    });
    await renderCard();
    await send('Say something nasty');
    await waitFor(() => expect(lastAnswer()).toHaveTextContent('Look:'));
    await waitFor(() => expect(lastAnswer()).toHaveTextContent('pixel'));
    const answer = lastAnswer();
    expect(answer.querySelector('script')).toBeNull();
    expect(answer.querySelector('img')).toBeNull();
    expect(answer.querySelector('[onerror]')).toBeNull();
    // The HTML is shown as text, not interpreted.
    expect(answer).toHaveTextContent(
      '<script>window.__kaitoPwned = 1</script>',
    );
    expect(answer).toHaveTextContent(
      '<img src="x" onerror="window.__kaitoPwned = 2">',
    );
    const link = within(answer).getByText('click').closest('a');
    expect(link?.getAttribute('href') ?? '').not.toMatch(/javascript:/i);
    expect((window as any).__kaitoPwned).toBeUndefined();
  });

  it('sends with Enter, keeps Shift+Enter for a new line, and applies settings', async () => {
    backend.scripts.push({ tokens: ['Fine.'] });
    await renderCard();
    await screen.findByText('Model: phi-4-mini-instruct');
    fireEvent.click(screen.getByRole('button', { name: 'Settings' }));
    const settings = screen.getByRole('region', { name: 'Chat settings' });
    fireEvent.change(
      within(settings).getByRole('textbox', { name: 'System prompt' }),
      { target: { value: 'Answer in French.' } },
    );
    fireEvent.change(
      within(settings).getByRole('spinbutton', { name: 'Temperature' }),
      { target: { value: '3' } },
    );
    expect(
      within(settings).getByText('Temperature must be between 0 and 2'),
    ).toBeInTheDocument();
    fireEvent.change(
      within(settings).getByRole('spinbutton', { name: 'Temperature' }),
      { target: { value: '0.5' } },
    );
    fireEvent.change(
      within(settings).getByRole('spinbutton', { name: 'Max tokens' }),
      { target: { value: '64' } },
    );

    await waitFor(() => expect(messageBox()).toBeEnabled());
    fireEvent.change(messageBox(), { target: { value: 'line one' } });
    fireEvent.keyDown(messageBox(), { key: 'Enter', shiftKey: true });
    expect(backend.chatRequests()).toHaveLength(0);
    fireEvent.keyDown(messageBox(), { key: 'Enter' });
    await waitFor(() => expect(lastAnswer()).toHaveTextContent('Fine.'));
    expect(messageBox()).toHaveValue('');
    expect(backend.chatRequests()[0].body).toEqual({
      model: 'phi-4-mini-instruct',
      messages: [
        { role: 'system', content: 'Answer in French.' },
        { role: 'user', content: 'line one' },
      ],
      temperature: 0.5,
      max_tokens: 64,
      stream: true,
    });
  });

  it('chats with an external target without a readiness stream', async () => {
    backend.scripts.push({ tokens: ['External.'] });
    await renderCard({
      ...workspaceEntity,
      metadata: {
        name: 'gpt',
        namespace: 'default',
        annotations: { 'kaito.sh/external-target': 'azure-openai' },
      },
    });
    await send('Hi');
    await waitFor(() => expect(lastAnswer()).toHaveTextContent('External.'));
    expect(backend.requests.some(r => r.path === '/workspace/events')).toBe(
      false,
    );
  });
});
