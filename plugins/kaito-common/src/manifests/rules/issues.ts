import type { ValidationIssue, WorkspaceRuleOverride } from '../../errors';
import {
  dns1123LabelProblem,
  dns1123SubdomainProblem,
  printable,
} from '../../dns';

/** Collects issues with a path prefix; keeps rule code short. */
export class Issues {
  readonly list: ValidationIssue[] = [];

  add(field: string, message: string): void {
    this.list.push({ field, message });
  }

  /** A project rule stricter than KAITO's webhook, overridable by the user. */
  warn(field: string, message: string, override: WorkspaceRuleOverride): void {
    this.list.push({ field, message, severity: 'warning', override });
  }
}

export type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `the string "${printable(v)}"`;
  return `a ${typeof v}`;
}

/** Reads an optional object; reports a wrong type. */
export function optObj(
  issues: Issues,
  field: string,
  v: unknown,
): Obj | undefined {
  if (v === undefined) return undefined;
  if (!isObj(v)) {
    issues.add(field, `must be an object, got ${describeValue(v)}`);
    return undefined;
  }
  return v;
}

/** Reads an optional string; reports a wrong type. */
export function optString(
  issues: Issues,
  field: string,
  v: unknown,
): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string') {
    issues.add(field, `must be a string, got ${describeValue(v)}`);
    return undefined;
  }
  return v;
}

/** Reads an optional array of strings; reports wrong types per element. */
export function optStringArray(
  issues: Issues,
  field: string,
  v: unknown,
): string[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) {
    issues.add(field, `must be a list of strings, got ${describeValue(v)}`);
    return undefined;
  }
  const out: string[] = [];
  v.forEach((item, i) => {
    if (typeof item !== 'string') {
      issues.add(
        `${field}[${i}]`,
        `must be a string, got ${describeValue(item)}`,
      );
    } else out.push(item);
  });
  return out;
}

/** Flags keys the CRD schema does not define (the API server silently prunes them). */
export function unknownKeys(
  issues: Issues,
  field: string,
  obj: Obj,
  known: readonly string[],
): void {
  for (const key of Object.keys(obj)) {
    if (!known.includes(key)) {
      issues.add(
        field ? `${field}.${key}` : key,
        `is not a field of this KAITO object and would be dropped by the API server; remove it (known fields: ${known.join(
          ', ',
        )})`,
      );
    }
  }
}

export function checkLabelName(
  issues: Issues,
  field: string,
  value: string,
  what: string,
): void {
  const p = dns1123LabelProblem(value);
  if (p) issues.add(field, `${what} ${p}`);
}

export function checkSubdomainName(
  issues: Issues,
  field: string,
  value: string,
  what: string,
): void {
  const p = dns1123SubdomainProblem(value);
  if (p) issues.add(field, `${what} ${p}`);
}

/** Optional string that must be a DNS-1123 subdomain (ConfigMap / Secret names). */
export function optObjectName(
  issues: Issues,
  field: string,
  v: unknown,
  what: string,
): string | undefined {
  const s = optString(issues, field, v);
  if (s !== undefined) checkSubdomainName(issues, field, s, what);
  return s;
}

/** Optional `imagePullSecrets`: a list of Secret names. */
export function optImagePullSecrets(
  issues: Issues,
  field: string,
  v: unknown,
): void {
  optStringArray(issues, field, v)?.forEach((s, i) =>
    optObjectName(issues, `${field}[${i}]`, s, 'Secret name'),
  );
}

const IMAGE_REF =
  /^(?:(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;

/** Checks an OCI image reference (registry/repository[:tag][@digest]). */
export function checkImageRef(
  issues: Issues,
  field: string,
  value: string,
): void {
  if (value.length === 0) {
    issues.add(
      field,
      'image must not be empty; give a reference such as myacr.azurecr.io/adapter:0.0.1',
    );
  } else if (value.length > 512 || !IMAGE_REF.test(value)) {
    issues.add(
      field,
      `"${printable(
        value,
      )}" is not a valid image reference; use registry/repository:tag with a lower-case repository, e.g. myacr.azurecr.io/adapter:0.0.1`,
    );
  }
}

const PRIVATE_HOST = [
  /^localhost$/i,
  /\.localhost$/i,
  /^127\./,
  /^0\./,
  /^10\./,
  /^192\.168\./,
  /^172\.(1[6-9]|2\d|3[01])\./,
  /^169\.254\./,
  /^100\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7])\./,
  /^\[?::1\]?$/,
  /^\[?f[cd][0-9a-f]{2}:/i,
  /^\[?fe80:/i,
  /^metadata\.google\.internal$/i,
  /^metadata$/i,
];

/**
 * KAITO accepts only http(s) data URLs that do not point at loopback,
 * private, link-local or cloud-metadata addresses.
 */
export function checkDataUrl(
  issues: Issues,
  field: string,
  value: string,
): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    issues.add(
      field,
      `"${printable(
        value,
      )}" is not a valid URL; use an https:// link to the data file`,
    );
    return;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    issues.add(
      field,
      `URL scheme "${printable(
        url.protocol,
      )}" is not allowed; use http:// or https://`,
    );
    return;
  }
  const host = url.hostname;
  if (PRIVATE_HOST.some(re => re.test(host))) {
    issues.add(
      field,
      `URL host "${printable(
        host,
      )}" is a loopback, private, link-local or metadata address, which KAITO rejects; host the data at a public https URL or use a volume source`,
    );
  }
}
