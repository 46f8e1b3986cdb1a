import { CompoundEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { useEffect, useState } from 'react';
import { kaitoChatApiRef, KaitoChatModel } from '../api/chat';

/**
 * The models an entity's endpoint serves (its `/v1/models`), loaded once
 * `enabled` (the chat is ready).
 *
 * @public
 */
export interface KaitoChatModelsState {
  models: KaitoChatModel[];
  loading: boolean;
  error?: Error;
}

/** @public */
export function useChatModels(
  entity: CompoundEntityRef,
  enabled: boolean,
): KaitoChatModelsState {
  const chatApi = useApi(kaitoChatApiRef);
  const [state, setState] = useState<KaitoChatModelsState>({
    models: [],
    loading: false,
  });
  const { kind, namespace, name } = entity;
  useEffect(() => {
    if (!enabled) return undefined;
    const controller = new AbortController();
    setState(s => ({ ...s, loading: true, error: undefined }));
    chatApi
      .listModels({ kind, namespace, name }, { signal: controller.signal })
      .then(
        models => setState({ models, loading: false }),
        error => {
          if (!controller.signal.aborted) {
            setState({ models: [], loading: false, error });
          }
        },
      );
    return () => controller.abort();
  }, [chatApi, kind, namespace, name, enabled]);
  return state;
}
