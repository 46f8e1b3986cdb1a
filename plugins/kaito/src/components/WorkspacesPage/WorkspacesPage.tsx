import {
  Content,
  Header,
  Page,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { useKaitoWorkspaces } from '@kaito-backstage/plugin-kaito-react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { useEffect, useMemo, useState } from 'react';
import { useNow } from '../shared/useNow';
import { WorkspaceEntity, loadWorkspaceEntities } from './entityIndex';
import { WorkspacesTable, toRows } from './WorkspacesTable';

function errorText(error: Error): string {
  if (error instanceof ResponseError && error.statusCode === 403) {
    return 'You may not list KAITO workspaces (permission kaito.workspace.list). Ask a portal admin for access.';
  }
  return error instanceof ResponseError
    ? error.body?.error?.message ?? error.message
    : error.message;
}

/** The catalog entities behind Workspaces, reloaded when the list of Workspaces changes size. */
function useWorkspaceEntities(key: number): WorkspaceEntity[] {
  const catalogApi = useApi(catalogApiRef);
  const [entities, setEntities] = useState<WorkspaceEntity[]>([]);
  useEffect(() => {
    let cancelled = false;
    loadWorkspaceEntities(catalogApi).then(
      e => !cancelled && setEntities(e),
      () => {}, // without the catalog the page still lists Workspaces ("not in catalog")
    );
    return () => {
      cancelled = true;
    };
  }, [catalogApi, key]);
  return entities;
}

/**
 * Every KAITO Workspace on every configured cluster, refreshed every few seconds.
 *
 * @public
 */
export function KaitoWorkspacesPage() {
  const { value, loading, error, updatedAt } = useKaitoWorkspaces();
  const entities = useWorkspaceEntities(value?.items.length ?? 0);
  const now = useNow(true, 5000);
  const rows = useMemo(
    () => toRows(value?.items ?? [], entities, now),
    [value, entities, now],
  );
  const down = value?.clusters.filter(c => c.status !== 'ok') ?? [];
  return (
    <Page themeId="tool">
      <Header
        title="KAITO workspaces"
        subtitle="Every model deployment on every configured cluster, live"
      />
      <Content>
        {error && (
          <Box mb={2}>
            <WarningPanel
              severity={value ? 'warning' : 'error'}
              title={
                value
                  ? 'Refresh failed; showing the last answer'
                  : 'Cannot list workspaces'
              }
              message={errorText(error)}
            />
          </Box>
        )}
        {down.map(c => (
          <Box mb={2} key={c.cluster}>
            <WarningPanel
              severity="warning"
              title={`Cluster ${c.cluster} is ${c.status}`}
              message={
                c.message ??
                'Its Workspaces are missing from the list until it answers.'
              }
            />
          </Box>
        ))}
        <WorkspacesTable
          rows={rows}
          loading={loading}
          subtitle={
            updatedAt
              ? `${
                  value?.clusters.length ?? 0
                } cluster(s) · updated ${updatedAt.toLocaleTimeString()}`
              : undefined
          }
        />
        <Typography variant="caption" color="textSecondary">
          Open a Workspace's entity to see its readiness steps and chat with the
          model.
        </Typography>
      </Content>
    </Page>
  );
}
