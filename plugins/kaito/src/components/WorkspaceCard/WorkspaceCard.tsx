import { getCompoundEntityRef } from '@backstage/catalog-model';
import {
  InfoCard,
  MissingAnnotationEmptyState,
  Progress,
} from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  KAITO_WORKSPACE_ANNOTATION,
  servedModelName,
  workspaceServes,
  type WorkspaceSnapshot,
} from '@kaito-backstage/plugin-kaito-common';
import {
  useKaitoWorkspace,
  type KaitoWorkspaceState,
} from '@kaito-backstage/plugin-kaito-react';
import Box from '@material-ui/core/Box';
import Divider from '@material-ui/core/Divider';
import Alert from '@material-ui/lab/Alert';
import { ConditionsSection } from './ConditionsSection';
import { ConnectionStatus } from './ConnectionStatus';
import { EndpointSnippet } from './EndpointSnippet';
import { PhaseSummary } from './PhaseSummary';
import { StepTimeline } from './StepTimeline';
import { PerformanceMetrics, WorkspaceFacts } from './WorkspaceFacts';
import { WorkspaceProblem, describeStreamError } from './WorkspaceProblem';
import { WorkspaceLoad } from './WorkspaceLoad';

/** Props of {@link EntityKaitoWorkspaceCard}. @public */
export interface EntityKaitoWorkspaceCardProps {
  /** Card title (default "KAITO workspace"). */
  title?: string;
}

function SnapshotBody(props: {
  snapshot: WorkspaceSnapshot;
  entityRef: { kind: string; namespace: string; name: string };
}) {
  const { snapshot, entityRef } = props;
  const where = `${snapshot.namespace}/${snapshot.name} on cluster ${snapshot.cluster}`;
  if (snapshot.status === 'unavailable') {
    return (
      <WorkspaceProblem
        title="Cluster unavailable"
        severity="error"
        message={`The portal cannot read Workspace ${where}: ${
          snapshot.message ?? 'the cluster does not answer'
        }. It keeps trying and updates this card when the cluster answers.`}
      />
    );
  }
  if (snapshot.status === 'notFound' || !snapshot.readiness) {
    return (
      <WorkspaceProblem
        title="Workspace not found"
        severity="info"
        message={`There is no Workspace ${where}${
          snapshot.message ? ` (${snapshot.message})` : ''
        }. Create it (for example with a KAITO template) or fix the ${KAITO_WORKSPACE_ANNOTATION} annotation; this card updates as soon as it appears.`}
      />
    );
  }
  const r = snapshot.readiness;
  const model = r.model ?? snapshot.workspace?.preset;
  return (
    <>
      {snapshot.workspace?.deleting && (
        <Box mb={2}>
          <Alert severity="warning">
            This Workspace is being deleted; its GPU nodes are released once the
            controller has finished.
          </Alert>
        </Box>
      )}
      <PhaseSummary readiness={r} />
      <StepTimeline readiness={r} />
      <Box my={2}>
        <Divider />
      </Box>
      <WorkspaceFacts snapshot={snapshot} />
      <Box my={2}>
        <PerformanceMetrics snapshot={snapshot} />
      </Box>
      <WorkspaceLoad entityRef={entityRef} readiness={r} />
      <Box mb={2}>
        <ConditionsSection readiness={r} />
      </Box>
      {r.mode === 'inference' && (
        <EndpointSnippet
          entityRef={entityRef}
          model={model ? servedModelName(model) : undefined}
          ready={workspaceServes(r)}
        />
      )}
    </>
  );
}

function CardBody(props: {
  state: KaitoWorkspaceState;
  entityRef: { kind: string; namespace: string; name: string };
}) {
  const { target, snapshot, error, retry, connection } = props.state;
  switch (target.kind) {
    case 'missing':
      return (
        <MissingAnnotationEmptyState annotation={KAITO_WORKSPACE_ANNOTATION} />
      );
    case 'invalid':
      return (
        <WorkspaceProblem
          title="Wrong KAITO annotation"
          message={target.message}
        />
      );
    case 'external':
      return (
        <>
          <Box mb={2}>
            <Alert severity="info">
              This entity chats with the external endpoint “{target.name}”
              (configured under kaito.externalTargets); it has no KAITO
              Workspace whose readiness could be shown.
            </Alert>
          </Box>
          <EndpointSnippet entityRef={props.entityRef} ready />
        </>
      );
    default:
  }
  if (error) {
    return <WorkspaceProblem {...describeStreamError(error)} onRetry={retry} />;
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
  return <SnapshotBody snapshot={snapshot} entityRef={props.entityRef} />;
}

/**
 * The readiness of the KAITO Workspace behind the current entity, live over server-sent events:
 * the phase with the reason and fix, the step timeline, the facts, KAITO's benchmark, the raw
 * conditions and a snippet for calling the model through the portal.
 *
 * @public
 */
export function EntityKaitoWorkspaceCard(props: EntityKaitoWorkspaceCardProps) {
  const { entity } = useEntity();
  const state = useKaitoWorkspace(entity);
  const entityRef = getCompoundEntityRef(entity);
  return (
    <InfoCard
      title={props.title ?? 'KAITO workspace'}
      subheader={
        state.target.kind === 'workspace' ? (
          <ConnectionStatus
            connection={state.connection}
            observedAt={state.snapshot?.observedAt}
          />
        ) : undefined
      }
    >
      <CardBody state={state} entityRef={entityRef} />
    </InfoCard>
  );
}
