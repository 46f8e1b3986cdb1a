import path from 'path';
import { referencesIn, type TerraformFile } from './hcl';
import { loadModules, type ModuleInfo } from './model';

/** One finding, with the file it is in. */
export interface TerraformProblem {
  file: string;
  message: string;
}

/** Resolves a local module source (`./x`, `../x`) to a directory key, or undefined for registry/Git sources. */
export function localSourceDir(
  fromDir: string,
  source: string | undefined,
): string | undefined {
  if (!source || !(source.startsWith('./') || source.startsWith('../')))
    return undefined;
  return path.posix.normalize(path.posix.join(fromDir, source));
}

async function checkReferences(
  mod: ModuleInfo,
  all: Map<string, ModuleInfo>,
  problems: TerraformProblem[],
) {
  for (const expr of mod.expressions) {
    let refs: string[][];
    try {
      refs = await referencesIn(expr.file, expr.text);
    } catch (e) {
      problems.push({
        file: expr.file,
        message: `${expr.where}: expression does not parse: ${
          e instanceof Error ? e.message : String(e)
        }`,
      });
      continue;
    }
    for (const [root, a, b] of refs) {
      const at = `${expr.where}: `;
      if (root === 'var' && a && !mod.variables.has(a)) {
        problems.push({
          file: expr.file,
          message: `${at}var.${a} is not declared in ${mod.dir}`,
        });
      } else if (root === 'local' && a && !mod.locals.has(a)) {
        problems.push({
          file: expr.file,
          message: `${at}local.${a} is not defined in ${mod.dir}`,
        });
      } else if (root === 'module' && a) {
        const call = mod.modules.get(a);
        if (!call) {
          problems.push({
            file: expr.file,
            message: `${at}module.${a} is not declared in ${mod.dir}`,
          });
          continue;
        }
        const target = all.get(localSourceDir(mod.dir, call.source) ?? '');
        if (target && b && !target.outputs.has(b)) {
          problems.push({
            file: expr.file,
            message: `${at}module.${a}.${b}: ${
              target.dir
            } has no output "${b}" (outputs: ${[...target.outputs.keys()].join(
              ', ',
            )})`,
          });
        }
      } else if (
        root === 'data' &&
        a &&
        b &&
        !mod.dataSources.has(`${a}.${b}`)
      ) {
        problems.push({
          file: expr.file,
          message: `${at}data.${a}.${b} is not declared in ${mod.dir}`,
        });
      } else if (
        a &&
        root.includes('_') &&
        mod.providers.has(root.split('_')[0]) &&
        !mod.resources.has(`${root}.${a}`)
      ) {
        problems.push({
          file: expr.file,
          message: `${at}resource ${root}.${a} is not declared in ${mod.dir}`,
        });
      }
    }
  }
}

function checkModuleCalls(
  mod: ModuleInfo,
  all: Map<string, ModuleInfo>,
  problems: TerraformProblem[],
) {
  for (const [name, call] of mod.modules) {
    const dir = localSourceDir(mod.dir, call.source);
    if (!call.source) {
      problems.push({
        file: call.file,
        message: `module.${name} has no source`,
      });
      continue;
    }
    if (dir === undefined) continue; // registry or Git source: not checked offline
    const target = all.get(dir);
    if (!target) {
      problems.push({
        file: call.file,
        message: `module.${name}: source "${call.source}" (${dir}) has no .tf files`,
      });
      continue;
    }
    for (const input of call.inputs) {
      if (!target.variables.has(input)) {
        problems.push({
          file: call.file,
          message: `module.${name}: "${input}" is not a variable of ${dir}`,
        });
      }
    }
    for (const [v, info] of target.variables) {
      if (!info.hasDefault && !call.inputs.includes(v)) {
        problems.push({
          file: call.file,
          message: `module.${name}: required variable "${v}" of ${dir} is not set`,
        });
      }
    }
  }
}

function checkDeclarations(mod: ModuleInfo, problems: TerraformProblem[]) {
  for (const [name, v] of mod.variables) {
    if (!v.type)
      problems.push({
        file: v.file,
        message: `variable "${name}" has no type`,
      });
    if (!v.description?.trim())
      problems.push({
        file: v.file,
        message: `variable "${name}" has no description`,
      });
  }
  for (const [name, o] of mod.outputs) {
    if (!o.description?.trim())
      problems.push({
        file: o.file,
        message: `output "${name}" has no description`,
      });
    if (!o.hasValue)
      problems.push({ file: o.file, message: `output "${name}" has no value` });
  }
}

/**
 * Static checks of a set of Terraform files (no provider download): each file parses, each
 * variable has a type and a description, each output a description and value, every
 * var./local./module./data./resource reference resolves, and every call of a local module passes
 * only inputs the module declares and all inputs it requires.
 */
export async function checkTerraform(
  files: TerraformFile[],
): Promise<TerraformProblem[]> {
  const modules = await loadModules(files);
  const problems: TerraformProblem[] = [];
  for (const mod of modules.values()) {
    problems.push(...mod.parseErrors);
    checkDeclarations(mod, problems);
    checkModuleCalls(mod, modules, problems);
    await checkReferences(mod, modules, problems);
  }
  return problems;
}
