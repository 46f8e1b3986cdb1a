import type {
  ReadinessStep,
  WorkspaceReadiness,
} from '@kaito-backstage/plugin-kaito-common';
import Box from '@material-ui/core/Box';
import LinearProgress from '@material-ui/core/LinearProgress';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemIcon from '@material-ui/core/ListItemIcon';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import { StepStatusIcon } from '../shared/PhaseStatus';
import { elapsedMs, formatDuration, percentIn } from '../shared/format';
import { useNow } from '../shared/useNow';

const STATUS_WORDS: Record<ReadinessStep['status'], string> = {
  done: 'done',
  active: 'in progress',
  pending: 'waiting',
  failed: 'failed',
  warning: 'warning',
};

/** "took 1m 20s" for finished steps, "running 35s" for the active one. */
function elapsedLabel(
  steps: ReadinessStep[],
  index: number,
  now: number,
  phaseSince?: string,
): string | undefined {
  const s = steps[index];
  const previous = steps
    .slice(0, index)
    .reverse()
    .find(p => p.at)?.at;
  if (s.status === 'active') {
    const ms = elapsedMs(previous ?? phaseSince, now);
    return ms === undefined ? undefined : `running ${formatDuration(ms)}`;
  }
  if (s.status === 'done' && s.at && index > 0) {
    const ms = elapsedMs(previous, s.at);
    return ms === undefined ? undefined : `took ${formatDuration(ms)}`;
  }
  if ((s.status === 'failed' || s.status === 'warning') && s.at) {
    return `since ${new Date(s.at).toLocaleTimeString()}`;
  }
  return undefined;
}

/** Weights download progress: determinate when a percentage is known, else indeterminate. */
function WeightsProgress(props: { step: ReadinessStep }) {
  const percent = percentIn(props.step.detail);
  return (
    <Box mt={0.5} maxWidth={320}>
      <LinearProgress
        variant={percent === undefined ? 'indeterminate' : 'determinate'}
        value={percent}
        aria-label={
          percent === undefined
            ? 'Downloading weights'
            : `Downloading weights, ${percent}%`
        }
      />
    </Box>
  );
}

/** The steps nodes → weights → inference → ready (or the tuning steps), with elapsed times. */
export function StepTimeline(props: {
  readiness: Pick<WorkspaceReadiness, 'steps' | 'timing'>;
}) {
  const { steps } = props.readiness;
  const active = steps.some(s => s.status === 'active');
  const now = useNow(active);
  if (steps.length === 0) return null;
  return (
    <List dense disablePadding aria-label="Readiness steps">
      {steps.map((s, i) => {
        const elapsed = elapsedLabel(
          steps,
          i,
          now,
          props.readiness.timing?.since,
        );
        return (
          <ListItem
            key={s.id}
            disableGutters
            data-testid={`kaito-step-${s.id}`}
            data-status={s.status}
          >
            <ListItemIcon style={{ minWidth: 32 }}>
              <StepStatusIcon status={s.status} />
            </ListItemIcon>
            <ListItemText
              // Backstage's theme keeps dense list text on one line (nowrap, ellipsis):
              // a step's detail (KAITO's message) must wrap to be read whole.
              style={{ whiteSpace: 'normal' }}
              primary={
                <>
                  {s.title}{' '}
                  <Typography
                    component="span"
                    variant="caption"
                    color="textSecondary"
                  >
                    ({STATUS_WORDS[s.status]}
                    {elapsed ? `, ${elapsed}` : ''})
                  </Typography>
                </>
              }
              secondary={
                s.detail || (s.id === 'weights' && s.status === 'active') ? (
                  <>
                    {s.detail}
                    {s.id === 'weights' && s.status === 'active' && (
                      <WeightsProgress step={s} />
                    )}
                  </>
                ) : undefined
              }
              secondaryTypographyProps={{ component: 'div' }}
            />
          </ListItem>
        );
      })}
    </List>
  );
}
