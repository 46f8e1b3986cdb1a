import { CompoundEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { ConversationSummary } from '@kaito-backstage/plugin-kaito-common';
import { useCallback, useEffect, useState } from 'react';
import { kaitoChatApiRef } from '../api/chat';

/**
 * The caller's saved conversations with an entity, newest first.
 *
 * @public
 */
export interface KaitoChatConversationsState {
  items: ConversationSummary[];
  loading: boolean;
  error?: Error;
  /** Loads the list again. */
  refresh(): void;
  rename(id: string, title: string): Promise<void>;
  remove(id: string): Promise<void>;
}

/** @public */
export function useChatConversations(
  entity: CompoundEntityRef,
): KaitoChatConversationsState {
  const chatApi = useApi(kaitoChatApiRef);
  const { kind, namespace, name } = entity;
  const [items, setItems] = useState<ConversationSummary[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<Error>();
  const [generation, setGeneration] = useState(0);
  const refresh = useCallback(() => setGeneration(g => g + 1), []);

  useEffect(() => {
    let current = true;
    setLoading(true);
    chatApi.listConversations({ kind, namespace, name }).then(
      list => {
        if (!current) return;
        setItems(list);
        setError(undefined);
        setLoading(false);
      },
      e => {
        if (!current) return;
        setError(e);
        setLoading(false);
      },
    );
    return () => {
      current = false;
    };
  }, [chatApi, kind, namespace, name, generation]);

  const rename = useCallback(
    async (id: string, title: string) => {
      const updated = await chatApi.updateConversation(
        { kind, namespace, name },
        id,
        { title },
      );
      setItems(list =>
        list.map(c => (c.id === id ? { ...c, title: updated.title } : c)),
      );
    },
    [chatApi, kind, namespace, name],
  );

  const remove = useCallback(
    async (id: string) => {
      await chatApi.deleteConversation({ kind, namespace, name }, id);
      setItems(list => list.filter(c => c.id !== id));
    },
    [chatApi, kind, namespace, name],
  );

  return { items, loading, error, refresh, rename, remove };
}
