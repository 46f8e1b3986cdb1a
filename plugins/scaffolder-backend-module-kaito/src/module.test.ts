import { startTestBackend } from '@backstage/backend-test-utils';
import scaffolderModuleKaito from '.';

describe('scaffolderModuleKaito', () => {
  it('installs into a backend as a scaffolder module', async () => {
    const backend = await startTestBackend({ features: [scaffolderModuleKaito] });
    await backend.stop();
  });
});
