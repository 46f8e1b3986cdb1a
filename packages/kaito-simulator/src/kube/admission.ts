import { randomBytes } from 'node:crypto';
import { validateWorkspace } from '@kaito-backstage/plugin-kaito-common';
import { badRequest, FieldIssue, invalid, KubeError } from './errors';
import {
  apiVersionOf,
  NAMESPACES,
  RAGENGINES,
  ResourceType,
  SECRETS,
  SERVICES,
  WORKSPACES,
} from './resources';
import {
  WORKSPACE_WEBHOOK,
  webhookDenied,
  workspaceSchemaIssues,
} from './kaitoWebhook';
import {
  RAGENGINE_WEBHOOK,
  ragEngineSchemaIssues,
  ragEngineWebhookIssues,
} from './ragengineWebhook';
import { isRecord, KubeObject } from './types';

/**
 * What the API server does to a write before storing it: decoding checks,
 * defaulting, metadata validation and (for Workspaces) KAITO's admission
 * rules, answered with the same Status shapes a real cluster uses.
 */

const SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const LABEL_KEY =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const GENERATE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export interface AdmissionContext {
  resource: ResourceType;
  /** apiVersion of the endpoint the request came through. */
  apiVersion: string;
  /** Namespace from the URL (namespaced resources). */
  namespace?: string;
  /** Name from the URL (update, patch, apply). */
  name?: string;
  previous?: KubeObject;
  /** The KAITO operator's mode, for its webhook's rules. */
  kaito?: KaitoAdmissionMode;
}

/** How the simulated KAITO operator is installed: what its webhook checks depend on. */
export interface KaitoAdmissionMode {
  /** Node auto-provisioning (default true); false: BYO nodes, instanceType must stay empty. */
  nodeAutoProvisioning?: boolean;
  /** KAITO feature gates, e.g. `{ disableNodeAutoProvisioning: true }`. */
  featureGates?: Record<string, boolean>;
}

function quote(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 120 ? `${s.slice(0, 117)}..."` : s;
}

/** How Go's JSON decoder names a value it cannot unmarshal into a struct. */
function goType(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  return typeof v;
}

/** Checks kind / apiVersion / namespace / name of a decoded body against the URL. */
export function checkIdentity(
  input: unknown,
  ctx: AdmissionContext,
): KubeObject {
  const r = ctx.resource;
  if (!isRecord(input)) {
    throw badRequest(
      `couldn't get version/kind; json parse error: json: cannot unmarshal ${goType(
        input,
      )} into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }`,
    );
  }
  let body: Record<string, unknown> = input;
  const compact = JSON.stringify(body).slice(0, 200);
  if (!r.custom) {
    // Built-in endpoints decode into their own type: a missing kind/apiVersion defaults from the URL.
    body = {
      ...body,
      kind: body.kind || r.kind,
      apiVersion: body.apiVersion || ctx.apiVersion,
    };
  }
  if (typeof body.kind !== 'string' || !body.kind)
    throw badRequest(`Object 'Kind' is missing in '${compact}'`);
  if (typeof body.apiVersion !== 'string' || !body.apiVersion) {
    throw badRequest(`Object 'apiVersion' is missing in '${compact}'`);
  }
  const expected = ctx.apiVersion;
  if (
    body.kind !== r.kind ||
    !r.versions.some(v => apiVersionOf(r.group, v) === body.apiVersion)
  ) {
    throw badRequest(
      `the API version in the data (${body.apiVersion}) and kind (${body.kind}) do not match the expected ${r.kind} in version ${expected}`,
    );
  }
  if (body.metadata !== undefined && !isRecord(body.metadata)) {
    throw badRequest(
      `${r.kind} in version "${expected
        .split('/')
        .pop()}" cannot be handled as a ${
        r.kind
      }: json: cannot unmarshal ${typeof body.metadata} into Go struct field ${
        r.kind
      }.metadata of type v1.ObjectMeta`,
    );
  }
  const obj = structuredClone(body) as KubeObject;
  obj.metadata = (obj.metadata as KubeObject['metadata']) ?? {};
  if (r.namespaced) {
    const ns = obj.metadata.namespace;
    if (ns !== undefined && ns !== '' && ns !== ctx.namespace) {
      throw badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    }
    obj.metadata.namespace = ctx.namespace;
  } else {
    delete obj.metadata.namespace;
  }
  if (ctx.name !== undefined) {
    if (obj.metadata.name === undefined || obj.metadata.name === '')
      obj.metadata.name = ctx.name;
    if (obj.metadata.name !== ctx.name) {
      throw badRequest(
        `the name of the object (${String(
          obj.metadata.name,
        )}) does not match the name on the URL (${ctx.name})`,
      );
    }
  }
  return obj;
}

/** Fills `metadata.name` from `generateName` on create. */
export function generateName(obj: KubeObject): void {
  if (
    !obj.metadata.name &&
    typeof obj.metadata.generateName === 'string' &&
    obj.metadata.generateName
  ) {
    const bytes = randomBytes(5);
    let suffix = '';
    for (const b of bytes)
      suffix += GENERATE_ALPHABET[b % GENERATE_ALPHABET.length];
    obj.metadata.name = `${obj.metadata.generateName}${suffix}`;
  }
}

function metadataIssues(obj: KubeObject, r: ResourceType): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const m = obj.metadata;
  const name = m.name;
  if (name === undefined || name === '') {
    issues.push({
      field: 'metadata.name',
      type: 'FieldValueRequired',
      message: 'Required value: name or generateName is required',
    });
  } else if (typeof name !== 'string') {
    issues.push({
      field: 'metadata.name',
      message: `Invalid value: ${quote(name)}: must be a string`,
    });
  } else {
    const asLabel = r === NAMESPACES || r === SERVICES;
    const ok = asLabel
      ? LABEL.test(name) && name.length <= 63
      : SUBDOMAIN.test(name) && name.length <= 253;
    if (!ok) {
      issues.push({
        field: 'metadata.name',
        message: `Invalid value: ${quote(name)}: ${
          asLabel ? LABEL_MSG : SUBDOMAIN_MSG
        }`,
      });
    }
  }
  for (const [field, value] of [
    ['labels', m.labels],
    ['annotations', m.annotations],
  ] as const) {
    if (value === undefined || value === null) continue;
    if (!isRecord(value)) {
      issues.push({
        field: `metadata.${field}`,
        message: `Invalid value: ${quote(value)}: must be a map of strings`,
      });
      continue;
    }
    for (const [k, v] of Object.entries(value)) {
      if (!LABEL_KEY.test(k) || k.length > 316) {
        issues.push({
          field: `metadata.${field}`,
          message: `Invalid value: ${quote(
            k,
          )}: name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
        });
      }
      if (typeof v !== 'string') {
        issues.push({
          field: `metadata.${field}`,
          message: `Invalid value: ${quote(v)}: must be a string`,
        });
      } else if (
        field === 'labels' &&
        (!LABEL_VALUE.test(v) || v.length > 63)
      ) {
        issues.push({
          field: 'metadata.labels',
          message: `Invalid value: ${quote(
            v,
          )}: a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
        });
      }
    }
  }
  if (
    m.finalizers !== undefined &&
    (!Array.isArray(m.finalizers) ||
      m.finalizers.some(f => typeof f !== 'string'))
  ) {
    issues.push({
      field: 'metadata.finalizers',
      message: `Invalid value: ${quote(
        m.finalizers,
      )}: must be a list of strings`,
    });
  }
  return issues;
}

function workspaceIssues(
  obj: KubeObject,
  previous?: KubeObject,
  mode: KaitoAdmissionMode = {},
): FieldIssue[] {
  return (
    validateWorkspace(obj, { ...mode, ...(previous ? { previous } : {}) })
      // Warnings are this project's own stricter rules; KAITO's webhook admits them.
      .filter(i => i.severity !== 'warning')
      .map(i => ({
        field: i.field,
        type: /required/i.test(i.message)
          ? 'FieldValueRequired'
          : 'FieldValueInvalid',
        message: i.message,
      }))
  );
}

/**
 * Validates a write: the API server's own checks (metadata, the CRD schema)
 * throw 422 Invalid with one cause per problem; KAITO's Workspace and
 * RAGEngine webhooks throw their denials as the API server relays them (400,
 * see kaitoWebhook.ts and ragengineWebhook.ts).
 */
export function validate(obj: KubeObject, ctx: AdmissionContext): void {
  const r = ctx.resource;
  const issues = metadataIssues(obj, r);
  if (issues.length === 0 && r === WORKSPACES)
    issues.push(...workspaceSchemaIssues(obj));
  if (issues.length === 0 && r === RAGENGINES)
    issues.push(...ragEngineSchemaIssues(obj));
  const name = typeof obj.metadata.name === 'string' ? obj.metadata.name : '';
  if (issues.length) throw invalid(r.kind, r.group, name, issues);
  if (r === WORKSPACES) {
    const denied = workspaceIssues(obj, ctx.previous, ctx.kaito);
    if (denied.length) throw webhookDenied(WORKSPACE_WEBHOOK, denied);
  }
  if (r === RAGENGINES) {
    const denied = ragEngineWebhookIssues(obj);
    if (denied.length) throw webhookDenied(RAGENGINE_WEBHOOK, denied);
  }
}

/** Server-side defaults a real cluster fills in. */
export function applyDefaults(obj: KubeObject, r: ResourceType): void {
  if (r === NAMESPACES) {
    obj.metadata.labels = {
      ...obj.metadata.labels,
      'kubernetes.io/metadata.name': obj.metadata.name!,
    };
    obj.spec = { finalizers: ['kubernetes'] };
    obj.status = { phase: 'Active' };
  }
  if (r === SECRETS) {
    // The simulator keeps Secret names and keys only: values are never stored.
    const keys = new Set([
      ...Object.keys(isRecord(obj.data) ? obj.data : {}),
      ...Object.keys(isRecord(obj.stringData) ? obj.stringData : {}),
    ]);
    delete obj.stringData;
    obj.data = Object.fromEntries([...keys].map(k => [k, '']));
    if (typeof obj.type !== 'string') obj.type = 'Opaque';
  }
  if (r === SERVICES) {
    const spec = isRecord(obj.spec) ? obj.spec : {};
    spec.type ??= 'ClusterIP';
    if (spec.clusterIP === undefined) {
      spec.clusterIP = `10.0.${Math.floor(Math.random() * 250) + 1}.${
        Math.floor(Math.random() * 250) + 1
      }`;
    }
    obj.spec = spec;
  }
}

/** Wraps any validator exception that is not a Status into a clear 422. */
export function admit(obj: KubeObject, ctx: AdmissionContext): void {
  try {
    validate(obj, ctx);
  } catch (e) {
    if (e instanceof KubeError) throw e;
    throw invalid(
      ctx.resource.kind,
      ctx.resource.group,
      String(obj.metadata.name ?? ''),
      [{ field: '', message: `admission failed: ${(e as Error).message}` }],
    );
  }
}
