import { AuthService, UserInfoService } from '@backstage/backend-plugin-api';
import {
  Entity,
  RELATION_OWNED_BY,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, NotAllowedError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

/** The owner refs of an entity: its ownedBy relations, else spec.owner. */
function ownersOf(entity: Entity): string[] {
  const related = (entity.relations ?? [])
    .filter(r => r.type === RELATION_OWNED_BY)
    .map(r => r.targetRef);
  if (related.length) return related;
  const owner = entity.spec?.owner;
  if (typeof owner !== 'string') return [];
  try {
    return [
      stringifyEntityRef(
        parseEntityRef(owner, {
          defaultKind: 'group',
          defaultNamespace: 'default',
        }),
      ),
    ];
  } catch {
    return [];
  }
}

/**
 * `kaito:catalog:require-owner`: fails unless the user running the task owns
 * the entity (directly or through a group), so a template such as
 * kaito-decommission is enforced on the server and not only by its form's
 * OwnedEntityPicker.
 */
export function createCatalogRequireOwnerAction(deps: {
  catalog: CatalogService;
  userInfo: UserInfoService;
  auth: AuthService;
}) {
  return createTemplateAction({
    id: 'kaito:catalog:require-owner',
    description:
      'Fails unless the user running the task owns the entity (directly or through one of their groups).',
    supportsDryRun: true,
    examples: [
      {
        description: 'Only owners may decommission a workspace',
        example: stringify({
          steps: [
            {
              id: 'owner',
              action: 'kaito:catalog:require-owner',
              input: {
                entityRef: '${{ parameters.workspace }}',
                field: 'workspace',
              },
            },
          ],
        }),
      },
    ],
    schema: {
      input: {
        entityRef: z =>
          z
            .string()
            .min(1)
            .describe('The entity, e.g. resource:default/phi-4-mini'),
        field: z =>
          z
            .string()
            .optional()
            .describe('Form field named in the error (default entityRef)'),
      },
      output: {
        owners: z => z.array(z.string()).describe('The owners of the entity'),
      },
    },
    async handler(ctx) {
      const field = ctx.input.field ?? 'entityRef';
      let ref: string;
      try {
        ref = stringifyEntityRef(
          parseEntityRef(ctx.input.entityRef, {
            defaultKind: 'resource',
            defaultNamespace: 'default',
          }),
        );
      } catch (error) {
        throw new InputError(
          `${field}: '${ctx.input.entityRef}' is not an entity reference (${
            (error as Error).message
          })`,
        );
      }
      const credentials = await ctx.getInitiatorCredentials();
      const entity = await deps.catalog.getEntityByRef(ref, { credentials });
      if (!entity) {
        throw new InputError(
          `${field}: ${ref} is not in the catalog or you cannot see it`,
        );
      }
      const owners = ownersOf(entity);
      if (!deps.auth.isPrincipal(credentials, 'user')) {
        throw new NotAllowedError(
          `${field}: only a signed-in user who owns ${ref} may run this template`,
        );
      }
      const { ownershipEntityRefs } = await deps.userInfo.getUserInfo(
        credentials,
      );
      if (!owners.some(o => ownershipEntityRefs.includes(o))) {
        throw new NotAllowedError(
          `${field}: you do not own ${ref} (owner: ${
            owners.join(', ') || 'none'
          }); only its owners may run this template`,
        );
      }
      ctx.logger.info(
        `${ref} is owned by ${owners.join(', ')}, which includes you`,
      );
      ctx.output('owners', owners);
    },
  });
}
