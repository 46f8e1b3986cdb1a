import type { LookupAddress, LookupOptions } from 'node:dns';
import { isIP } from 'node:net';

/** The `lookup` option of net/tls connections and http(s) agents. */
export type ConnectLookup = (
  hostname: string,
  options: LookupOptions,
  callback: (
    err: NodeJS.ErrnoException | null,
    address: string | LookupAddress[],
    family?: number,
  ) => void,
) => void;

/**
 * A `lookup` that answers `hostname` with the addresses the SSRF guard
 * checked, and nothing else: the connection goes where the check looked
 * (no second DNS answer, so no DNS rebinding), while the URL keeps the host
 * name for TLS SNI and the certificate check.
 */
export function pinnedLookup(
  hostname: string,
  addresses: readonly string[],
): ConnectLookup {
  const host = hostname.toLowerCase();
  const entries: LookupAddress[] = addresses.map(address => ({
    address,
    family: isIP(address),
  }));
  return (name, options, callback) => {
    const family =
      options.family === 4 || options.family === 6 ? options.family : 0;
    const answers = entries.filter(e => !family || e.family === family);
    if (name.toLowerCase() !== host || answers.length === 0) {
      const err: NodeJS.ErrnoException = new Error(
        `${name} has no checked address${family ? ` of IPv${family}` : ''}`,
      );
      err.code = 'ENOTFOUND';
      callback(err, '', 0);
      return;
    }
    if (options.all) callback(null, answers);
    else callback(null, answers[0].address, answers[0].family);
  };
}
