import {
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  KAITO_EXTERNAL_TARGET_ANNOTATION,
  KAITO_RAGENGINE_ANNOTATION,
  KAITO_WORKSPACE_ANNOTATION,
  KaitoAnnotationError,
  getEntityRagEngineRef,
  getEntityWorkspaceRef,
} from '@kaito-backstage/plugin-kaito-common';
import {
  ClusterRegistry,
  RagEngineKey,
  WorkspaceKey,
} from '@kaito-backstage/plugin-kaito-node';
import { Request } from 'express';
import { KaitoHttpError } from './errors';
import { namespaceRefusal } from './namespacePolicy';

/**
 * What an entity points at: a Workspace on a configured cluster, a
 * configured external endpoint, or a RAGEngine on a configured cluster with
 * the index the entity uses (from its annotations, never from a request).
 */
export type EntityTarget =
  | { kind: 'workspace'; key: WorkspaceKey }
  | { kind: 'external'; name: string }
  | { kind: 'ragengine'; key: RagEngineKey; index: string };

export interface EntityContext {
  entity: Entity;
  entityRef: string;
  credentials: BackstageCredentials;
  /** Who to count limits against: the user entity ref or `service:<subject>`. */
  actor: string;
  target: EntityTarget;
}

const KIND = /^[A-Za-z][A-Za-z0-9]{0,62}$/;
const NAME = /^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/;

export interface EntityResolverOptions {
  catalog: CatalogService;
  permissions: PermissionsService;
  httpAuth: HttpAuthService;
  registry: ClusterRegistry;
  externalTargetNames: () => string[];
  /** When set, Workspaces in other namespaces are refused (`kaito.allowedNamespaces`); unset, system namespaces are. */
  allowedNamespaces?: string[];
  /**
   * How long a caller's resolved entity and permission decision are reused,
   * in ms (`kaito.cache.entityTtlMs`, default 5000; 0 disables). Saves a
   * catalog round trip and a permission check on every chat turn.
   */
  cacheTtlMs?: number;
}

const MAX_CACHED = 10_000;

/**
 * Turns `/entity/:kind/:namespace/:name/...` into an authorized target. The
 * target comes only from the entity's annotations and configuration, never
 * from the request; the permission is checked on the entity first, so a
 * caller without it learns nothing about the entity's annotations.
 */
export class EntityResolver {
  readonly #cache = new Map<
    string,
    {
      value: Omit<EntityContext, 'credentials'>;
      expires: number;
      refreshing?: boolean;
    }
  >();
  readonly #ttl: number;

  constructor(private readonly options: EntityResolverOptions) {
    this.#ttl = options.cacheTtlMs ?? 5_000;
  }

  async resolve(
    req: Request,
    permission: ResourcePermission<'catalog-entity'>,
    opts: { allowExternal: boolean; allowCookie?: boolean },
  ): Promise<EntityContext> {
    const { kind, namespace, name } = req.params;
    if (
      !KIND.test(kind ?? '') ||
      !NAME.test(namespace ?? '') ||
      !NAME.test(name ?? '')
    ) {
      throw new KaitoHttpError(
        400,
        'invalid_entity_ref',
        'Invalid entity reference in the path; expected /entity/<kind>/<namespace>/<name> with letters, digits, "-", "_" or "."',
      );
    }
    const credentials = await this.options.httpAuth.credentials(req, {
      allow: ['user', 'service'],
      allowLimitedAccess: opts.allowCookie,
    });
    return this.resolveFor({ kind, namespace, name }, credentials, permission, {
      allowExternal: opts.allowExternal,
    });
  }

  /**
   * {@link EntityResolver.resolve} for callers that already hold the
   * caller's credentials (the actions registry): same lookup, permission
   * check and cache.
   */
  async resolveFor(
    ref: { kind: string; namespace: string; name: string },
    credentials: BackstageCredentials,
    permission: ResourcePermission<'catalog-entity'>,
    opts: { allowExternal: boolean },
  ): Promise<EntityContext> {
    const { kind, namespace, name } = ref;
    const actor = actorOf(credentials);
    const load = () =>
      this.#load(kind, namespace, name, permission, opts, credentials, actor);
    if (this.#ttl <= 0) return { ...(await load()), credentials };
    // Keyed by caller: catalog visibility and permission decisions are per caller.
    const key =
      `${actor}\u0000${permission.name}\u0000${opts.allowExternal}\u0000${kind}/${namespace}/${name}`.toLowerCase();
    const now = Date.now();
    const cached = this.#cache.get(key);
    if (cached && cached.expires > now) {
      // Refresh an entry in use shortly before it expires, in the background,
      // so an active chat never waits for the catalog. A failed refresh drops it.
      if (!cached.refreshing && cached.expires - now < this.#ttl / 5) {
        cached.refreshing = true;
        load().then(
          value => this.#store(key, value),
          () => this.#cache.delete(key),
        );
      }
      return { ...cached.value, credentials };
    }
    const value = await load();
    this.#store(key, value);
    return { ...value, credentials };
  }

  #store(key: string, value: Omit<EntityContext, 'credentials'>) {
    if (this.#cache.size >= MAX_CACHED) {
      // Drop the oldest entries (Map keeps insertion order).
      for (const k of [...this.#cache.keys()].slice(0, MAX_CACHED / 10))
        this.#cache.delete(k);
    }
    this.#cache.delete(key);
    this.#cache.set(key, { value, expires: Date.now() + this.#ttl });
  }

  /** Catalog lookup with the caller's credentials, permission check, target. */
  async #load(
    kind: string,
    namespace: string,
    name: string,
    permission: ResourcePermission<'catalog-entity'>,
    opts: { allowExternal: boolean },
    credentials: BackstageCredentials,
    actor: string,
  ): Promise<Omit<EntityContext, 'credentials'>> {
    const entity = await this.options.catalog.getEntityByRef(
      { kind, namespace, name },
      { credentials },
    );
    if (!entity) {
      throw new KaitoHttpError(
        404,
        'entity_not_found',
        `Entity ${kind.toLocaleLowerCase(
          'en-US',
        )}:${namespace}/${name} was not found in the catalog; check the kind, namespace and name in the path`,
      );
    }
    const entityRef = stringifyEntityRef(entity);
    const [decision] = await this.options.permissions.authorize(
      [{ permission, resourceRef: entityRef }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new KaitoHttpError(
        403,
        'permission_denied',
        `You are not allowed ${permission.name} on ${entityRef}; ask an owner of the entity or your Backstage administrator for this permission`,
      );
    }
    return {
      entity,
      entityRef,
      actor,
      target: await this.#target(entity, entityRef, opts),
    };
  }

  async #target(
    entity: Entity,
    entityRef: string,
    opts: { allowExternal: boolean },
  ): Promise<EntityTarget> {
    const annotations = entity.metadata.annotations ?? {};
    const external = annotations[KAITO_EXTERNAL_TARGET_ANNOTATION];
    if (external !== undefined) {
      if (annotations[KAITO_WORKSPACE_ANNOTATION] !== undefined) {
        throw new KaitoHttpError(
          400,
          'invalid_annotation',
          `Entity ${entityRef} sets both ${KAITO_WORKSPACE_ANNOTATION} and ${KAITO_EXTERNAL_TARGET_ANNOTATION}; keep one`,
        );
      }
      if (annotations[KAITO_RAGENGINE_ANNOTATION] !== undefined) {
        throw new KaitoHttpError(
          400,
          'invalid_annotation',
          `Entity ${entityRef} sets both ${KAITO_RAGENGINE_ANNOTATION} and ${KAITO_EXTERNAL_TARGET_ANNOTATION}; keep one`,
        );
      }
      if (!opts.allowExternal) {
        throw new KaitoHttpError(
          404,
          'no_workspace',
          `Entity ${entityRef} uses external model endpoint '${external.slice(
            0,
            64,
          )}'; it has no KAITO Workspace to report on`,
        );
      }
      if (!this.options.externalTargetNames().includes(external)) {
        throw new KaitoHttpError(
          404,
          'target_not_configured',
          `Entity ${entityRef} names external target '${external.slice(
            0,
            64,
          )}', which is not configured under kaito.externalTargets; fix the ${KAITO_EXTERNAL_TARGET_ANNOTATION} annotation or add the target to the config`,
        );
      }
      return { kind: 'external', name: external };
    }
    if (annotations[KAITO_RAGENGINE_ANNOTATION] !== undefined) {
      if (annotations[KAITO_WORKSPACE_ANNOTATION] !== undefined) {
        throw new KaitoHttpError(
          400,
          'invalid_annotation',
          `Entity ${entityRef} sets both ${KAITO_WORKSPACE_ANNOTATION} and ${KAITO_RAGENGINE_ANNOTATION}; keep one (a RAG entity chats through its RAGEngine, which names its Workspace itself)`,
        );
      }
      let rag;
      try {
        rag = getEntityRagEngineRef(entity)!;
      } catch (error) {
        if (error instanceof KaitoAnnotationError) {
          throw new KaitoHttpError(
            400,
            'invalid_annotation',
            `Entity ${entityRef}: ${error.message}`,
          );
        }
        throw error;
      }
      const cluster = await this.#cluster(entityRef, rag);
      return {
        kind: 'ragengine',
        key: { cluster, namespace: rag.namespace, name: rag.name },
        index: rag.index,
      };
    }
    let ref;
    try {
      ref = getEntityWorkspaceRef(entity);
    } catch (error) {
      if (error instanceof KaitoAnnotationError) {
        throw new KaitoHttpError(
          400,
          'invalid_annotation',
          `Entity ${entityRef}: ${error.message}`,
        );
      }
      throw error;
    }
    if (!ref) {
      throw new KaitoHttpError(
        404,
        'annotation_missing',
        `Entity ${entityRef} has no ${KAITO_WORKSPACE_ANNOTATION} annotation; add "${KAITO_WORKSPACE_ANNOTATION}: <namespace>/<name>"`,
      );
    }
    const cluster = await this.#cluster(entityRef, ref);
    return {
      kind: 'workspace',
      key: { cluster, namespace: ref.namespace, name: ref.name },
    };
  }

  /** The namespace policy, then the configured cluster the reference names (or the only one). */
  async #cluster(
    entityRef: string,
    ref: { namespace: string; cluster?: string },
  ): Promise<string> {
    const refusal = namespaceRefusal(
      ref.namespace,
      this.options.allowedNamespaces,
    );
    if (refusal) {
      throw new KaitoHttpError(
        403,
        'namespace_not_allowed',
        `Entity ${entityRef} points at ${refusal}`,
      );
    }
    const cluster = await this.options.registry
      .getCluster(ref.cluster)
      .catch(error => {
        // Unknown cluster name, or several clusters and no annotation to pick one.
        if (error?.name === 'NotFoundError')
          throw new KaitoHttpError(
            404,
            'cluster_not_configured',
            error.message,
          );
        if (error?.name === 'InputError')
          throw new KaitoHttpError(400, 'invalid_annotation', error.message);
        throw error;
      });
    return cluster.name;
  }
}

function actorOf(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type: string;
    userEntityRef?: string;
    subject?: string;
  };
  return principal.type === 'user'
    ? principal.userEntityRef!
    : `service:${principal.subject ?? 'unknown'}`;
}
