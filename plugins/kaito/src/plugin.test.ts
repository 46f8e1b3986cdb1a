import { kaitoPlugin } from './plugin';
import kaitoAlphaPlugin from './alpha';

describe('kaito frontend plugin', () => {
  it('is registered under the kaito plugin id in both frontend systems', () => {
    expect(kaitoPlugin.getId()).toBe('kaito');
    expect(kaitoAlphaPlugin.id).toBe('kaito');
  });
});
