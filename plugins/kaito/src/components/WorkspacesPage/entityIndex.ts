import { CATALOG_FILTER_EXISTS, CatalogApi } from '@backstage/catalog-client';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  KAITO_WORKSPACE_ANNOTATION,
  getEntityWorkspaceRef,
} from '@kaito-backstage/plugin-kaito-common';

/** A catalog entity pointing at a Workspace. */
export interface WorkspaceEntity {
  entityRef: string;
  title: string;
  namespace: string;
  name: string;
  /** From `kaito.sh/cluster`; undefined matches any cluster. */
  cluster?: string;
}

/** Catalog entities with a well-formed `kaito.sh/workspace` annotation. */
export async function loadWorkspaceEntities(
  catalogApi: CatalogApi,
): Promise<WorkspaceEntity[]> {
  const { items } = await catalogApi.getEntities({
    filter: {
      [`metadata.annotations.${KAITO_WORKSPACE_ANNOTATION}`]:
        CATALOG_FILTER_EXISTS,
    },
    fields: [
      'kind',
      'metadata.name',
      'metadata.namespace',
      'metadata.title',
      'metadata.annotations',
    ],
  });
  return items.flatMap((entity: Entity) => {
    try {
      const ref = getEntityWorkspaceRef(entity);
      if (!ref) return [];
      return [
        {
          entityRef: stringifyEntityRef(entity),
          title: entity.metadata.title ?? entity.metadata.name,
          ...ref,
        },
      ];
    } catch {
      return []; // a malformed annotation: its entity page explains it
    }
  });
}

/** The entity for a Workspace, if the catalog has one. */
export function findEntity(
  entities: WorkspaceEntity[],
  ws: { cluster: string; namespace: string; name: string },
): WorkspaceEntity | undefined {
  return entities.find(
    e =>
      e.namespace === ws.namespace &&
      e.name === ws.name &&
      (e.cluster === undefined || e.cluster === ws.cluster),
  );
}
