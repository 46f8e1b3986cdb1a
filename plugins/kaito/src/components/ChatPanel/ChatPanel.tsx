import { Entity, getCompoundEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import {
  kaitoChatApiRef,
  useChatConversations,
  useChatModels,
  useChatReadiness,
  useChatSession,
} from '@kaito-backstage/plugin-kaito-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import AddIcon from '@material-ui/icons/Add';
import ForumIcon from '@material-ui/icons/Forum';
import TuneIcon from '@material-ui/icons/Tune';
import Alert from '@material-ui/lab/Alert';
import { ReactElement, ReactNode, useCallback, useMemo, useState } from 'react';
import { ChatComposer } from '../ChatComposer/ChatComposer';
import { ChatConversationList } from '../ChatConversationList/ChatConversationList';
import { ChatMessageList } from '../ChatMessageList/ChatMessageList';
import { ChatSettings } from '../ChatSettings/ChatSettings';

/** The model line shown under the chat's title. */
export function modelLineOf(
  modelsState: ReturnType<typeof useChatModels>,
  model: string | undefined,
) {
  if (model) return `Model: ${model}`;
  if (modelsState.loading) return 'Detecting the model…';
  return undefined;
}

/**
 * The chat with an entity's model: conversation, composer, settings and
 * saved conversations. `layout="page"` puts the saved conversations beside
 * the chat (the entity tab); `layout="card"` folds them away.
 */
export function ChatPanel(props: {
  entity: Entity;
  layout: 'card' | 'page';
  /** Wraps the chat, e.g. in a card whose subheader is the model line. */
  frame?: (content: ReactNode, modelLine: string | undefined) => ReactElement;
}) {
  const { entity, layout } = props;
  const chatApi = useApi(kaitoChatApiRef);
  const ref = useMemo(() => getCompoundEntityRef(entity), [entity]);
  const readiness = useChatReadiness(entity);
  const ready = readiness.state === 'ready';
  const modelsState = useChatModels(ref, ready);
  const [chosenModel, setChosenModel] = useState<string>();
  const conversations = useChatConversations(ref);
  const { refresh } = conversations;
  const [savedModel, setSavedModel] = useState<string>();
  // The user's choice, else the model the open conversation was held with, else the first served.
  const model = [chosenModel, savedModel, modelsState.models[0]?.id].find(
    id => id && modelsState.models.some(m => m.id === id),
  );
  const session = useChatSession({ entity: ref, model, onSaved: refresh });
  const [showSettings, setShowSettings] = useState(false);
  const [showConversations, setShowConversations] = useState(layout === 'page');
  const [openError, setOpenError] = useState<string>();

  const { load, reset } = session;
  const openConversation = useCallback(
    async (id: string) => {
      try {
        const conversation = await chatApi.getConversation(ref, id);
        load(conversation);
        setChosenModel(undefined);
        setSavedModel(conversation.settings?.model);
        setOpenError(undefined);
      } catch (e) {
        setOpenError(
          `Could not open the conversation: ${(e as Error).message}`,
        );
      }
    },
    [chatApi, ref, load],
  );

  const deleteConversation = useCallback(
    async (id: string) => {
      await conversations.remove(id);
      if (id === session.conversationId) reset();
    },
    [conversations, session.conversationId, reset],
  );

  const modelLine = modelLineOf(modelsState, model);

  const list = (
    <ChatConversationList
      items={conversations.items}
      loading={conversations.loading}
      error={conversations.error}
      activeId={session.conversationId}
      onOpen={openConversation}
      onRename={conversations.rename}
      onDelete={deleteConversation}
    />
  );

  const chat = (
    <Box display="flex" flexDirection="column" gridGap={8}>
      {showSettings && (
        <ChatSettings
          settings={session.settings}
          onChange={session.setSettings}
          models={modelsState.models}
          model={model}
          onModelChange={setChosenModel}
        />
      )}
      {!ready && (
        <Alert
          severity={readiness.state === 'unavailable' ? 'warning' : 'info'}
        >
          {readiness.message}
        </Alert>
      )}
      {ready && modelsState.error && (
        <Alert severity="warning">
          The model list could not be read ({modelsState.error.message}); the
          portal will use the model the endpoint serves.
        </Alert>
      )}
      {openError && <Alert severity="error">{openError}</Alert>}
      {session.saveError && (
        <Alert severity="warning">
          This conversation is not saved: {session.saveError.message}
        </Alert>
      )}
      <ChatMessageList
        messages={session.messages}
        onRetry={session.retry}
        emptyText={
          ready
            ? 'Ask the model anything. Answers stream in as markdown.'
            : 'The conversation appears here.'
        }
      />
      <ChatComposer
        streaming={session.streaming}
        disabledReason={ready ? undefined : readiness.message}
        onSend={session.send}
        onStop={session.stop}
      />
    </Box>
  );

  const content = (
    <div data-testid="kaito-chat">
      <Box display="flex" gridGap={8} mb={1} flexWrap="wrap">
        <Button
          size="small"
          startIcon={<AddIcon />}
          onClick={session.reset}
          disabled={session.messages.length === 0 && !session.conversationId}
        >
          New conversation
        </Button>
        <Button
          size="small"
          startIcon={<ForumIcon />}
          aria-expanded={showConversations}
          aria-controls="kaito-chat-conversations"
          onClick={() => setShowConversations(s => !s)}
        >
          Conversations ({conversations.items.length})
        </Button>
        <Button
          size="small"
          startIcon={<TuneIcon />}
          aria-expanded={showSettings}
          onClick={() => setShowSettings(s => !s)}
        >
          Settings
        </Button>
      </Box>
      {layout === 'page' ? (
        <Grid container spacing={2}>
          {showConversations && (
            <Grid item xs={12} md={3} id="kaito-chat-conversations">
              {list}
            </Grid>
          )}
          <Grid item xs={12} md={showConversations ? 9 : 12}>
            {chat}
          </Grid>
        </Grid>
      ) : (
        <>
          {showConversations && (
            <Box id="kaito-chat-conversations" mb={1}>
              {list}
            </Box>
          )}
          {chat}
        </>
      )}
    </div>
  );
  return props.frame ? props.frame(content, modelLine) : content;
}
