import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import {
  InfoCard,
  MissingAnnotationEmptyState,
  Progress,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  KAITO_RAGENGINE_ANNOTATION,
  kaitoRagEngineManagePermission,
  type RagIndexesAnswer,
} from '@kaito-backstage/plugin-kaito-common';
import {
  kaitoRagApiRef,
  kaitoRagEngineTarget,
  ragErrorMessage,
  useKaitoRagEngine,
  useRagDocuments,
} from '@kaito-backstage/plugin-kaito-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import DeleteIcon from '@material-ui/icons/Delete';
import NoteAddIcon from '@material-ui/icons/NoteAdd';
import Alert from '@material-ui/lab/Alert';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { RagAddTextDialog } from '../RagAddText';
import { RagTechDocsButton } from '../RagTechDocs';
import { RagUploadArea } from '../RagUpload';
import { phaseLabel } from '../shared/PhaseStatus';
import { WorkspaceProblem } from '../WorkspaceCard/WorkspaceProblem';
import { RagDeleteDialog } from './RagDeleteDialog';
import { RagDocumentTable, documentTitle } from './RagDocumentTable';

/** Props of {@link EntityKaitoRagDocumentsCard}. @public */
export interface EntityKaitoRagDocumentsCardProps {
  /** Card title (default "RAG documents"). */
  title?: string;
  /** Documents per page (default 10, at most 100). */
  pageSize?: number;
}

const MANAGE_NOTE =
  'Read-only for you: adding and deleting documents needs the kaito.ragengine.manage permission on this entity. Ask a portal admin for it.';

/** The other indexes the engine holds, read once (a failure only hides them). */
function useIndexes(entityRef: string, enabled: boolean) {
  const ragApi = useApi(kaitoRagApiRef);
  const [indexes, setIndexes] = useState<RagIndexesAnswer>();
  useEffect(() => {
    if (!enabled) return undefined;
    let live = true;
    ragApi.listRagIndexes(entityRef).then(
      a => live && setIndexes(a),
      () => {},
    );
    return () => {
      live = false;
    };
  }, [ragApi, entityRef, enabled]);
  return indexes;
}

/** Why the documents cannot be read yet, from the RAGEngine's readiness. */
function notReadyText(engine: ReturnType<typeof useKaitoRagEngine>): string {
  const s = engine.snapshot;
  if (engine.error) {
    return `The RAGEngine's readiness could not be read (${ragErrorMessage(
      engine.error,
    )}), so its documents are not shown.`;
  }
  if (!s) return 'Checking whether the RAGEngine is ready…';
  if (s.status === 'notFound') {
    return `There is no RAGEngine ${s.namespace}/${s.name} on cluster ${s.cluster}, so there are no documents to show.`;
  }
  if (s.status === 'unavailable' || !s.readiness) {
    return `Cluster ${s.cluster} is unavailable${
      s.message ? ` (${s.message})` : ''
    }; the documents show when it answers.`;
  }
  return `Documents can be listed and added once the RAGEngine is Ready. It is ${phaseLabel(
    s.readiness.phase,
  )}: ${s.readiness.reason}`;
}

function DocumentsBody(props: {
  entity: Entity;
  index: string;
  pageSize: number;
}) {
  const { entity, index } = props;
  const entityRef = stringifyEntityRef(entity);
  const ragApi = useApi(kaitoRagApiRef);
  // The engine answers only once Ready (the backend says 409 before): follow its readiness.
  const engine = useKaitoRagEngine(entity);
  const ready =
    engine.snapshot?.status === 'found' &&
    engine.snapshot.readiness?.phase === 'Ready';
  const docs = useRagDocuments(entity, {
    limit: props.pageSize,
    enabled: ready,
  });
  const permission = usePermission({
    permission: kaitoRagEngineManagePermission,
    resourceRef: entityRef,
  });
  const canManage = ready && !permission.loading && permission.allowed;
  const indexes = useIndexes(entityRef, ready);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [addText, setAddText] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [deleteError, setDeleteError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const { reload } = docs;

  const titles = useMemo(() => {
    const byId = new Map(
      (docs.page?.documents ?? []).map(d => [d.doc_id, documentTitle(d)]),
    );
    return [...selected].map(id => byId.get(id) ?? id);
  }, [docs.page, selected]);

  const upload = useCallback(
    (files: File[]) => ragApi.addRagDocuments(entityRef, files),
    [ragApi, entityRef],
  );
  const add = useCallback(
    (text: string, title?: string) => ragApi.addRagText(entityRef, text, title),
    [ragApi, entityRef],
  );
  const indexTechDocs = useCallback(
    () => ragApi.indexTechDocs(entityRef),
    [ragApi, entityRef],
  );

  const remove = async () => {
    setDeleting(true);
    setDeleteError(undefined);
    try {
      const answer = await ragApi.deleteRagDocuments(entityRef, [...selected]);
      const gone = answer.not_found_doc_ids.length;
      setNotice(
        `Deleted ${answer.deleted_doc_ids.length} document${
          answer.deleted_doc_ids.length === 1 ? '' : 's'
        } from index ${answer.index}${
          gone ? `; ${gone} had already gone` : ''
        }.`,
      );
      setSelected(new Set());
      setConfirmDelete(false);
      reload();
    } catch (e) {
      setDeleteError(ragErrorMessage(e));
    } finally {
      setDeleting(false);
    }
  };

  const page = docs.page;
  const others = indexes?.indexes.filter(i => i !== index) ?? [];
  return (
    <>
      <Typography variant="body2" component="p" data-testid="kaito-rag-index">
        Index <strong>{index}</strong>
        {page ? ` · ${page.total} document${page.total === 1 ? '' : 's'}` : ''}
        {others.length > 0
          ? ` · the engine also holds: ${others.join(', ')}`
          : ''}
      </Typography>
      <Box my={1}>
        {!permission.loading && !permission.allowed && (
          <Alert severity="info" data-testid="kaito-rag-readonly">
            {MANAGE_NOTE}
          </Alert>
        )}
      </Box>
      {!ready && (
        <Box mb={1}>
          <Alert severity="info" data-testid="kaito-rag-not-ready">
            {notReadyText(engine)}
          </Alert>
        </Box>
      )}
      {canManage && (
        <>
          <RagUploadArea upload={upload} onAdded={reload} />
          <Box display="flex" flexWrap="wrap" gridGap={8} mb={1}>
            <Button
              size="small"
              startIcon={<NoteAddIcon />}
              onClick={() => setAddText(true)}
            >
              Add text
            </Button>
            <Button
              size="small"
              startIcon={<DeleteIcon />}
              disabled={selected.size === 0}
              onClick={() => {
                setDeleteError(undefined);
                setConfirmDelete(true);
              }}
            >
              Delete selected ({selected.size})
            </Button>
            <RagTechDocsButton
              indexTechDocs={indexTechDocs}
              onIndexed={reload}
            />
          </Box>
        </>
      )}
      {notice && (
        <Box mb={1}>
          <Alert
            severity="success"
            onClose={() => setNotice(undefined)}
            data-testid="kaito-rag-notice"
          >
            {notice}
          </Alert>
        </Box>
      )}
      {docs.error && (
        <Box mb={1}>
          <Alert
            severity="error"
            data-testid="kaito-rag-documents-error"
            action={
              <Button color="inherit" size="small" onClick={reload}>
                Try again
              </Button>
            }
          >
            The documents could not be read: {ragErrorMessage(docs.error)}
          </Alert>
        </Box>
      )}
      {ready && !page && docs.loading && (
        <Progress aria-label="Loading documents" />
      )}
      {page && page.documents.length === 0 && (
        <Typography variant="body2" color="textSecondary">
          No documents in index {index} yet.
          {canManage
            ? ' Upload files or add text above; the chat then answers from them.'
            : ''}
        </Typography>
      )}
      {page && page.documents.length > 0 && (
        <RagDocumentTable
          page={page}
          selectable={canManage}
          selected={selected}
          onSelect={setSelected}
          onPage={docs.setOffset}
        />
      )}
      <RagAddTextDialog
        open={addText}
        index={index}
        onClose={() => setAddText(false)}
        add={add}
        onAdded={reload}
      />
      <RagDeleteDialog
        open={confirmDelete}
        index={index}
        titles={titles}
        busy={deleting}
        error={deleteError}
        onCancel={() => setConfirmDelete(false)}
        onConfirm={remove}
      />
    </>
  );
}

/**
 * The documents of the RAG index behind the current entity (`kaito.sh/ragengine`, index from
 * `kaito.sh/rag-index`): a page of documents with title, size, who added them and a preview;
 * upload (button or drag and drop), add text, delete, and index the system's TechDocs. Writes
 * need `kaito.ragengine.manage` on the entity; without it the card is read-only and says why.
 *
 * @public
 */
export function EntityKaitoRagDocumentsCard(
  props: EntityKaitoRagDocumentsCardProps,
) {
  const { entity } = useEntity();
  const target = useMemo(() => kaitoRagEngineTarget(entity), [entity]);
  const pageSize = Math.min(100, Math.max(1, props.pageSize ?? 10));
  return (
    <InfoCard title={props.title ?? 'RAG documents'}>
      {target.kind === 'missing' && (
        <MissingAnnotationEmptyState annotation={KAITO_RAGENGINE_ANNOTATION} />
      )}
      {target.kind === 'invalid' && (
        <WorkspaceProblem
          title="Wrong KAITO annotation"
          message={target.message}
        />
      )}
      {target.kind === 'ragengine' && (
        <DocumentsBody
          entity={entity}
          index={target.index}
          pageSize={pageSize}
        />
      )}
    </InfoCard>
  );
}
