import {
  createHash,
  generateKeyPairSync,
  randomBytes,
  sign,
} from 'node:crypto';
import { isIP } from 'node:net';

/**
 * Mints a throw-away self-signed certificate at start-up so the ARM
 * simulator can serve HTTPS: the Azure SDK's bearer-token policy refuses to
 * send a token to a non-https URL. Node can sign but not build X.509, so the
 * few DER structures a certificate needs are encoded here by hand; nothing is
 * ever written to disk or committed.
 */
export interface MintedCertificate {
  /** PEM certificate; also the trust anchor clients must be given. */
  certPem: string;
  keyPem: string;
}

const OID = {
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  extKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
};

function encodeLength(length: number): Buffer {
  if (length < 0x80) {
    return Buffer.from([length]);
  }
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) {
    bytes.unshift(rest % 256);
  }
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, ...content: Buffer[]): Buffer {
  const value = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), encodeLength(value.length), value]);
}

const sequence = (...items: Buffer[]) => tlv(0x30, ...items);
const set = (...items: Buffer[]) => tlv(0x31, ...items);
const octetString = (value: Buffer) => tlv(0x04, value);
const bitString = (value: Buffer) => tlv(0x03, Buffer.from([0]), value);
const utf8String = (value: string) => tlv(0x0c, Buffer.from(value, 'utf8'));
const boolTrue = () => tlv(0x01, Buffer.from([0xff]));
const explicit = (tagNumber: number, inner: Buffer) =>
  tlv(0xa0 | tagNumber, inner);

function objectId(dotted: string): Buffer {
  const [first, second, ...rest] = dotted.split('.').map(Number);
  const bytes = [first * 40 + second];
  for (const arc of rest) {
    const chunk = [arc & 0x7f];
    for (let value = arc >>> 7; value > 0; value >>>= 7) {
      chunk.unshift(0x80 | (value & 0x7f));
    }
    bytes.push(...chunk);
  }
  return tlv(0x06, Buffer.from(bytes));
}

function positiveInteger(value: Buffer): Buffer {
  const body =
    value[0] & 0x80 ? Buffer.concat([Buffer.from([0]), value]) : value;
  return tlv(0x02, body);
}

function time(date: Date): Buffer {
  const iso = date.toISOString().replace(/[-:T]/g, '').slice(0, 14); // YYYYMMDDHHMMSS
  // RFC 5280: UTCTime through 2049, GeneralizedTime afterwards.
  return date.getUTCFullYear() < 2050
    ? tlv(0x17, Buffer.from(`${iso.slice(2)}Z`, 'ascii'))
    : tlv(0x18, Buffer.from(`${iso}Z`, 'ascii'));
}

function ipBytes(ip: string): Buffer {
  if (isIP(ip) === 4) {
    return Buffer.from(ip.split('.').map(Number));
  }
  // Expand "::" so every IPv6 address has eight 16-bit groups.
  const [head, tail = ''] = ip.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const groups = ip.includes('::')
    ? [
        ...headGroups,
        ...new Array(8 - headGroups.length - tailGroups.length).fill('0'),
        ...tailGroups,
      ]
    : headGroups;
  const out = Buffer.alloc(16);
  groups.forEach((group, index) =>
    out.writeUInt16BE(parseInt(group, 16), index * 2),
  );
  return out;
}

function extension(oid: string, critical: boolean, value: Buffer): Buffer {
  return sequence(
    objectId(oid),
    ...(critical ? [boolTrue()] : []),
    octetString(value),
  );
}

/**
 * A certificate valid for `localhost`, 127.0.0.1, ::1 and `host` (when it is
 * another name or address). It is its own CA, so passing `certPem` as the
 * only trusted CA makes a TLS client accept exactly this server.
 */
export function mintSelfSignedCertificate(host: string): MintedCertificate {
  const { privateKey, publicKey } = generateKeyPairSync('ec', {
    namedCurve: 'P-256',
  });
  const spki = publicKey.export({ type: 'spki', format: 'der' });

  const dnsNames = new Set(['localhost']);
  const ips = new Set(['127.0.0.1', '::1']);
  const bareHost = host.replace(/^\[|\]$/g, '');
  if (isIP(bareHost)) {
    ips.add(bareHost);
  } else if (bareHost) {
    dnsNames.add(bareHost);
  }
  const altNames = sequence(
    ...[...dnsNames].map(name => tlv(0x82, Buffer.from(name, 'ascii'))),
    ...[...ips].map(ip => tlv(0x87, ipBytes(ip))),
  );

  const name = sequence(
    set(
      sequence(objectId(OID.organization), utf8String('KAITO for Backstage')),
    ),
    set(
      sequence(
        objectId(OID.commonName),
        utf8String('ARM simulator (self-signed)'),
      ),
    ),
  );
  const algorithm = sequence(objectId(OID.ecdsaWithSha256));
  const now = Date.now();
  const serial = randomBytes(16);
  serial[0] &= 0x7f;
  serial[0] |= 0x01; // positive and never a redundant leading zero

  const tbs = sequence(
    explicit(0, positiveInteger(Buffer.from([2]))), // X.509 v3
    positiveInteger(serial),
    algorithm,
    name,
    sequence(
      time(new Date(now - 60 * 60 * 1000)),
      time(new Date(now + 365 * 24 * 60 * 60 * 1000)),
    ),
    name,
    spki,
    explicit(
      3,
      sequence(
        extension(OID.basicConstraints, true, sequence(boolTrue())),
        // digitalSignature (bit 0) + keyCertSign (bit 5): 0b1000_0100, 2 unused bits.
        extension(OID.keyUsage, true, tlv(0x03, Buffer.from([2, 0x84]))),
        extension(OID.extKeyUsage, false, sequence(objectId(OID.serverAuth))),
        extension(OID.subjectAltName, false, altNames),
        extension(
          OID.subjectKeyIdentifier,
          false,
          octetString(createHash('sha1').update(spki).digest()),
        ),
      ),
    ),
  );
  const signature = sign('sha256', tbs, privateKey); // DER ECDSA-Sig-Value
  const certificate = sequence(tbs, algorithm, bitString(signature));

  const base64 = certificate.toString('base64').replace(/.{64}/g, '$&\n');
  return {
    certPem: `-----BEGIN CERTIFICATE-----\n${base64.trimEnd()}\n-----END CERTIFICATE-----\n`,
    keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}
