import {
  DefaultNamespaceEntityPolicy,
  Entity,
  EntityPolicies,
  FieldFormatEntityPolicy,
  NoForeignRootFieldsEntityPolicy,
  SchemaValidEntityPolicy,
  makeValidator,
  parseEntityRef,
  resourceEntityV1alpha1Validator,
} from '@backstage/catalog-model';

const validator = makeValidator();

/** spec.owner / spec.system must be references the catalog can relate. */
function refProblem(entity: Entity): string | undefined {
  for (const [field, defaultKind] of [
    ['owner', 'group'],
    ['system', 'system'],
  ] as const) {
    const value = entity.spec?.[field];
    if (value === undefined) continue;
    try {
      const ref = parseEntityRef(String(value), {
        defaultKind,
        defaultNamespace: 'default',
      });
      if (
        validator.isValidKind(ref.kind) &&
        validator.isValidNamespace(ref.namespace) &&
        validator.isValidEntityName(ref.name)
      ) {
        continue;
      }
    } catch {
      // reported below
    }
    return `spec.${field} "${value}" is not an entity reference such as ${defaultKind}:default/ml-platform`;
  }
  return undefined;
}

const policy = EntityPolicies.allOf([
  new SchemaValidEntityPolicy(),
  new DefaultNamespaceEntityPolicy(),
  new NoForeignRootFieldsEntityPolicy(),
  new FieldFormatEntityPolicy(),
]);

/**
 * Runs the catalog's own entity validation (the policies and the Resource
 * kind validator the catalog applies), so the provider never emits an entity
 * the catalog would reject. Returns the problem, or undefined when valid.
 */
export async function entityProblem(
  entity: Entity,
): Promise<string | undefined> {
  try {
    await policy.enforce(entity);
    const ref = refProblem(entity);
    if (ref) return ref;
    if (!(await resourceEntityV1alpha1Validator.check(entity))) {
      return 'not a valid Resource entity';
    }
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}
