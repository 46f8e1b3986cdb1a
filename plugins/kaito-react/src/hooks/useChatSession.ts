import { CompoundEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import {
  ChatMessage,
  Conversation,
  ConversationMessage,
  ConversationSettings,
  ConversationSource,
  RagSourceNode,
  toConversationSources,
} from '@kaito-backstage/plugin-kaito-common';
import { useCallback, useEffect, useRef, useState } from 'react';
import {
  describeChatError,
  kaitoChatApiRef,
  KaitoChatErrorInfo,
} from '../api/chat';

/**
 * A message of the open conversation; `key` is stable for React lists.
 *
 * @public
 */
export interface KaitoChatSessionMessage extends ConversationMessage {
  key: string;
  /** True while this answer is streaming in. */
  streaming?: boolean;
  /** Why this answer failed, for the inline error and Retry. */
  errorInfo?: KaitoChatErrorInfo;
  /** When it failed (ms since epoch), to count down a Retry-After. */
  failedAt?: number;
  // `sources` (from ConversationMessage): the documents a RAGEngine retrieved for this answer
  // (`source_nodes`), trimmed as they are saved, so a reopened conversation shows the same list.
}

/**
 * The open conversation: messages, settings, the answer in flight, and what
 * the user can do with them.
 *
 * @public
 */
export interface KaitoChatSession {
  /** Set once the conversation was saved for the first time. */
  conversationId?: string;
  title?: string;
  messages: KaitoChatSessionMessage[];
  settings: ConversationSettings;
  /** An answer is streaming. */
  streaming: boolean;
  /** Saving the conversation failed (the chat itself goes on). */
  saveError?: Error;
  send(text: string): void;
  /** Stops the answer in flight; the partial answer is kept and saved as stopped. */
  stop(): void;
  /** Asks again for the last answer, which failed. */
  retry(): void;
  setSettings(settings: ConversationSettings): void;
  /** Opens a saved conversation. */
  load(conversation: Conversation): void;
  /** Starts a new, empty conversation. */
  reset(): void;
}

/** @public */
export interface KaitoChatSessionOptions {
  entity: CompoundEntityRef;
  /** The served model name (the backend fills it in when absent). */
  model?: string;
  /** Called after each save with the stored conversation. */
  onSaved?: (conversation: Conversation) => void;
}

const TITLE_LENGTH = 60;
/** The conversation store keeps at most this much of an error message. */
const MAX_ERROR_CHARS = 2000;

function titleOf(text: string): string {
  const line = text.trim().split('\n')[0].trim();
  return line.length > TITLE_LENGTH
    ? `${line.slice(0, TITLE_LENGTH - 1)}…`
    : line || 'Conversation';
}

let keys = 0;
const newKey = () => `m${++keys}`;

/** What is saved: every finished message, without the UI's fields (an answer keeps its sources). */
function toStored(messages: KaitoChatSessionMessage[]): ConversationMessage[] {
  return messages
    .filter(m => !m.streaming)
    .map(
      ({
        key: _k,
        streaming: _s,
        errorInfo: _e,
        failedAt: _f,
        sources,
        ...m
      }) => ({
        ...m,
        ...(m.error &&
          m.error.length > MAX_ERROR_CHARS && {
            error: `${m.error.slice(0, MAX_ERROR_CHARS - 1)}…`,
          }),
        ...(m.role === 'assistant' && sources?.length && { sources }),
      }),
    );
}

/**
 * The `source_nodes` a RAG answer carries at the top level of a chunk, when it has any,
 * trimmed as the conversation store keeps them (the best-ranked 10, the start of each text).
 */
function sourcesOf(chunk: unknown): ConversationSource[] | undefined {
  const nodes = (chunk as { source_nodes?: unknown }).source_nodes;
  return Array.isArray(nodes)
    ? toConversationSources(nodes as RagSourceNode[])
    : undefined;
}

/** What the model sees: the system prompt and every message that is not a failed answer. */
function toRequestMessages(
  messages: KaitoChatSessionMessage[],
  settings: ConversationSettings,
): ChatMessage[] {
  const history = messages
    .filter(m => m.role !== 'system' && !(m.role === 'assistant' && m.error))
    .map(m => ({ role: m.role, content: m.content }));
  const system = settings.systemPrompt?.trim();
  return system ? [{ role: 'system', content: system }, ...history] : history;
}

/**
 * One chat conversation with an entity's model: streams answers (stop aborts
 * the request), keeps multi-turn history, and saves the conversation after
 * each exchange (created on the first message).
 *
 * @public
 */
export function useChatSession(
  options: KaitoChatSessionOptions,
): KaitoChatSession {
  const chatApi = useApi(kaitoChatApiRef);
  const { kind, namespace, name } = options.entity;
  const [messages, setMessagesState] = useState<KaitoChatSessionMessage[]>([]);
  const [settings, setSettingsState] = useState<ConversationSettings>({});
  const [conversationId, setConversationId] = useState<string>();
  const [title, setTitle] = useState<string>();
  const [streaming, setStreaming] = useState(false);
  const [saveError, setSaveError] = useState<Error>();

  // The truth for async code; state mirrors it for rendering.
  const messagesRef = useRef(messages);
  const settingsRef = useRef(settings);
  const idRef = useRef<Promise<string | undefined> | undefined>(undefined);
  const abortRef = useRef<AbortController>();
  const saveChain = useRef<Promise<void>>(Promise.resolve());
  // Bumped on load/reset so a finishing answer of the old conversation is not saved into the new one.
  const epochRef = useRef(0);
  const optionsRef = useRef(options);
  optionsRef.current = options;

  const setMessages = useCallback(
    (
      update: (current: KaitoChatSessionMessage[]) => KaitoChatSessionMessage[],
    ) => {
      messagesRef.current = update(messagesRef.current);
      setMessagesState(messagesRef.current);
    },
    [],
  );

  useEffect(() => () => abortRef.current?.abort(), []);

  const entity = useCallback(
    () => ({ kind, namespace, name }),
    [kind, namespace, name],
  );

  /** Saves messages + settings: POST the first time, PUT afterwards; saves run one at a time. */
  const save = useCallback(
    (epoch: number, firstTitle?: string) => {
      const run = async () => {
        if (epoch !== epochRef.current) return;
        const model = optionsRef.current.model;
        const input = {
          messages: toStored(messagesRef.current),
          settings: model
            ? { ...settingsRef.current, model }
            : settingsRef.current,
        };
        try {
          const existing = idRef.current ? await idRef.current : undefined;
          let saved: Conversation;
          if (existing) {
            saved = await chatApi.updateConversation(entity(), existing, input);
          } else {
            const creating = chatApi.createConversation(entity(), {
              title: firstTitle ?? titleOf(input.messages[0]?.content ?? ''),
              ...input,
            });
            idRef.current = creating.then(
              c => c.id,
              () => undefined,
            );
            saved = await creating;
          }
          if (epoch !== epochRef.current) return;
          setConversationId(saved.id);
          setTitle(saved.title);
          setSaveError(undefined);
          optionsRef.current.onSaved?.(saved);
        } catch (error) {
          if (epoch === epochRef.current) setSaveError(error as Error);
        }
      };
      saveChain.current = saveChain.current.then(run);
      return saveChain.current;
    },
    [chatApi, entity],
  );

  const answer = useCallback(async () => {
    const epoch = epochRef.current;
    const controller = new AbortController();
    abortRef.current = controller;
    const key = newKey();
    const request = {
      ...(optionsRef.current.model ? { model: optionsRef.current.model } : {}),
      messages: toRequestMessages(messagesRef.current, settingsRef.current),
      ...(settingsRef.current.temperature !== undefined && {
        temperature: settingsRef.current.temperature,
      }),
      ...(settingsRef.current.top_p !== undefined && {
        top_p: settingsRef.current.top_p,
      }),
      ...(settingsRef.current.max_tokens !== undefined && {
        max_tokens: settingsRef.current.max_tokens,
      }),
    };
    setMessages(ms => [
      ...ms,
      {
        key,
        role: 'assistant',
        content: '',
        createdAt: new Date().toISOString(),
        streaming: true,
      },
    ]);
    setStreaming(true);
    const patch = (p: Partial<KaitoChatSessionMessage>) =>
      setMessages(ms => ms.map(m => (m.key === key ? { ...m, ...p } : m)));
    let content = '';
    try {
      for await (const chunk of chatApi.streamChatCompletion(
        entity(),
        request,
        { signal: controller.signal },
      )) {
        const delta = chunk.choices[0]?.delta?.content;
        if (typeof delta === 'string' && delta) {
          content += delta;
          patch({ content });
        }
        // A RAGEngine's retrieved documents ride on the last chunk (or the JSON answer).
        const sources = sourcesOf(chunk);
        if (sources) patch({ sources });
      }
      patch({ content, streaming: false });
    } catch (error) {
      const info = describeChatError(error);
      if (info.kind === 'aborted') {
        patch({ content, streaming: false, stopped: true });
      } else {
        patch({
          content,
          streaming: false,
          error: info.message,
          errorInfo: info,
          failedAt: Date.now(),
        });
      }
    } finally {
      if (abortRef.current === controller) abortRef.current = undefined;
      if (epoch === epochRef.current) setStreaming(false);
    }
    await save(epoch);
  }, [chatApi, entity, save, setMessages]);

  const send = useCallback(
    (text: string) => {
      const content = text.trim();
      if (!content || abortRef.current) return;
      const first = messagesRef.current.length === 0 && !idRef.current;
      setMessages(ms => [
        ...ms,
        {
          key: newKey(),
          role: 'user',
          content,
          createdAt: new Date().toISOString(),
        },
      ]);
      // The conversation is created with the first message, while the answer streams.
      if (first) save(epochRef.current, titleOf(content));
      answer();
    },
    [answer, save, setMessages],
  );

  const stop = useCallback(() => abortRef.current?.abort(), []);

  const retry = useCallback(() => {
    if (abortRef.current) return;
    const last = messagesRef.current[messagesRef.current.length - 1];
    if (!last || last.role !== 'assistant' || !last.error) return;
    setMessages(ms => ms.slice(0, -1));
    answer();
  }, [answer, setMessages]);

  const setSettings = useCallback((next: ConversationSettings) => {
    settingsRef.current = next;
    setSettingsState(next);
  }, []);

  const open = useCallback(
    (conversation?: Conversation) => {
      abortRef.current?.abort();
      abortRef.current = undefined;
      epochRef.current += 1;
      setStreaming(false);
      setSaveError(undefined);
      setConversationId(conversation?.id);
      setTitle(conversation?.title);
      idRef.current = conversation
        ? Promise.resolve(conversation.id)
        : undefined;
      setMessages(() =>
        (conversation?.messages ?? []).map(m => ({ ...m, key: newKey() })),
      );
      setSettings(conversation?.settings ?? {});
    },
    [setMessages, setSettings],
  );

  const load = useCallback((c: Conversation) => open(c), [open]);
  const reset = useCallback(() => open(undefined), [open]);

  return {
    conversationId,
    title,
    messages,
    settings,
    streaming,
    saveError,
    send,
    stop,
    retry,
    setSettings,
    load,
    reset,
  };
}
