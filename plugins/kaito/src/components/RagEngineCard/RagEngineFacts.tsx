import type { RagEngineSnapshot } from '@kaito-backstage/plugin-kaito-common';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { ReactNode } from 'react';

function Fact(props: { label: string; children: ReactNode; testId?: string }) {
  return (
    <Grid item xs={6} sm={4}>
      <Typography variant="caption" color="textSecondary" component="dt">
        {props.label}
      </Typography>
      <Typography
        variant="body2"
        component="dd"
        data-testid={props.testId}
        style={{ margin: 0, overflowWrap: 'anywhere' }}
      >
        {props.children}
      </Typography>
    </Grid>
  );
}

/** Embedding model, vector DB, inference URL, index, instance type and where it runs. */
export function RagEngineFacts(props: { snapshot: RagEngineSnapshot }) {
  const { snapshot } = props;
  const rag = snapshot.ragengine;
  const instanceType = snapshot.readiness?.instanceType ?? rag?.instanceType;
  let embedding = 'unknown';
  if (rag?.embedding.kind === 'remote') embedding = 'remote embedding service';
  else if (rag) embedding = rag.embedding.modelID ?? 'local (default model)';
  return (
    <Grid container spacing={1} component="dl" style={{ margin: 0 }}>
      <Fact label="Embedding model" testId="kaito-rag-fact-embedding">
        {embedding}
      </Fact>
      <Fact label="Vector DB" testId="kaito-rag-fact-vectordb">
        {rag?.vectorDB ?? 'faiss'}
        {rag?.persistent ? ' (persistent storage)' : ''}
      </Fact>
      <Fact label="Index" testId="kaito-rag-fact-index">
        {rag?.index ?? snapshot.name}
      </Fact>
      <Fact label="Inference URL" testId="kaito-rag-fact-inference">
        {rag?.inferenceUrl ?? 'none (retrieve-only)'}
      </Fact>
      <Fact label="Instance type">{instanceType ?? 'not set (BYO nodes)'}</Fact>
      {rag?.contextWindowSize !== undefined && (
        <Fact label="Context window">
          {rag.contextWindowSize.toLocaleString('en-US')} tokens
        </Fact>
      )}
      <Fact label="Guardrails">{rag?.guardrails ? 'on' : 'off'}</Fact>
      <Fact label="Cluster">{snapshot.cluster}</Fact>
      <Fact label="RAGEngine">
        {snapshot.namespace}/{snapshot.name}
        {rag?.apiVersion ? ` (${rag.apiVersion})` : ''}
      </Fact>
    </Grid>
  );
}
