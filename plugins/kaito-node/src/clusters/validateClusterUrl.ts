import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * SSRF guard for API server URLs that come from the catalog (anyone who can
 * register an entity could otherwise point the backend at internal hosts).
 * Mirrors the rules of Backstage's catalog cluster locator.
 */
// Separate lists: a BlockList with IPv4-mapped IPv6 ranges matches IPv4 too.
const nonPublic = new BlockList();
const nonPublic6 = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  nonPublic.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['::ffff:0:0', 96],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  nonPublic6.addSubnet(net, prefix, 'ipv6');
}

/** True for loopback, private, link-local, reserved and multicast addresses. */
export function isNonPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return nonPublic.check(address, 'ipv4');
  if (family === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped) return nonPublic.check(mapped[1], 'ipv4');
    return nonPublic6.check(address, 'ipv6');
  }
  return true;
}

function hostMatches(hostname: string, pattern: string): boolean {
  const p = pattern.toLowerCase();
  if (p.startsWith('*.')) {
    return hostname.endsWith(p.slice(1)) || hostname === p.slice(2);
  }
  return hostname === p;
}

/** True when `hostname` is listed in `dangerouslyAllowClusterUrls`. */
export function isAllowlistedHost(
  hostname: string,
  policy: ClusterUrlPolicy,
): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return (policy.dangerouslyAllowClusterUrls ?? []).some(p =>
    hostMatches(host, p),
  );
}

/**
 * AKS API servers (public `*.hcp.<region>.azmk8s.io`, private
 * `*.privatelink.<region>.azmk8s.io`). The `azure` auth provider's token is
 * valid on every AKS cluster the backend's identity can reach, so a
 * catalog-registered cluster may only receive it when it is one of these.
 */
export function isAksApiServerHost(hostname: string): boolean {
  return hostname.toLowerCase().endsWith('.azmk8s.io');
}

export interface ClusterUrlPolicy {
  /** Host names (`*.example.com` allowed) exempt from the https and public-address rules. */
  dangerouslyAllowClusterUrls?: string[];
}

/** A checked API server URL and, for a host name, the addresses checked. */
export interface CheckedClusterUrl {
  url: URL;
  /**
   * What the host name resolved to when it was checked; connections must use
   * these (see pinnedLookup) so a second DNS answer cannot redirect them.
   * Absent for IP literals and allow-listed hosts.
   */
  addresses?: string[];
}

/**
 * Validates an API server URL from an untrusted source and returns the
 * addresses it checked. Resolves the host name, so it is async. Throws an
 * Error that says what is wrong. `isForbiddenAddress` defaults to
 * isNonPublicAddress (tests allow a loopback server).
 */
export async function checkClusterUrl(
  raw: string,
  policy: ClusterUrlPolicy = {},
  resolve: (host: string) => Promise<string[]> = async host =>
    (await lookup(host, { all: true })).map(a => a.address),
  isForbiddenAddress: (address: string) => boolean = isNonPublicAddress,
): Promise<CheckedClusterUrl> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error('API server URL is not a valid URL');
  }
  if (url.username || url.password) {
    throw new Error('API server URL must not contain credentials');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error('API server URL must use https');
  }
  if (url.search || url.hash) {
    throw new Error('API server URL must not contain a query or fragment');
  }
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (isAllowlistedHost(host, policy)) return { url };
  if (url.protocol !== 'https:') {
    throw new Error('API server URL must use https');
  }
  if (isIP(host)) {
    if (isForbiddenAddress(host)) {
      throw new Error('API server URL must not use a non-public IP address');
    }
    return { url };
  }
  const addresses = await resolve(host);
  if (addresses.length === 0 || addresses.some(isForbiddenAddress)) {
    throw new Error(
      `API server host "${host}" resolves to a non-public address`,
    );
  }
  return { url, addresses };
}

/**
 * Validates an API server URL from an untrusted source (checkClusterUrl
 * without the checked addresses).
 */
export async function validateClusterUrl(
  raw: string,
  policy: ClusterUrlPolicy = {},
  resolve?: (host: string) => Promise<string[]>,
): Promise<URL> {
  return (await checkClusterUrl(raw, policy, resolve)).url;
}
