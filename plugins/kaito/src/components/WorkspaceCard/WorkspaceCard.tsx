import { getCompoundEntityRef } from '@backstage/catalog-model';
import { MissingAnnotationEmptyState } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  KAITO_WORKSPACE_ANNOTATION,
  servedModelName,
  workspaceServes,
  type WorkspaceReadiness,
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
import { EndpointSnippet } from './EndpointSnippet';
import { PhaseSummary } from './PhaseSummary';
import { StepTimeline } from './StepTimeline';
import { PerformanceMetrics, WorkspaceFacts } from './WorkspaceFacts';
import { WorkspaceProblem } from './WorkspaceProblem';
import { WorkspaceLoad } from './WorkspaceLoad';
import {
  ReadinessInfoCard,
  ReadinessStreamBody,
} from '../shared/ReadinessCard';

/** Props of {@link EntityKaitoWorkspaceCard}. @public */
export interface EntityKaitoWorkspaceCardProps {
  /** Card title (default "KAITO workspace"). */
  title?: string;
}

function ReadinessBody(props: {
  snapshot: WorkspaceSnapshot;
  readiness: WorkspaceReadiness;
  entityRef: { kind: string; namespace: string; name: string };
}) {
  const { snapshot, readiness: r, entityRef } = props;
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
  const { target } = props.state;
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
  return (
    <ReadinessStreamBody
      state={props.state}
      kind="Workspace"
      annotation={KAITO_WORKSPACE_ANNOTATION}
      createHint="for example with a KAITO template"
    >
      {(snapshot, readiness) => (
        <ReadinessBody
          snapshot={snapshot}
          readiness={readiness}
          entityRef={props.entityRef}
        />
      )}
    </ReadinessStreamBody>
  );
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
    <ReadinessInfoCard
      title={props.title ?? 'KAITO workspace'}
      streaming={state.target.kind === 'workspace'}
      state={state}
    >
      <CardBody state={state} entityRef={entityRef} />
    </ReadinessInfoCard>
  );
}
