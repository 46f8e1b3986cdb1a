import { useWorkspaceLoad } from '@kaito-backstage/plugin-kaito-react';
import Typography from '@material-ui/core/Typography';
import { Fragment } from 'react';

/** How often a row refreshes its load: slower than the card, one request per Ready row. */
export const TABLE_LOAD_REFRESH_MS = 15_000;

/**
 * A Ready workspace's live load in one line ("2 running · 1 waiting · KV 12.5 %"),
 * read through its catalog entity (the load route checks the read permission
 * there). Rows without an entity, or not Ready, show a dash.
 */
export function LoadCell(props: { entityRef?: string; ready: boolean }) {
  const enabled = !!props.entityRef && props.ready;
  const { value, error } = useWorkspaceLoad(props.entityRef ?? '', {
    enabled,
    refreshIntervalMs: TABLE_LOAD_REFRESH_MS,
  });
  if (!enabled) return <>–</>;
  if (!value) {
    return (
      <Typography variant="body2" component="span">
        {error ? 'unavailable' : '…'}
      </Typography>
    );
  }
  const parts = [
    value.requestsRunning !== undefined && `${value.requestsRunning} running`,
    value.requestsWaiting !== undefined && `${value.requestsWaiting} waiting`,
    value.kvCacheUsage !== undefined &&
      `KV ${(value.kvCacheUsage * 100).toLocaleString('en-US', {
        maximumFractionDigits: value.kvCacheUsage < 0.01 ? 2 : 1,
      })} %`,
  ].filter((p): p is string => !!p);
  return (
    <Typography
      variant="body2"
      component="span"
      data-testid="kaito-row-load"
      title={error ? `Last refresh failed: ${error.message}` : undefined}
    >
      {parts.length
        ? // Each figure stays whole; the line may break between them.
          parts.map((part, i) => (
            <Fragment key={part}>
              {i > 0 && ' · '}
              <span style={{ whiteSpace: 'nowrap' }}>{part}</span>
            </Fragment>
          ))
        : 'not reported'}
    </Typography>
  );
}
