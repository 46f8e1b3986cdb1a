import { parseEntityRef } from '@backstage/catalog-model';
import { Table, TableColumn } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import type { WorkspaceSnapshot } from '@kaito-backstage/plugin-kaito-common';
import Typography from '@material-ui/core/Typography';
import { Fragment, type CSSProperties } from 'react';
import { PhaseStatus, phaseLabel } from '../shared/PhaseStatus';
import { elapsedMs, formatDuration } from '../shared/format';
import { WorkspaceEntity, findEntity } from './entityIndex';
import { LoadCell } from './LoadCell';

/** One row of the workspaces table. */
export interface WorkspaceRow {
  id: string;
  workspace: string;
  cluster: string;
  phase: string;
  phaseLabel: string;
  reason: string;
  model: string;
  size: string;
  createdAt?: string;
  ageMs?: number;
  entity?: WorkspaceEntity;
}

export function toRows(
  items: WorkspaceSnapshot[],
  entities: WorkspaceEntity[],
  now: number,
): WorkspaceRow[] {
  return items.map(s => {
    const r = s.readiness;
    const w = s.workspace;
    const nodes = r?.targetNodeCount ?? w?.targetNodeCount;
    const instance = r?.instanceType ?? w?.instanceType;
    const phase = s.status === 'found' ? r?.phase ?? 'Unknown' : s.status;
    return {
      id: `${s.cluster}/${s.namespace}/${s.name}`,
      workspace: `${s.namespace}/${s.name}`,
      cluster: s.cluster,
      phase,
      phaseLabel:
        s.status === 'unavailable' ? 'Cluster unavailable' : phaseLabel(phase),
      reason: r?.reason ?? s.message ?? '',
      model: r?.model ?? w?.preset ?? 'custom template',
      size: instance
        ? `${nodes ?? 1} × ${instance}`
        : `${nodes ?? '?'} node(s), BYO`,
      createdAt: w?.createdAt,
      ageMs: elapsedMs(w?.createdAt, now),
      entity: findEntity(entities, s),
    };
  });
}

// Values never wrap inside a word or at a hyphen ("phi-4-" / "mini"); a long
// one may break only where `parts` allow (after "namespace/", after "N ×").
// A fresh style object each time: the core Table adds to a highlighted column's.
const noWrap = (): CSSProperties => ({ whiteSpace: 'nowrap' });

function BreakOnlyBetween(props: { parts: string[] }) {
  return (
    <>
      {props.parts.map((part, i) => (
        <Fragment key={i}>
          {i > 0 && <wbr />}
          <span style={noWrap()}>{part}</span>
        </Fragment>
      ))}
    </>
  );
}

const columns: TableColumn<WorkspaceRow>[] = [
  {
    title: 'Workspace',
    field: 'workspace',
    highlight: true,
    render: row => (
      <BreakOnlyBetween parts={row.workspace.replace('/', '/\n').split('\n')} />
    ),
  },
  { title: 'Cluster', field: 'cluster', cellStyle: noWrap() },
  {
    title: 'Phase',
    field: 'phaseLabel',
    cellStyle: { minWidth: 120, maxWidth: 280 },
    render: row => (
      <>
        <PhaseStatus phase={row.phase} label={row.phaseLabel} />
        {row.phase !== 'Ready' && row.reason && (
          <Typography variant="caption" component="div" color="textSecondary">
            {row.reason}
          </Typography>
        )}
      </>
    ),
  },
  { title: 'Model', field: 'model', cellStyle: noWrap() },
  {
    title: 'Load',
    sorting: false,
    cellStyle: { minWidth: 110 },
    render: row => (
      <LoadCell
        entityRef={row.entity?.entityRef}
        ready={row.phase === 'Ready'}
      />
    ),
  },
  {
    title: 'Size',
    field: 'size',
    render: row => (
      <BreakOnlyBetween parts={row.size.replace(' × ', ' × \n').split('\n')} />
    ),
  },
  {
    title: 'Age',
    field: 'ageMs',
    type: 'numeric',
    cellStyle: noWrap(),
    render: row => (row.ageMs === undefined ? '–' : formatDuration(row.ageMs)),
  },
  {
    title: 'Entity',
    field: 'entity.title',
    cellStyle: noWrap(),
    render: row =>
      row.entity ? (
        <EntityRefLink
          entityRef={parseEntityRef(row.entity.entityRef)}
          title={row.entity.title}
        />
      ) : (
        <Typography variant="body2" color="textSecondary">
          not in catalog
        </Typography>
      ),
  },
];

/** Every Workspace with phase, model, live load, size, age and its catalog entity; filter and sort. */
export function WorkspacesTable(props: {
  rows: WorkspaceRow[];
  loading: boolean;
  subtitle?: string;
}) {
  return (
    <Table<WorkspaceRow>
      title={`Workspaces (${props.rows.length})`}
      subtitle={props.subtitle}
      isLoading={props.loading}
      columns={columns}
      data={props.rows}
      options={{
        paging: props.rows.length > 20,
        pageSize: 20,
        search: true,
        padding: 'dense',
        // Draggable headers put a role="button" handle inside each sort
        // button (axe: nested-interactive); sorting stays, reordering goes.
        draggable: false,
        headerStyle: noWrap(),
      }}
      filters={[
        { column: 'Phase', type: 'multiple-select' },
        { column: 'Cluster', type: 'select' },
      ]}
      emptyContent={
        <Typography variant="body2" style={{ padding: 16 }}>
          No Workspace on any configured cluster. Deploy a model with a KAITO
          template.
        </Typography>
      }
    />
  );
}
