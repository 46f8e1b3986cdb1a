import {
  DefaultNamespaceEntityPolicy,
  Entity,
  EntityPolicies,
  FieldFormatEntityPolicy,
  NoForeignRootFieldsEntityPolicy,
  SchemaValidEntityPolicy,
  resourceEntityV1alpha1Validator,
} from '@backstage/catalog-model';

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
    if (!(await resourceEntityV1alpha1Validator.check(entity))) {
      return 'not a valid Resource entity';
    }
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}
