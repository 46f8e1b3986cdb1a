import { isNonPublicAddress, validateClusterUrl } from './validateClusterUrl';

const publicDns = async () => ['20.50.2.1'];

describe('isNonPublicAddress', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    '::',
    'fd00::1',
    'fe80::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
    'not-an-ip',
  ])('%s is not public', ip => expect(isNonPublicAddress(ip)).toBe(true));

  it.each(['20.50.2.1', '8.8.8.8', '2603:1030::1'])('%s is public', ip =>
    expect(isNonPublicAddress(ip)).toBe(false),
  );
});

describe('validateClusterUrl', () => {
  it('accepts a public https API server', async () => {
    await expect(
      validateClusterUrl('https://aks.example.com:443', {}, publicDns),
    ).resolves.toBeInstanceOf(URL);
  });

  it.each([
    ['not a url', 'not a valid URL'],
    ['ftp://aks.example.com', 'https'],
    ['http://aks.example.com', 'https'],
    ['https://user:pw@aks.example.com', 'credentials'],
    ['https://127.0.0.1:6443', 'non-public IP'],
    ['https://[::1]:6443', 'non-public IP'],
    ['https://169.254.169.254', 'non-public IP'],
    ['https://aks.example.com/?x=1', 'query'],
  ])('rejects %s', async (url, message) => {
    await expect(validateClusterUrl(url, {}, publicDns)).rejects.toThrow(
      message,
    );
  });

  it('rejects host names that resolve to private addresses', async () => {
    await expect(
      validateClusterUrl('https://internal.example.com', {}, async () => [
        '20.1.1.1',
        '10.0.0.5',
      ]),
    ).rejects.toThrow('resolves to a non-public address');
  });

  it('lets dangerouslyAllowClusterUrls exempt a host, with wildcards', async () => {
    await expect(
      validateClusterUrl('http://127.0.0.1:8080', {
        dangerouslyAllowClusterUrls: ['127.0.0.1'],
      }),
    ).resolves.toBeInstanceOf(URL);
    await expect(
      validateClusterUrl(
        'https://a.internal.corp',
        { dangerouslyAllowClusterUrls: ['*.internal.corp'] },
        async () => ['10.0.0.1'],
      ),
    ).resolves.toBeInstanceOf(URL);
    await expect(
      validateClusterUrl(
        'https://a.internal.corpx',
        { dangerouslyAllowClusterUrls: ['*.internal.corp'] },
        async () => ['10.0.0.1'],
      ),
    ).rejects.toThrow('non-public');
  });
});
