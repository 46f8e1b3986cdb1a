import type { KaitoWorkspaceState } from '@kaito-backstage/plugin-kaito-react';
import Typography from '@material-ui/core/Typography';
import { formatDuration } from '../shared/format';

/** "Live", "Connecting…" or "Reconnecting in 4s (attempt 2): why" for the card's subheader. */
export function ConnectionStatus(props: {
  connection: KaitoWorkspaceState['connection'];
  observedAt?: string;
}) {
  const c = props.connection;
  let text: string;
  switch (c.state) {
    case 'live':
      text = 'Live';
      break;
    case 'connecting':
      text = 'Connecting…';
      break;
    case 'reconnecting':
      text = `Connection lost (${
        c.error.message
      }); reconnecting in ${formatDuration(c.retryInMs)} (attempt ${
        c.attempt
      })`;
      break;
    default:
      text = 'Not connected';
  }
  return (
    <Typography
      variant="caption"
      color="textSecondary"
      role="status"
      data-testid="kaito-connection"
    >
      {text}
      {props.observedAt && c.state === 'live'
        ? ` · updated ${new Date(props.observedAt).toLocaleTimeString()}`
        : ''}
    </Typography>
  );
}
