import { kaitoApiRef } from './KaitoApi';

describe('kaitoApiRef', () => {
  it('is registered under the kaito plugin api id', () => {
    expect(kaitoApiRef.id).toBe('plugin.kaito.api');
  });
});
