import type { WorkspaceReadiness } from '@kaito-backstage/plugin-kaito-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { PhaseStatus } from '../shared/PhaseStatus';
import { formatDuration } from '../shared/format';

type Severity = 'success' | 'info' | 'warning' | 'error';

/** What the summary reads: a Workspace's readiness, or a RAGEngine's (same verdict fields). */
export type SummaryReadiness = Pick<
  WorkspaceReadiness,
  | 'reason'
  | 'outcome'
  | 'attempts'
  | 'kaitoMessage'
  | 'fix'
  | 'timing'
  | 'kaitoVersion'
> & { phase: string; cause?: string };

function severityOf(r: SummaryReadiness): Severity {
  // Degraded but serving (a failed post-load benchmark): a warning, as the phase shows it.
  if (r.phase === 'Degraded' && r.cause === 'benchmark') return 'warning';
  if (r.outcome === 'terminal') return 'error';
  if (r.outcome === 'retrying') return 'warning';
  if (r.outcome === 'ready')
    return r.phase === 'Degraded' ? 'warning' : 'success';
  switch (r.phase) {
    case 'Ready':
    case 'Succeeded':
      return 'success';
    case 'Failed':
      return 'error';
    case 'Degraded':
      return 'warning';
    default:
      return 'info';
  }
}

function outcomeText(r: SummaryReadiness): string | undefined {
  const attempts = r.attempts ? ` (attempt ${r.attempts})` : '';
  switch (r.outcome) {
    case 'retrying':
      return `KAITO retries on its own${attempts}`;
    case 'terminal':
      return 'Needs your action';
    default:
      return r.attempts ? `Attempt ${r.attempts}` : undefined;
  }
}

function timingText(r: SummaryReadiness): string | undefined {
  const t = r.timing;
  if (!t || t.seconds === undefined) return undefined;
  const spent = `${formatDuration(t.seconds * 1000)} in this phase`;
  if (!t.typicalSeconds) return spent;
  const typical = `${formatDuration(
    t.typicalSeconds.min * 1000,
  )}–${formatDuration(t.typicalSeconds.max * 1000)}`;
  return `${spent}; usually ${typical}${t.slow ? ' (slower than usual)' : ''}`;
}

/** The phase with its icon, the one-sentence reason and fix, and KAITO's own words. */
export function PhaseSummary(props: { readiness: SummaryReadiness }) {
  const r = props.readiness;
  const outcome = outcomeText(r);
  const timing = timingText(r);
  // `fix` is also the end of `reason`; show it apart only when the reason does not already end with it.
  const fix = r.fix && !r.reason.includes(r.fix) ? r.fix : undefined;
  return (
    <Box mb={2}>
      <Box display="flex" alignItems="center" flexWrap="wrap" mb={1}>
        <Typography variant="h6" component="p" data-testid="kaito-phase">
          <PhaseStatus phase={r.phase} retrying={r.outcome === 'retrying'} />
        </Typography>
        {outcome && (
          <Box ml={1}>
            <Chip size="small" label={outcome} variant="outlined" />
          </Box>
        )}
        {timing && (
          <Box ml={1}>
            <Chip
              size="small"
              label={timing}
              variant="outlined"
              color={r.timing?.slow ? 'secondary' : 'default'}
            />
          </Box>
        )}
      </Box>
      <Alert severity={severityOf(r)} data-testid="kaito-reason">
        {r.reason}
        {fix && (
          <Typography variant="body2" component="p">
            <strong>Fix:</strong> {fix}
          </Typography>
        )}
      </Alert>
      {r.kaitoMessage && (
        <Typography
          variant="body2"
          color="textSecondary"
          component="p"
          style={{ marginTop: 8 }}
        >
          {/* kaito-common already ends a cut message with "…" (readiness/text.ts). */}
          {/* KAITO writes conditions; a NodeClaim's or pod's words are the node provisioner's or the kubelet's. */}
          {r.kaitoMessage.source.startsWith('condition ')
            ? 'KAITO says'
            : 'The cluster says'}{' '}
          ({r.kaitoMessage.source}): “{r.kaitoMessage.text}”
        </Typography>
      )}
      {r.kaitoVersion?.careful && (
        <Typography variant="caption" color="textSecondary" component="p">
          {r.kaitoVersion.note}
        </Typography>
      )}
    </Box>
  );
}
