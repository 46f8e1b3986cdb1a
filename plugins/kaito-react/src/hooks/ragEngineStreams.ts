import type { RagEngineSnapshot } from '@kaito-backstage/plugin-kaito-common';
import type { KaitoStreamState } from '../api/KaitoApi';
import type { KaitoRagApi } from '../api/rag/KaitoRagApi';

/** What every subscriber of one RAGEngine stream sees. */
export interface RagEngineStreamState {
  snapshot?: RagEngineSnapshot;
  connection: KaitoStreamState | { state: 'closed' };
  error?: Error;
}

type Listener = (state: RagEngineStreamState) => void;

interface SharedStream {
  state: RagEngineStreamState;
  listeners: Set<Listener>;
  controller?: AbortController;
  start(): void;
}

/**
 * One readiness stream per RAGEngine entity, shared by every card on the page (the readiness
 * card, the documents card and the chat each follow it): a browser keeps at most six HTTP/1.1
 * connections per host, so one long-lived stream per card would starve the page's requests.
 */
const streams = new WeakMap<KaitoRagApi, Map<string, SharedStream>>();

function open(api: KaitoRagApi, entityRef: string): SharedStream {
  const stream: SharedStream = {
    state: { connection: { state: 'closed' } },
    listeners: new Set(),
    start() {
      const controller = new AbortController();
      stream.controller = controller;
      const set = (patch: Partial<RagEngineStreamState>) => {
        if (controller.signal.aborted) return;
        stream.state = { ...stream.state, ...patch };
        for (const l of stream.listeners) l(stream.state);
      };
      set({ error: undefined });
      api
        .streamRagEngine(
          entityRef,
          snapshot => set({ snapshot }),
          controller.signal,
          {
            onStateChange: connection => set({ connection }),
          },
        )
        .catch(error =>
          set({ error: error as Error, connection: { state: 'closed' } }),
        );
    },
  };
  return stream;
}

/**
 * Follows the RAGEngine of `entityRef`, calling `listener` now (when known) and on every change.
 * Returns the unsubscribe function; the stream closes when its last subscriber leaves.
 */
export function subscribeRagEngine(
  api: KaitoRagApi,
  entityRef: string,
  listener: Listener,
): () => void {
  let byRef = streams.get(api);
  if (!byRef) {
    byRef = new Map();
    streams.set(api, byRef);
  }
  let stream = byRef.get(entityRef);
  if (!stream) {
    stream = open(api, entityRef);
    byRef.set(entityRef, stream);
    stream.listeners.add(listener);
    stream.start();
  } else {
    stream.listeners.add(listener);
    listener(stream.state);
  }
  const current = stream;
  return () => {
    current.listeners.delete(listener);
    if (current.listeners.size === 0) {
      current.controller?.abort();
      if (byRef!.get(entityRef) === current) byRef!.delete(entityRef);
    }
  };
}

/** Opens the stream of `entityRef` again after it ended for good (an error). */
export function restartRagEngine(api: KaitoRagApi, entityRef: string) {
  const stream = streams.get(api)?.get(entityRef);
  if (stream && stream.state.error) stream.start();
}
