import { KAITO_WORKSPACE_ANNOTATION } from '@kaito-backstage/plugin-kaito-common';
import {
  kaitoResourceEntity,
  type RawKaitoMetadata,
} from './kaitoResourceEntity';

/** The fields of a KAITO Workspace (any served version) the provider reads. */
export interface RawWorkspace {
  apiVersion?: string;
  metadata?: RawKaitoMetadata;
  inference?: { preset?: { name?: string } };
  tuning?: { preset?: { name?: string }; method?: string };
  spec?: {
    inference?: { preset?: { name?: string } };
    tuning?: { preset?: { name?: string }; method?: string };
  };
}

/**
 * A catalog `Resource` (type `kaito-workspace`) for a Workspace that carries
 * the `backstage.io/owner` annotation, or undefined for Workspaces the portal
 * did not create (no owner) and Workspaces being deleted.
 */
export function workspaceEntity(cluster: string, ws: RawWorkspace) {
  const tuning = ws.tuning ?? ws.spec?.tuning;
  const preset =
    (ws.inference ?? ws.spec?.inference)?.preset?.name ?? tuning?.preset?.name;
  return kaitoResourceEntity(cluster, ws.metadata ?? {}, {
    location: 'kaito-workspace',
    annotation: KAITO_WORKSPACE_ANNOTATION,
    type: 'kaito-workspace',
    tags: tuning ? ['kaito', 'llm', 'tuning'] : ['kaito', 'llm'],
    describe: ref =>
      `KAITO ${
        tuning ? 'tuning' : 'inference'
      } workspace ${ref} on cluster ${cluster}${preset ? ` (${preset})` : ''}.`,
  });
}
