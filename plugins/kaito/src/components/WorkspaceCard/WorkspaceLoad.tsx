import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  workspaceServes,
  type WorkspaceLoad as Load,
  type WorkspaceReadiness,
} from '@kaito-backstage/plugin-kaito-common';
import { useWorkspaceLoad } from '@kaito-backstage/plugin-kaito-react';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';

const number = (v: number, digits = 1) =>
  v.toLocaleString('en-US', { maximumFractionDigits: digits });

/** The figures of a vLLM load summary, label and text, leaving out what the server did not report. */
export function loadFigures(load: Load): Array<[string, string]> {
  const figures: Array<[string, string | undefined]> = [
    [
      'Requests running',
      load.requestsRunning === undefined
        ? undefined
        : number(load.requestsRunning, 0),
    ],
    [
      'Requests waiting',
      load.requestsWaiting === undefined
        ? undefined
        : number(load.requestsWaiting, 0),
    ],
    [
      'KV cache',
      load.kvCacheUsage === undefined
        ? undefined
        : // Large models leave most of a big cache free: small shares keep two decimals.
          `${number(
            load.kvCacheUsage * 100,
            load.kvCacheUsage < 0.01 ? 2 : 1,
          )} %`,
    ],
    [
      'Generation',
      load.generationTokensPerSecond === undefined
        ? undefined
        : `${number(load.generationTokensPerSecond)} tokens/s`,
    ],
    [
      'Prompt',
      load.promptTokensPerSecond === undefined
        ? undefined
        : `${number(load.promptTokensPerSecond)} tokens/s`,
    ],
    [
      'Time to first token',
      load.timeToFirstTokenSeconds === undefined
        ? undefined
        : `${number(load.timeToFirstTokenSeconds * 1000, 0)} ms`,
    ],
  ];
  return figures.filter((f): f is [string, string] => f[1] !== undefined);
}

/**
 * The model server's live load (vLLM's `/metrics`, summarised by kaito-backend), refreshed
 * every few seconds while the card is open. Shown for inference Workspaces that can serve;
 * nothing while the first answer is on its way or when the runtime reports no load.
 */
export function WorkspaceLoad(props: {
  entityRef: { kind: string; namespace: string; name: string };
  readiness: WorkspaceReadiness;
  refreshIntervalMs?: number;
}) {
  const { readiness } = props;
  // The backend reads the load only where the model answers (kaito-common workspaceServes).
  const serving = readiness.mode === 'inference' && workspaceServes(readiness);
  const { value, error } = useWorkspaceLoad(
    stringifyEntityRef(props.entityRef),
    {
      enabled: serving,
      refreshIntervalMs: props.refreshIntervalMs,
    },
  );
  if (!serving || !value) {
    return null;
  }
  if (value.source !== 'vllm') {
    return (
      <Box mb={2}>
        <Typography variant="body2" color="textSecondary">
          Live load: this runtime does not publish vLLM metrics.
        </Typography>
      </Box>
    );
  }
  const figures = loadFigures(value);
  return (
    <Box mb={2} component="section" aria-label="Live load">
      <Typography variant="subtitle2" component="h3" gutterBottom>
        Live load
      </Typography>
      <Grid
        container
        spacing={1}
        component="dl"
        style={{ margin: 0 }}
        data-testid="kaito-workspace-load"
      >
        {figures.map(([label, text]) => (
          <Grid item xs={6} sm={4} key={label}>
            <Typography variant="caption" color="textSecondary" component="dt">
              {label}
            </Typography>
            <Typography variant="body2" component="dd">
              {text}
            </Typography>
          </Grid>
        ))}
      </Grid>
      <Typography variant="caption" color="textSecondary">
        {error
          ? `Not updated: ${error.message}`
          : `Updated ${new Date(value.observedAt).toLocaleTimeString('en-US')}`}
      </Typography>
    </Box>
  );
}
