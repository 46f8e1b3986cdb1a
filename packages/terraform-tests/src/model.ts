import path from 'path';
import { parseHcl, type HclJson, type TerraformFile } from './hcl';

/** A variable block as the checks see it. */
export interface VariableInfo {
  file: string;
  type?: string;
  description?: string;
  hasDefault: boolean;
  default?: unknown;
  validations: number;
}

/** A module call (`module "x" { source = ... }`). */
export interface ModuleCallInfo {
  file: string;
  source?: string;
  /** Input names passed (meta-arguments left out). */
  inputs: string[];
}

/** An expression string with where it came from. */
export interface ExpressionInfo {
  file: string;
  /** Block and attribute path, e.g. `module.aks_kaito.vnet_subnet_id`. */
  where: string;
  text: string;
}

/** Everything declared in one directory (= one Terraform module). */
export interface ModuleInfo {
  dir: string;
  files: string[];
  variables: Map<string, VariableInfo>;
  outputs: Map<
    string,
    { file: string; description?: string; hasValue: boolean }
  >;
  locals: Set<string>;
  modules: Map<string, ModuleCallInfo>;
  /** `type.name` of managed resources. */
  resources: Set<string>;
  /** `type.name` of data sources. */
  dataSources: Set<string>;
  /** Local names in required_providers (azurerm, kubernetes, ...). */
  providers: Set<string>;
  expressions: ExpressionInfo[];
  parseErrors: Array<{ file: string; message: string }>;
}

const MODULE_META = new Set([
  'source',
  'version',
  'count',
  'for_each',
  'depends_on',
  'providers',
]);
/** Keys whose string values are prose, not expressions. */
const PROSE_KEYS = new Set(['description', 'error_message']);

function firstBody(list: unknown): Record<string, any> {
  return (Array.isArray(list) ? list[0] : list) ?? {};
}

/** Collects every string containing an interpolation, with its attribute path. */
function collectExpressions(
  value: unknown,
  where: string,
  file: string,
  out: ExpressionInfo[],
) {
  if (typeof value === 'string') {
    if (value.includes('${') || value.includes('%{'))
      out.push({ file, where, text: value });
  } else if (Array.isArray(value)) {
    value.forEach(v => collectExpressions(v, where, file, out));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (PROSE_KEYS.has(k) || k === 'type') continue;
      collectExpressions(v, `${where}.${k}`, file, out);
    }
  }
}

function emptyModule(dir: string): ModuleInfo {
  return {
    dir,
    files: [],
    variables: new Map(),
    outputs: new Map(),
    locals: new Set(),
    modules: new Map(),
    resources: new Set(),
    dataSources: new Set(),
    providers: new Set(),
    expressions: [],
    parseErrors: [],
  };
}

function addFile(mod: ModuleInfo, file: string, json: HclJson) {
  mod.files.push(file);
  for (const [name, bodies] of Object.entries(json.variable ?? {})) {
    const b = firstBody(bodies);
    mod.variables.set(name, {
      file,
      type: typeof b.type === 'string' ? b.type : undefined,
      description:
        typeof b.description === 'string' ? b.description : undefined,
      hasDefault: 'default' in b,
      default: b.default,
      validations: Array.isArray(b.validation) ? b.validation.length : 0,
    });
    collectExpressions(b, `variable.${name}`, file, mod.expressions);
  }
  for (const [name, bodies] of Object.entries(json.output ?? {})) {
    const b = firstBody(bodies);
    mod.outputs.set(name, {
      file,
      description:
        typeof b.description === 'string' ? b.description : undefined,
      hasValue: 'value' in b,
    });
    collectExpressions(b, `output.${name}`, file, mod.expressions);
  }
  for (const block of (json.locals ?? []) as Array<Record<string, unknown>>) {
    for (const [name, v] of Object.entries(block)) {
      mod.locals.add(name);
      collectExpressions(v, `local.${name}`, file, mod.expressions);
    }
  }
  for (const [name, bodies] of Object.entries(json.module ?? {})) {
    const b = firstBody(bodies);
    mod.modules.set(name, {
      file,
      source: typeof b.source === 'string' ? b.source : undefined,
      inputs: Object.keys(b).filter(k => !MODULE_META.has(k)),
    });
    collectExpressions(b, `module.${name}`, file, mod.expressions);
  }
  for (const [kind, set] of [
    ['resource', mod.resources],
    ['data', mod.dataSources],
  ] as const) {
    for (const [type, byName] of Object.entries(json[kind] ?? {})) {
      for (const [name, bodies] of Object.entries(byName as object)) {
        set.add(`${type}.${name}`);
        collectExpressions(
          bodies,
          `${kind === 'data' ? 'data.' : ''}${type}.${name}`,
          file,
          mod.expressions,
        );
      }
    }
  }
  for (const tf of (json.terraform ?? []) as Array<Record<string, any>>) {
    for (const rp of (tf.required_providers ?? []) as Array<
      Record<string, unknown>
    >) {
      Object.keys(rp).forEach(p => mod.providers.add(p));
    }
  }
  for (const name of Object.keys(json.provider ?? {})) {
    collectExpressions(
      json.provider[name],
      `provider.${name}`,
      file,
      mod.expressions,
    );
  }
}

/** Parses the files and groups them by directory. */
export async function loadModules(
  files: TerraformFile[],
): Promise<Map<string, ModuleInfo>> {
  const modules = new Map<string, ModuleInfo>();
  for (const f of files) {
    const dir = path.posix.dirname(f.path);
    const mod = modules.get(dir) ?? emptyModule(dir);
    modules.set(dir, mod);
    try {
      addFile(mod, f.path, await parseHcl(f));
    } catch (e) {
      mod.files.push(f.path);
      mod.parseErrors.push({
        file: f.path,
        message: e instanceof Error ? e.message : String(e),
      });
    }
  }
  return modules;
}
