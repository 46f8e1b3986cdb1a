import { parseEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';

/**
 * How every entity-scoped action describes its `entityRef` input. Each action
 * builds the field with the `z` the registry hands it (the registry's zod copy
 * may differ from this package's, so no schema object is shared).
 */
export const ENTITY_REF_DESCRIPTION =
  'Catalog entity of the model, e.g. "component:default/phi" (kind defaults to component, namespace to default)';

/** The characters the HTTP routes accept in /entity/<kind>/<namespace>/<name>. */
const KIND = /^[A-Za-z][A-Za-z0-9]{0,62}$/;
const NAME = /^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/;

/** Parses an `entityRef` input; bad refs are an InputError naming the field. */
export function parseEntityInput(ref: string) {
  try {
    const parsed = parseEntityRef(ref, {
      defaultKind: 'component',
      defaultNamespace: 'default',
    });
    if (
      KIND.test(parsed.kind) &&
      NAME.test(parsed.namespace) &&
      NAME.test(parsed.name)
    )
      return parsed;
  } catch {
    // fall through to the InputError below
  }
  throw new InputError(
    `entityRef: '${ref.slice(
      0,
      100,
    )}' is not an entity reference; use [<kind>:][<namespace>/]<name> with letters, digits, "-", "_" or ".", e.g. component:default/phi`,
  );
}
