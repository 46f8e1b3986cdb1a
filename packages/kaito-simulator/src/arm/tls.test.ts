import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mintSelfSignedCertificate } from './tls';

describe('mintSelfSignedCertificate', () => {
  it('mints a valid self-signed certificate for loopback names and the requested host', () => {
    const { certPem, keyPem } = mintSelfSignedCertificate('arm.localtest.me');
    const cert = new X509Certificate(certPem);

    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(cert.ca).toBe(true);
    expect(cert.checkHost('localhost')).toBe('localhost');
    expect(cert.checkHost('arm.localtest.me')).toBe('arm.localtest.me');
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(cert.checkIP('::1')).toBe('::1');
    expect(cert.checkHost('example.com')).toBeUndefined();
    expect(cert.checkPrivateKey(createPrivateKey(keyPem))).toBe(true);
    expect(Date.parse(cert.validFrom)).toBeLessThan(Date.now());
    expect(Date.parse(cert.validTo)).toBeGreaterThan(
      Date.now() + 300 * 24 * 3600e3,
    );
  });

  it('covers an IP host and mints a fresh key and serial every time', () => {
    const a = mintSelfSignedCertificate('10.1.2.3');
    const b = mintSelfSignedCertificate('10.1.2.3');
    const certA = new X509Certificate(a.certPem);
    expect(certA.checkIP('10.1.2.3')).toBe('10.1.2.3');
    expect(certA.serialNumber).not.toBe(
      new X509Certificate(b.certPem).serialNumber,
    );
    expect(a.keyPem).not.toBe(b.keyPem);
  });
});
