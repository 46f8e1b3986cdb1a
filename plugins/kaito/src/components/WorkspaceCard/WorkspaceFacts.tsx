import type {
  PerformanceMetric,
  WorkspaceSnapshot,
} from '@kaito-backstage/plugin-kaito-common';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { ReactNode } from 'react';
import { formatRunningCost, useRunningCost } from './RunningCost';

function Fact(props: { label: string; children: ReactNode; testId?: string }) {
  return (
    <Grid item xs={6} sm={4}>
      <Typography variant="caption" color="textSecondary" component="dt">
        {props.label}
      </Typography>
      <Typography variant="body2" component="dd" data-testid={props.testId}>
        {props.children}
      </Typography>
    </Grid>
  );
}

/** The first benchmark metric's `config` (KAITO ≥ 0.12 records engine, version, quantization there). */
function engineFacts(metrics: Record<string, PerformanceMetric> | undefined) {
  const config = Object.values(metrics ?? {}).find(m => m.config)?.config as
    | Record<string, unknown>
    | undefined;
  const text = (k: string) =>
    typeof config?.[k] === 'string' ? (config[k] as string) : undefined;
  return {
    engine: text('engine'),
    engineVersion: text('engineVersion') ?? text('version'),
    quantization: text('quantization'),
  };
}

/** Model, runtime, engine, instance type, nodes and where the Workspace runs. */
export function WorkspaceFacts(props: { snapshot: WorkspaceSnapshot }) {
  const { snapshot } = props;
  const r = snapshot.readiness;
  const w = snapshot.workspace;
  const { engine, engineVersion, quantization } = engineFacts(
    w?.performance?.metrics,
  );
  const nodes = r?.targetNodeCount ?? w?.targetNodeCount;
  const workers = w?.workerNodes?.length;
  const cost = useRunningCost(
    r?.model ?? w?.preset,
    r?.instanceType ?? w?.instanceType,
    nodes,
  );
  return (
    <Grid container spacing={1} component="dl" style={{ margin: 0 }}>
      <Fact label="Model" testId="kaito-fact-model">
        {r?.model ?? w?.preset ?? 'custom template'}
      </Fact>
      <Fact label="Runtime">{r?.runtime ?? w?.runtime ?? 'vllm'}</Fact>
      {engine && (
        <Fact label="Engine">
          {engine}
          {engineVersion ? ` ${engineVersion}` : ''}
        </Fact>
      )}
      {quantization && <Fact label="Quantization">{quantization}</Fact>}
      <Fact label="Instance type">
        {r?.instanceType ?? w?.instanceType ?? 'not set (BYO nodes)'}
      </Fact>
      <Fact label="GPU nodes">
        {nodes === undefined ? 'not estimated yet' : String(nodes)}
        {workers !== undefined && nodes !== undefined && workers !== nodes
          ? ` (${workers} running)`
          : ''}
      </Fact>
      {cost && nodes !== undefined && (
        <Fact label="Running cost" testId="kaito-fact-cost">
          {formatRunningCost(cost, nodes)}
        </Fact>
      )}
      <Fact label="Cluster">{snapshot.cluster}</Fact>
      <Fact label="Workspace">
        {snapshot.namespace}/{snapshot.name}
      </Fact>
      {r?.kaitoVersion?.version && (
        <Fact label="KAITO version" testId="kaito-fact-version">
          {r.kaitoVersion.version}
        </Fact>
      )}
    </Grid>
  );
}

function formatMetricValue(value: PerformanceMetric['value']): string {
  if (value === undefined || value === '') return '–';
  const n = Number(value);
  return Number.isFinite(n)
    ? n.toLocaleString('en-US', { maximumFractionDigits: 1 })
    : String(value);
}

/** KAITO's own post-load benchmark (`status.performance`), e.g. peak tokens per minute. */
export function PerformanceMetrics(props: { snapshot: WorkspaceSnapshot }) {
  const metrics = Object.entries(
    props.snapshot.workspace?.performance?.metrics ?? {},
  );
  if (metrics.length === 0) return null;
  return (
    <div data-testid="kaito-performance">
      <Typography variant="subtitle2" component="h3" gutterBottom>
        KAITO benchmark
      </Typography>
      <Grid container spacing={1} component="dl" style={{ margin: 0 }}>
        {metrics.map(([key, m]) => (
          <Grid item xs={12} sm={6} key={key}>
            <Typography variant="caption" color="textSecondary" component="dt">
              {m.description ?? key}
            </Typography>
            <Typography variant="body1" component="dd">
              {formatMetricValue(m.value)} {m.unit}
            </Typography>
          </Grid>
        ))}
      </Grid>
    </div>
  );
}
