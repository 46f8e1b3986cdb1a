import type { WorkspaceSnapshot } from '@kaito-backstage/plugin-kaito-common';
import type {
  EntityWorkspaceLoad,
  EntityWorkspaceSnapshot,
  KaitoApi,
  KaitoStreamOptions,
  KaitoStreamState,
  KaitoWorkspaceList,
} from '@kaito-backstage/plugin-kaito-react';

interface OpenStream {
  entityRef: string;
  onSnapshot(s: WorkspaceSnapshot): void;
  options: KaitoStreamOptions;
  fail(error: Error): void;
  signal: AbortSignal;
}

/**
 * A KaitoApi whose readiness streams a test drives: it sends snapshots and connection states
 * the way KaitoClient reports them, and ends streams with an error. Lists come from `workspaces`.
 */
export class ScriptedKaitoApi implements KaitoApi {
  readonly streams: OpenStream[] = [];
  workspaces: KaitoWorkspaceList | Error = { clusters: [], items: [] };
  listCalls = 0;

  async getWorkspace(): Promise<EntityWorkspaceSnapshot> {
    throw new Error('not used by these tests');
  }

  /** Answers of getWorkspaceLoad, one per call; the last one repeats. */
  loads: Array<EntityWorkspaceLoad | Error> = [];
  loadCalls = 0;

  async getWorkspaceLoad(): Promise<EntityWorkspaceLoad> {
    const answer = this.loads[Math.min(this.loadCalls, this.loads.length - 1)];
    this.loadCalls += 1;
    if (!answer) throw new Error('no load scripted');
    if (answer instanceof Error) throw answer;
    return answer;
  }

  async listWorkspaces(): Promise<KaitoWorkspaceList> {
    this.listCalls += 1;
    if (this.workspaces instanceof Error) throw this.workspaces;
    return this.workspaces;
  }

  streamWorkspace(
    entityRef: string,
    onSnapshot: (snapshot: WorkspaceSnapshot) => void,
    signal: AbortSignal,
    options: KaitoStreamOptions = {},
  ): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const stream: OpenStream = {
        entityRef,
        onSnapshot,
        options,
        signal,
        fail: reject,
      };
      this.streams.push(stream);
      signal.addEventListener('abort', () => resolve());
      options.onStateChange?.({ state: 'connecting' });
    });
  }

  /** The most recent stream that is still open. */
  get current(): OpenStream {
    const open = this.streams.filter(s => !s.signal.aborted);
    const last = open[open.length - 1];
    if (!last) throw new Error('no open readiness stream');
    return last;
  }

  open() {
    this.current.options.onStateChange?.({ state: 'live' });
  }

  send(snapshot: WorkspaceSnapshot) {
    this.current.onSnapshot(snapshot);
  }

  state(state: KaitoStreamState) {
    this.current.options.onStateChange?.(state);
  }
}
