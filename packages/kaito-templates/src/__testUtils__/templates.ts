/* Test-only: loads templates from templates/ and validates what they render. */
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import {
  DefaultNamespaceEntityPolicy,
  Entity,
  EntityPolicies,
  FieldFormatEntityPolicy,
  NoForeignRootFieldsEntityPolicy,
  SchemaValidEntityPolicy,
  resourceEntityV1alpha1Validator,
} from '@backstage/catalog-model';
import { templateEntityV1beta3Validator } from '@backstage/plugin-scaffolder-common';
import Ajv, { type ValidateFunction } from 'ajv';
import fs from 'node:fs';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

export const REPO_ROOT = resolvePackagePath(
  '@kaito-backstage/kaito-templates',
  '../..',
);
export const TEMPLATES = path.join(REPO_ROOT, 'templates');

/** A template entity as the catalog stores it. */
export function loadTemplate(name: string): Entity {
  return parse(
    fs.readFileSync(path.join(TEMPLATES, name, 'template.yaml'), 'utf8'),
  );
}

/** Every file of a template directory except template.yaml, as the dry-run API takes them. */
export function directoryContents(name: string) {
  const root = path.join(TEMPLATES, name);
  const out: Array<{ path: string; base64Content: string }> = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (full !== path.join(root, 'template.yaml')) {
        out.push({
          path: path.relative(root, full),
          base64Content: fs.readFileSync(full).toString('base64'),
        });
      }
    }
  };
  walk(root);
  return out;
}

/** Rendered files of a dry run, by path, as text. */
export function renderedFiles(body: {
  directoryContents?: Array<{ path: string; base64Content: string }>;
}): Record<string, string> {
  return Object.fromEntries(
    (body.directoryContents ?? []).map(f => [
      f.path,
      Buffer.from(f.base64Content, 'base64').toString('utf8'),
    ]),
  );
}

const policy = EntityPolicies.allOf([
  new SchemaValidEntityPolicy(),
  new DefaultNamespaceEntityPolicy(),
  new NoForeignRootFieldsEntityPolicy(),
  new FieldFormatEntityPolicy(),
]);

/** The catalog's own validation of a Resource entity: [] when valid. */
export async function entityProblems(entity: Entity): Promise<string[]> {
  try {
    await policy.enforce(entity);
    if (!(await resourceEntityV1alpha1Validator.check(entity))) {
      return ['not a Resource entity'];
    }
    return [];
  } catch (error) {
    return [(error as Error).message];
  }
}

/** The catalog's validation of a Template entity (the scaffolder entity model): [] when valid. */
export async function templateProblems(entity: Entity): Promise<string[]> {
  try {
    await policy.enforce(entity);
    if (!(await templateEntityV1beta3Validator.check(entity))) {
      return ['not a v1beta3 Template'];
    }
    return [];
  } catch (error) {
    return [(error as Error).message];
  }
}

export function parseYamlDocs(text: string): any[] {
  return parseAllDocuments(text).map(d => d.toJS());
}

// --- KAITO CRD schemas from ../shared (skipped when absent) ----------------

export const SHARED_CRDS = path.resolve(
  REPO_ROOT,
  '..',
  'shared',
  'reference',
  'kaito',
  'crds',
);
export const hasShared = fs.existsSync(SHARED_CRDS);
if (!hasShared) {
  // eslint-disable-next-line no-console
  console.warn('skipped: no ../shared (CRD validation of rendered manifests)');
}

type Schema = Record<string, any>;

/** Unknown fields are pruned by the API server; make ajv reject them instead. */
function strict(schema: Schema, root = true): Schema {
  const out: Schema = { ...schema };
  if (out.properties) {
    out.properties = Object.fromEntries(
      Object.entries(out.properties).map(([k, v]) => [
        k,
        root && k === 'metadata' ? v : strict(v as Schema, false),
      ]),
    );
    if (
      !out['x-kubernetes-preserve-unknown-fields'] &&
      out.additionalProperties === undefined
    ) {
      out.additionalProperties = false;
    }
  }
  if (out.items) out.items = strict(out.items, false);
  if (out.additionalProperties && typeof out.additionalProperties === 'object')
    out.additionalProperties = strict(out.additionalProperties, false);
  return out;
}

let workspaceValidators: Record<string, ValidateFunction> | undefined;

/** Schema errors of a Workspace against the real KAITO CRD (its apiVersion's version). */
export function workspaceSchemaErrors(manifest: any): string[] {
  if (!workspaceValidators) {
    const crd = parse(
      fs.readFileSync(
        path.join(SHARED_CRDS, 'kaito.sh_workspaces.yaml'),
        'utf8',
      ),
    );
    const ajv = new Ajv({
      strict: false,
      allErrors: true,
      validateFormats: false,
    });
    workspaceValidators = {};
    for (const v of crd.spec.versions) {
      workspaceValidators[v.name] = ajv.compile(
        strict(v.schema.openAPIV3Schema),
      );
    }
  }
  const version = String(manifest?.apiVersion ?? '').split('/')[1];
  const validate = workspaceValidators[version];
  if (!validate) return [`no CRD version ${version}`];
  return validate(manifest)
    ? []
    : (validate.errors ?? []).map(e => `${e.instancePath || '/'} ${e.message}`);
}

let ragEngineValidators: Record<string, ValidateFunction> | undefined;

/** Schema errors of a RAGEngine against the real KAITO CRD (its apiVersion's version). */
export function ragEngineSchemaErrors(manifest: any): string[] {
  if (!ragEngineValidators) {
    const crd = parse(
      fs.readFileSync(
        path.join(SHARED_CRDS, 'kaito.sh_ragengines.yaml'),
        'utf8',
      ),
    );
    const ajv = new Ajv({
      strict: false,
      allErrors: true,
      validateFormats: false,
    });
    ragEngineValidators = {};
    for (const v of crd.spec.versions) {
      ragEngineValidators[v.name] = ajv.compile(
        strict(v.schema.openAPIV3Schema),
      );
    }
  }
  const version = String(manifest?.apiVersion ?? '').split('/')[1];
  const validate = ragEngineValidators[version];
  if (!validate) return [`no CRD version ${version}`];
  return validate(manifest)
    ? []
    : (validate.errors ?? []).map(e => `${e.instancePath || '/'} ${e.message}`);
}
