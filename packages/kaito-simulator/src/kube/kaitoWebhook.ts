import type { ValidationIssue } from '@kaito-backstage/plugin-kaito-common';
import { FieldIssue, KubeError } from './errors';
import { isRecord, KubeObject } from './types';

/**
 * How a refusal by KAITO's validating webhook reaches a client.
 *
 * KAITO registers its Workspace webhook as `validation.workspace.kaito.sh`
 * (charts/kaito/workspace/templates/webhooks.yaml, pkg/workspace/webhooks),
 * built on knative's validation admission controller. knative answers a
 * failed `Validate` with `MakeErrorStatus("validation failed: %v", err)`,
 * i.e. `apierrors.NewBadRequest(...)`: code 400, reason BadRequest, no
 * details; the error text is knative's `apis.FieldError.Error()`, one line per
 * error as `<message>: <field paths>` (errors with the same message merged,
 * their paths sorted and joined by ", ", the errors sorted by message). The API server relays it with
 * `ToStatusErr` (k8s.io/apiserver webhook/errors): same code and reason,
 * message prefixed `admission webhook "<name>" denied the request: `.
 * A dry run (`dryRun=All`) is judged the same way (the webhook has no side
 * effects).
 *
 * The CRD's OpenAPI schema is checked before any webhook, and answers 422
 * Invalid like every schema violation: the few structural rules it holds
 * (required fields, enums) are checked here first, in the API server's words.
 */
export const WORKSPACE_WEBHOOK = 'validation.workspace.kaito.sh';

/** `apis.FieldError.Error()` for these issues: `<message>: <paths>`, equal messages merged, sorted as knative sorts them. */
export function fieldErrorText(
  issues: Array<Pick<ValidationIssue, 'field' | 'message'>>,
): string {
  const merged = new Map<string, string[]>();
  for (const i of issues) {
    const paths = merged.get(i.message) ?? [];
    if (i.field && !paths.includes(i.field)) paths.push(i.field);
    merged.set(i.message, paths);
  }
  // knative's merge(): paths sorted, then errors sorted by message (Go string order).
  const byBytes = (a: string, b: string) => {
    if (a === b) return 0;
    return a < b ? -1 : 1;
  };
  return [...merged]
    .sort(([a], [b]) => byBytes(a, b))
    .map(([message, paths]) => [message, [...paths].sort(byBytes)] as const)
    .map(([message, paths]) =>
      paths.length ? `${message}: ${paths.join(', ')}` : message,
    )
    .join('\n');
}

/** The Status a client gets when KAITO's webhook `webhook` refuses the write. */
export function webhookDenied(
  webhook: string,
  issues: Array<Pick<ValidationIssue, 'field' | 'message'>>,
): KubeError {
  return new KubeError(
    400,
    'BadRequest',
    `admission webhook "${webhook}" denied the request: validation failed: ${fieldErrorText(
      issues,
    )}`,
  );
}

const ACCESS_MODES = ['public', 'private'];

/**
 * What the Workspace CRD's schema (config/crd/bases/kaito.sh_workspaces.yaml)
 * refuses before KAITO's webhook is asked: `resource.labelSelector`, a
 * preset's `name`, tuning's `input` and `output` are required; a preset's
 * `accessMode` is `public` or `private`.
 */
export function workspaceSchemaIssues(obj: KubeObject): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const required = (field: string) =>
    issues.push({
      field,
      type: 'FieldValueRequired',
      message: 'Required value',
    });
  const resource = isRecord(obj.resource) ? obj.resource : undefined;
  if (resource && resource.labelSelector === undefined)
    required('resource.labelSelector');
  const presets: Array<[string, unknown]> = [
    [
      'inference.preset',
      isRecord(obj.inference) ? obj.inference.preset : undefined,
    ],
    ['tuning.preset', isRecord(obj.tuning) ? obj.tuning.preset : undefined],
  ];
  for (const [path, preset] of presets) {
    if (!isRecord(preset)) continue;
    if (preset.name === undefined) required(`${path}.name`);
    const mode = preset.accessMode;
    if (mode !== undefined && !ACCESS_MODES.includes(mode as string)) {
      issues.push({
        field: `${path}.accessMode`,
        type: 'FieldValueNotSupported',
        message: `Unsupported value: ${JSON.stringify(
          mode,
        )}: supported values: "public", "private"`,
      });
    }
  }
  if (isRecord(obj.tuning)) {
    if (obj.tuning.input === undefined) required('tuning.input');
    if (obj.tuning.output === undefined) required('tuning.output');
  }
  return issues;
}
