/* Test-only: compiles the real KAITO CRD schemas with ajv. */
import Ajv, { type ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import { readReference } from './sharedReference';

type Schema = Record<string, unknown>;

/**
 * The API server prunes fields a structural schema does not declare; ajv
 * would accept them. Add `additionalProperties: false` wherever the schema
 * lists properties and does not preserve unknown fields, so the test fails
 * on fields KAITO would silently drop.
 */
function strict(schema: Schema, isRoot = true): Schema {
  const out: Schema = { ...schema };
  if (out.properties && typeof out.properties === 'object') {
    const props: Schema = {};
    for (const [k, v] of Object.entries(out.properties as Schema)) {
      // metadata is validated by the API server, not the CRD schema.
      props[k] = isRoot && k === 'metadata' ? v : strict(v as Schema, false);
    }
    out.properties = props;
    if (
      !out['x-kubernetes-preserve-unknown-fields'] &&
      out.additionalProperties === undefined
    ) {
      out.additionalProperties = false;
    }
  }
  if (out.items && typeof out.items === 'object')
    out.items = strict(out.items as Schema, false);
  if (
    out.additionalProperties &&
    typeof out.additionalProperties === 'object'
  ) {
    out.additionalProperties = strict(
      out.additionalProperties as Schema,
      false,
    );
  }
  return out;
}

export type CrdValidators = Record<string, ValidateFunction>;

/** One ajv validator per served version of a CRD file, e.g. { v1beta1, v1alpha1 }. */
export function loadCrdValidators(file: string): CrdValidators {
  const crd = parse(readReference(`crds/${file}`));
  const ajv = new Ajv({
    strict: false,
    allErrors: true,
    validateFormats: false,
  });
  ajv.addKeyword('x-kubernetes-preserve-unknown-fields');
  ajv.addKeyword('x-kubernetes-int-or-string');
  ajv.addKeyword('x-kubernetes-list-type');
  ajv.addKeyword('x-kubernetes-list-map-keys');
  ajv.addKeyword('x-kubernetes-map-type');
  ajv.addKeyword('x-kubernetes-validations');
  ajv.addKeyword('x-kubernetes-embedded-resource');
  const out: CrdValidators = {};
  for (const version of crd.spec.versions) {
    out[version.name] = ajv.compile(strict(version.schema.openAPIV3Schema));
  }
  return out;
}

export function schemaErrors(
  validate: ValidateFunction,
  obj: unknown,
): string[] {
  return validate(obj)
    ? []
    : (validate.errors ?? []).map(e => `${e.instancePath || '/'} ${e.message}`);
}
