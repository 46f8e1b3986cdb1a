/** Kubernetes name rules, shared by annotations and manifest validation. */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * Checks an RFC 1123 label (namespaces, Service-backed names such as a
 * Workspace, whose name becomes a Service name). Returns a problem or undefined.
 */
export function dns1123LabelProblem(value: string): string | undefined {
  if (value.length === 0) return 'must not be empty';
  if (value.length > 63) {
    return `is ${value.length} characters long; use at most 63`;
  }
  if (!DNS1123_LABEL.test(value)) {
    return `"${printable(
      value,
    )}" is not a valid DNS-1123 label; use lower-case letters, digits and '-', starting and ending with a letter or digit`;
  }
  return undefined;
}

/** Checks an RFC 1123 subdomain (ConfigMap and Secret names). */
export function dns1123SubdomainProblem(value: string): string | undefined {
  if (value.length === 0) return 'must not be empty';
  if (value.length > 253) {
    return `is ${value.length} characters long; use at most 253`;
  }
  if (!DNS1123_SUBDOMAIN.test(value)) {
    return `"${printable(
      value,
    )}" is not a valid DNS-1123 subdomain; use lower-case letters, digits, '-' and '.', starting and ending with a letter or digit`;
  }
  return undefined;
}

/** Shortens and escapes a user value so it is safe to echo in a message. */
export function printable(value: string, max = 64): string {
  const escaped = JSON.stringify(value).slice(1, -1);
  return escaped.length > max ? `${escaped.slice(0, max)}…` : escaped;
}
