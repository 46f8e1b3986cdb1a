import { WarningPanel } from '@backstage/core-components';
import { ResponseError } from '@backstage/errors';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';

/** What to tell the user about an error that ended the readiness stream for good. */
export function describeStreamError(error: Error): {
  title: string;
  message: string;
  severity: 'warning' | 'error' | 'info';
} {
  const status = error instanceof ResponseError ? error.statusCode : undefined;
  const detail =
    error instanceof ResponseError
      ? error.body?.error?.message ?? error.message
      : error.message;
  switch (status) {
    case 401:
    case 403:
      return {
        title: 'Permission denied',
        message: `You may not read this workspace's readiness (permission kaito.workspace.read). Ask a portal admin for access. ${detail}`,
        severity: 'warning',
      };
    case 404:
      return {
        title: 'No KAITO workspace for this entity',
        message: detail,
        severity: 'info',
      };
    case 400:
      return {
        title: 'Wrong KAITO annotation',
        message: detail,
        severity: 'warning',
      };
    default:
      return {
        title: 'Readiness unavailable',
        message: `The portal could not read this workspace's readiness: ${detail}`,
        severity: 'error',
      };
  }
}

/** A card-sized panel for a state where no readiness can be shown, with an optional retry. */
export function WorkspaceProblem(props: {
  title: string;
  message: string;
  severity?: 'warning' | 'error' | 'info';
  onRetry?: () => void;
}) {
  return (
    <WarningPanel
      title={props.title}
      severity={props.severity ?? 'warning'}
      defaultExpanded
    >
      <Typography variant="body2" component="p" data-testid="kaito-problem">
        {props.message}
      </Typography>
      {props.onRetry && (
        <Button
          size="small"
          variant="outlined"
          onClick={props.onRetry}
          style={{ marginTop: 8 }}
        >
          Try again
        </Button>
      )}
    </WarningPanel>
  );
}
