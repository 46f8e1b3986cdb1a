import { MissingAnnotationEmptyState } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  KAITO_RAGENGINE_ANNOTATION,
  type RagEngineReadiness,
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
import { PhaseSummary } from '../WorkspaceCard/PhaseSummary';
import { StepTimeline } from '../WorkspaceCard/StepTimeline';
import { WorkspaceProblem } from '../WorkspaceCard/WorkspaceProblem';
import {
  ReadinessInfoCard,
  ReadinessStreamBody,
} from '../shared/ReadinessCard';
import { RagEngineFacts } from './RagEngineFacts';

/** Props of {@link EntityKaitoRagEngineCard}. @public */
export interface EntityKaitoRagEngineCardProps {
  /** Card title (default "KAITO RAGEngine"). */
  title?: string;
}

function ReadinessBody(props: {
  snapshot: RagEngineSnapshot;
  readiness: RagEngineReadiness;
}) {
  const { snapshot, readiness: r } = props;
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
  const { target } = props.state;
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
  return (
    <ReadinessStreamBody
      state={props.state}
      kind="RAGEngine"
      annotation={KAITO_RAGENGINE_ANNOTATION}
      createHint="for example with the kaito-rag template"
      reword={problem => ({
        ...problem,
        title: problem.title.replace('workspace', 'RAGEngine'),
        message: problem.message.replace(
          "this workspace's",
          "this RAGEngine's",
        ),
      })}
    >
      {(snapshot, readiness) => (
        <ReadinessBody snapshot={snapshot} readiness={readiness} />
      )}
    </ReadinessStreamBody>
  );
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
    <ReadinessInfoCard
      title={props.title ?? 'KAITO RAGEngine'}
      streaming={state.target.kind === 'ragengine'}
      state={state}
    >
      <CardBody state={state} />
    </ReadinessInfoCard>
  );
}
