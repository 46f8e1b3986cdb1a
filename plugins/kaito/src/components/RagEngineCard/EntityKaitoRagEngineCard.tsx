import {
  InfoCard,
  MissingAnnotationEmptyState,
  Progress,
} from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  KAITO_RAGENGINE_ANNOTATION,
  type RagEngineSnapshot,
} from '@kaito-backstage/plugin-kaito-common';
import {
  useKaitoRagEngine,
  type KaitoRagEngineState,
} from '@kaito-backstage/plugin-kaito-react';
import Box from '@material-ui/core/Box';
import Divider from '@material-ui/core/Divider';
import Alert from '@material-ui/lab/Alert';
import { ConditionsSection } from '../WorkspaceCard/ConditionsSection';
import { ConnectionStatus } from '../WorkspaceCard/ConnectionStatus';
import { PhaseSummary } from '../WorkspaceCard/PhaseSummary';
import { StepTimeline } from '../WorkspaceCard/StepTimeline';
import {
  WorkspaceProblem,
  describeStreamError,
} from '../WorkspaceCard/WorkspaceProblem';
import { RagEngineFacts } from './RagEngineFacts';

/** Props of {@link EntityKaitoRagEngineCard}. @public */
export interface EntityKaitoRagEngineCardProps {
  /** Card title (default "KAITO RAGEngine"). */
  title?: string;
}

function SnapshotBody(props: { snapshot: RagEngineSnapshot }) {
  const { snapshot } = props;
  const where = `${snapshot.namespace}/${snapshot.name} on cluster ${snapshot.cluster}`;
  if (snapshot.status === 'unavailable') {
    return (
      <WorkspaceProblem
        title="Cluster unavailable"
        severity="error"
        message={`The portal cannot read RAGEngine ${where}: ${
          snapshot.message ?? 'the cluster does not answer'
        }. It keeps trying and updates this card when the cluster answers.`}
      />
    );
  }
  if (snapshot.status === 'notFound' || !snapshot.readiness) {
    return (
      <WorkspaceProblem
        title="RAGEngine not found"
        severity="info"
        message={`There is no RAGEngine ${where}${
          snapshot.message ? ` (${snapshot.message})` : ''
        }. Create it (for example with the kaito-rag template) or fix the ${KAITO_RAGENGINE_ANNOTATION} annotation; this card updates as soon as it appears.`}
      />
    );
  }
  const r = snapshot.readiness;
  return (
    <>
      {(snapshot.ragengine?.deleting || r.phase === 'Deleting') && (
        <Box mb={2}>
          <Alert severity="warning">
            This RAGEngine is being deleted; its documents go with it unless
            they are on persistent storage.
          </Alert>
        </Box>
      )}
      <PhaseSummary readiness={r} />
      {!r.canChat && (
        <Box mb={2}>
          <Alert severity="info" data-testid="kaito-rag-retrieve-only">
            Retrieve-only: this RAGEngine has no inference service
            (spec.inferenceService.url), so it indexes and retrieves documents
            but cannot answer chat questions. Set an inference service URL on
            the RAGEngine to chat with its documents.
          </Alert>
        </Box>
      )}
      <StepTimeline readiness={r} />
      <Box my={2}>
        <Divider />
      </Box>
      <RagEngineFacts snapshot={snapshot} />
      <Box mt={2}>
        <ConditionsSection
          readiness={{ conditions: r.conditions }}
          label="RAGEngine conditions"
        />
      </Box>
    </>
  );
}

function CardBody(props: { state: KaitoRagEngineState }) {
  const { target, snapshot, error, retry, connection } = props.state;
  if (target.kind === 'missing') {
    return (
      <MissingAnnotationEmptyState annotation={KAITO_RAGENGINE_ANNOTATION} />
    );
  }
  if (target.kind === 'invalid') {
    return (
      <WorkspaceProblem
        title="Wrong KAITO annotation"
        message={target.message}
      />
    );
  }
  if (error) {
    const problem = describeStreamError(error);
    return (
      <WorkspaceProblem
        {...problem}
        title={problem.title.replace('workspace', 'RAGEngine')}
        message={problem.message.replace(
          "this workspace's",
          "this RAGEngine's",
        )}
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
  return <SnapshotBody snapshot={snapshot} />;
}

/**
 * The readiness of the KAITO RAGEngine behind the current entity (`kaito.sh/ragengine`), live
 * over server-sent events: the phase with the reason and fix, the steps, KAITO's own words, the
 * retrieve-only note, and the engine's facts (embedding model, vector DB, inference URL, index).
 *
 * @public
 */
export function EntityKaitoRagEngineCard(props: EntityKaitoRagEngineCardProps) {
  const { entity } = useEntity();
  const state = useKaitoRagEngine(entity);
  return (
    <InfoCard
      title={props.title ?? 'KAITO RAGEngine'}
      subheader={
        state.target.kind === 'ragengine' ? (
          <ConnectionStatus
            connection={state.connection}
            observedAt={state.snapshot?.observedAt}
          />
        ) : undefined
      }
    >
      <CardBody state={state} />
    </InfoCard>
  );
}
