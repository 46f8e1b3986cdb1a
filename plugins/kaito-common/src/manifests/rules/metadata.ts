import { KAITO_RUNTIME_ANNOTATION } from '../../workspace';
import { printable } from '../../dns';
import { Issues, Obj, checkLabelName, describeValue, isObj } from './issues';

const QUALIFIED_KEY =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Validates a Kubernetes label key (prefix/name). */
export function labelKeyProblem(key: string): string | undefined {
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : '';
  if (!QUALIFIED_KEY.test(key) || prefix.length > 253) {
    return `label key "${printable(
      key,
    )}" is invalid; use an optional DNS prefix and a name of at most 63 letters, digits, '-', '_' or '.'`;
  }
  return undefined;
}

/** Validates a Kubernetes label value. */
export function labelValueProblem(value: string): string | undefined {
  if (value.length > 63 || !LABEL_VALUE.test(value)) {
    return `label value "${printable(
      value,
    )}" is invalid; use at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit`;
  }
  return undefined;
}

/** Checks a `Record<string,string>` of labels. */
export function checkLabels(issues: Issues, field: string, v: unknown): void {
  if (v === undefined) return;
  if (!isObj(v)) {
    issues.add(field, `must be a map of strings, got ${describeValue(v)}`);
    return;
  }
  for (const [k, val] of Object.entries(v)) {
    const f = `${field}[${JSON.stringify(k)}]`;
    const kp = labelKeyProblem(k);
    if (kp) issues.add(f, kp);
    if (typeof val !== 'string')
      issues.add(
        f,
        `must be a string, got ${describeValue(val)}; quote it in YAML`,
      );
    else {
      const vp = labelValueProblem(val);
      if (vp) issues.add(f, vp);
    }
  }
}

/**
 * metadata: name is required and, because it also names the Service, must
 * be a DNS-1035-style label (DNS-1123 starting with a letter).
 */
export function checkMetadata(
  issues: Issues,
  metadata: unknown,
): Obj | undefined {
  if (!isObj(metadata)) {
    issues.add(
      'metadata',
      metadata === undefined
        ? 'is required; add metadata.name'
        : `must be an object, got ${describeValue(metadata)}`,
    );
    return undefined;
  }
  const name = metadata.name;
  if (name === undefined || name === '') {
    if (typeof metadata.generateName !== 'string') {
      issues.add(
        'metadata.name',
        'is required; give the Workspace a name such as "workspace-phi-4-mini"',
      );
    }
  } else if (typeof name !== 'string') {
    issues.add('metadata.name', `must be a string, got ${describeValue(name)}`);
  } else {
    checkLabelName(issues, 'metadata.name', name, 'name');
    if (/^[0-9]/.test(name)) {
      issues.add(
        'metadata.name',
        `name "${printable(
          name,
        )}" starts with a digit, but KAITO creates a Service of the same name and Service names must start with a letter; prefix it, e.g. "ws-${printable(
          name,
        )}"`,
      );
    }
  }
  if (metadata.namespace !== undefined) {
    if (typeof metadata.namespace !== 'string') {
      issues.add(
        'metadata.namespace',
        `must be a string, got ${describeValue(metadata.namespace)}`,
      );
    } else {
      checkLabelName(
        issues,
        'metadata.namespace',
        metadata.namespace,
        'namespace',
      );
    }
  }
  checkLabels(issues, 'metadata.labels', metadata.labels);
  const annotations = metadata.annotations;
  if (annotations !== undefined) {
    if (!isObj(annotations)) {
      issues.add(
        'metadata.annotations',
        `must be a map of strings, got ${describeValue(annotations)}`,
      );
    } else {
      for (const [k, v] of Object.entries(annotations)) {
        if (typeof v !== 'string') {
          issues.add(
            `metadata.annotations[${JSON.stringify(k)}]`,
            `must be a string, got ${describeValue(
              v,
            )}; quote it in YAML (e.g. "true")`,
          );
        }
      }
      const runtime = annotations[KAITO_RUNTIME_ANNOTATION];
      if (
        typeof runtime === 'string' &&
        !['vllm', 'transformers'].includes(runtime)
      ) {
        issues.add(
          `metadata.annotations["${KAITO_RUNTIME_ANNOTATION}"]`,
          `runtime "${printable(
            runtime,
          )}" is unknown; use "vllm" (default) or "transformers"`,
        );
      }
    }
  }
  return metadata;
}
