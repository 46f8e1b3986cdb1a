import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';

export const TECHDOCS_REF_ANNOTATION = 'backstage.io/techdocs-ref';

/** Most entities of one system whose docs are read. */
const MAX_SOURCES = 100;

/**
 * The entities whose TechDocs a RAG entity indexes: those of its system
 * (`spec.system`; a System entity is its own system) that have
 * `backstage.io/techdocs-ref`, the system itself included; without a
 * system, the entity alone. Read with the caller's credentials, so only
 * what the caller may see is indexed.
 */
export async function techDocsSources(
  catalog: CatalogService,
  entity: Entity,
  credentials: BackstageCredentials,
): Promise<{ system?: string; entities: Entity[] }> {
  const own = (entity.metadata.annotations ?? {})[TECHDOCS_REF_ANNOTATION]
    ? [entity]
    : [];
  const namespace = entity.metadata.namespace ?? 'default';
  let system: { kind: string; namespace: string; name: string } | undefined;
  if (entity.kind.toLocaleLowerCase('en-US') === 'system') {
    system = { kind: 'system', namespace, name: entity.metadata.name };
  } else if (typeof (entity.spec as any)?.system === 'string') {
    try {
      system = parseEntityRef((entity.spec as any).system, {
        defaultKind: 'system',
        defaultNamespace: namespace,
      });
    } catch {
      system = undefined;
    }
  }
  if (!system) return { entities: own };
  const systemRef = stringifyEntityRef(system);
  const hasDocs = {
    [`metadata.annotations.${TECHDOCS_REF_ANNOTATION}`]: CATALOG_FILTER_EXISTS,
  };
  // spec.system is written short ("payments") or in full ("system:default/payments").
  const [members, systemEntity] = await Promise.all([
    catalog.getEntities(
      {
        filter: [
          { 'spec.system': system.name, ...hasDocs },
          { 'spec.system': systemRef, ...hasDocs },
        ],
        limit: MAX_SOURCES,
      },
      { credentials },
    ),
    catalog.getEntityByRef(system, { credentials }),
  ]);
  const all = [
    ...own,
    ...(systemEntity?.metadata.annotations?.[TECHDOCS_REF_ANNOTATION]
      ? [systemEntity]
      : []),
    ...members.items.filter(e => {
      // The short form names a system in the entity's own namespace.
      const s = (e.spec as any)?.system;
      if (typeof s !== 'string') return false;
      try {
        return (
          stringifyEntityRef(
            parseEntityRef(s, {
              defaultKind: 'system',
              defaultNamespace: e.metadata.namespace ?? 'default',
            }),
          ) === systemRef
        );
      } catch {
        return false;
      }
    }),
  ];
  const seen = new Set<string>();
  const entities = all.filter(e => {
    const ref = stringifyEntityRef(e);
    if (seen.has(ref)) return false;
    seen.add(ref);
    return true;
  });
  return { system: systemRef, entities: entities.slice(0, MAX_SOURCES) };
}
