import { getExpressionAst, parse } from '@cdktf/hcl2json';

/** A Terraform source file: path relative to the tree root (POSIX separators) and its text. */
export interface TerraformFile {
  path: string;
  content: string;
}

/** hcl2json's JSON form of one file: block type -> labels -> list of bodies. */
export type HclJson = Record<string, any>;

/** Parses one .tf file with HashiCorp's HCL parser (compiled to wasm in @cdktf/hcl2json). */
export async function parseHcl(file: TerraformFile): Promise<HclJson> {
  return parse(file.path, file.content);
}

interface AstNode {
  type: string;
  children?: AstNode[];
  meta?: {
    keyVar?: string;
    valVar?: string;
    traversal?: Array<{ type: string; segment: string }>;
  };
}

/**
 * One reference found in an expression: the name parts up to the first index
 * (`module.net[0].id` gives ['module', 'net', 'id'] with the index dropped).
 */
export type Reference = string[];

const HEREDOC = 'EOT_TERRAFORM_TESTS';

/**
 * Every scope traversal in a hcl2json expression string (`${...}` or a template), with the
 * iterator names of `for` expressions left out. Unlike hcl2json's getReferencesInExpression this
 * also walks the key and value expressions of `for`.
 */
export async function referencesIn(
  filename: string,
  expression: string,
): Promise<Reference[]> {
  // A heredoc keeps quotes inside the template literal, so no escaping is needed.
  const ast = (await getExpressionAst(
    filename,
    `<<${HEREDOC}\n${expression}\n${HEREDOC}\n`,
  )) as AstNode | null;
  const out: Reference[] = [];
  const walk = (node: AstNode | undefined | null, scoped: string[]) => {
    if (!node) return;
    if (node.type === 'scopeTraversal' && node.meta?.traversal) {
      const parts = node.meta.traversal
        .filter(p => p.type === 'nameTraversal')
        .map(p => p.segment);
      if (parts.length && !scoped.includes(parts[0])) out.push(parts);
      return;
    }
    const inner =
      node.type === 'for'
        ? [...scoped, node.meta?.keyVar ?? '', node.meta?.valVar ?? ''].filter(
            Boolean,
          )
        : scoped;
    for (const child of node.children ?? []) walk(child, inner);
  };
  walk(ast, []);
  return out;
}
