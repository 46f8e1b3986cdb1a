import { InfoCard, Progress } from '@backstage/core-components';
import type { KaitoWorkspaceState } from '@kaito-backstage/plugin-kaito-react';
import type { ReactNode } from 'react';
import { ConnectionStatus } from '../WorkspaceCard/ConnectionStatus';
import {
  WorkspaceProblem,
  describeStreamError,
} from '../WorkspaceCard/WorkspaceProblem';

/** What a readiness card needs from its hook (`useKaitoWorkspace`, `useKaitoRagEngine`). */
export interface ReadinessStream<S> {
  snapshot?: S;
  connection: KaitoWorkspaceState['connection'];
  error?: Error;
  retry(): void;
}

/** The fields every readiness snapshot (Workspace, RAGEngine) shares. */
interface SnapshotLike {
  cluster: string;
  namespace: string;
  name: string;
  status: 'found' | 'notFound' | 'unavailable';
  readiness?: unknown;
  message?: string;
}

/** The card frame: the title and, while a stream is open, its connection state as subheader. */
export function ReadinessInfoCard(props: {
  title: string;
  /** Whether the entity names a resource to follow (then the subheader shows the stream). */
  streaming: boolean;
  state: ReadinessStream<{ observedAt: string }>;
  children: ReactNode;
}) {
  const { state } = props;
  return (
    <InfoCard
      title={props.title}
      subheader={
        props.streaming ? (
          <ConnectionStatus
            connection={state.connection}
            observedAt={state.snapshot?.observedAt}
          />
        ) : undefined
      }
    >
      {props.children}
    </InfoCard>
  );
}

/**
 * The states of a readiness stream with no readiness to draw (ended with an error, loading,
 * reconnecting, cluster unavailable, resource not found); once there is one, `children` draws it.
 */
export function ReadinessStreamBody<S extends SnapshotLike>(props: {
  state: ReadinessStream<S>;
  /** The resource kind as the user reads it: `Workspace`, `RAGEngine`. */
  kind: string;
  /** The annotation naming the resource, quoted in the not-found advice. */
  annotation: string;
  /** How to create one, e.g. "with a KAITO template". */
  createHint: string;
  /** Rewords what `describeStreamError` says for this kind (default: as is). */
  reword?: (problem: ReturnType<typeof describeStreamError>) => {
    title: string;
    message: string;
    severity: 'warning' | 'error' | 'info';
  };
  children: (snapshot: S, readiness: NonNullable<S['readiness']>) => ReactNode;
}) {
  const { snapshot, error, retry, connection } = props.state;
  if (error) {
    const problem = describeStreamError(error);
    return (
      <WorkspaceProblem
        {...(props.reword ? props.reword(problem) : problem)}
        onRetry={retry}
      />
    );
  }
  if (!snapshot) {
    return connection.state === 'reconnecting' ? (
      <WorkspaceProblem
        title="Readiness unavailable"
        severity="error"
        message={`The portal cannot reach the readiness stream (${connection.error.message}); it keeps trying.`}
      />
    ) : (
      <Progress aria-label="Loading readiness" />
    );
  }
  const where = `${snapshot.namespace}/${snapshot.name} on cluster ${snapshot.cluster}`;
  if (snapshot.status === 'unavailable') {
    return (
      <WorkspaceProblem
        title="Cluster unavailable"
        severity="error"
        message={`The portal cannot read ${props.kind} ${where}: ${
          snapshot.message ?? 'the cluster does not answer'
        }. It keeps trying and updates this card when the cluster answers.`}
      />
    );
  }
  if (snapshot.status === 'notFound' || !snapshot.readiness) {
    return (
      <WorkspaceProblem
        title={`${props.kind} not found`}
        severity="info"
        message={`There is no ${props.kind} ${where}${
          snapshot.message ? ` (${snapshot.message})` : ''
        }. Create it (${props.createHint}) or fix the ${
          props.annotation
        } annotation; this card updates as soon as it appears.`}
      />
    );
  }
  return (
    <>
      {props.children(
        snapshot,
        snapshot.readiness as NonNullable<S['readiness']>,
      )}
    </>
  );
}
