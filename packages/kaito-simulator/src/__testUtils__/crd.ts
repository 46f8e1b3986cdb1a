/* Test-only: the real KAITO CRD schemas from ../shared, compiled with ajv. */
import fs from 'node:fs';
import path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import { parse } from 'yaml';

type Schema = Record<string, unknown>;

/** `<repo>/../shared/reference/kaito/crds`, when present. */
export const CRD_DIR = (() => {
  const dir = path.resolve(
    __dirname,
    '../../../../../shared/reference/kaito/crds',
  );
  return fs.existsSync(dir) ? dir : undefined;
})();

/** Fields a structural schema does not declare would be pruned by the API server: refuse them. */
function strict(schema: Schema, root = true): Schema {
  const out: Schema = { ...schema };
  if (out.properties && typeof out.properties === 'object') {
    out.properties = Object.fromEntries(
      Object.entries(out.properties as Schema).map(([k, v]) => [
        k,
        root && k === 'metadata' ? v : strict(v as Schema, false),
      ]),
    );
    if (
      !out['x-kubernetes-preserve-unknown-fields'] &&
      out.additionalProperties === undefined
    )
      out.additionalProperties = false;
  }
  if (out.items && typeof out.items === 'object')
    out.items = strict(out.items as Schema, false);
  if (out.additionalProperties && typeof out.additionalProperties === 'object')
    out.additionalProperties = strict(
      out.additionalProperties as Schema,
      false,
    );
  return out;
}

/** One validator per served version of a CRD file; undefined without ../shared. */
export function crdValidators(
  file: string,
): Record<string, ValidateFunction> | undefined {
  if (!CRD_DIR) return undefined;
  const crd = parse(fs.readFileSync(path.join(CRD_DIR, file), 'utf8'));
  const ajv = new Ajv({
    strict: false,
    allErrors: true,
    validateFormats: false,
  });
  for (const k of [
    'preserve-unknown-fields',
    'int-or-string',
    'list-type',
    'list-map-keys',
    'map-type',
    'validations',
    'embedded-resource',
  ])
    ajv.addKeyword(`x-kubernetes-${k}`);
  return Object.fromEntries(
    (
      crd.spec.versions as Array<{
        name: string;
        schema: { openAPIV3Schema: Schema };
      }>
    ).map(v => [v.name, ajv.compile(strict(v.schema.openAPIV3Schema))]),
  );
}

export function schemaErrors(
  validate: ValidateFunction,
  obj: unknown,
): string[] {
  return validate(obj)
    ? []
    : (validate.errors ?? []).map(e => `${e.instancePath || '/'} ${e.message}`);
}

/** The CRD's printer columns / enum facts a contract test may compare with. */
export function crdDocument(file: string): any {
  return CRD_DIR
    ? parse(fs.readFileSync(path.join(CRD_DIR, file), 'utf8'))
    : undefined;
}
