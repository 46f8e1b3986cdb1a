import { createFrontendModule } from '@backstage/frontend-plugin-api';
import {
  HomePageLayoutBlueprint,
  HomePageWidgetBlueprint,
} from '@backstage/plugin-home-react/alpha';

const kaitoStartWidget = HomePageWidgetBlueprint.make({
  name: 'kaito-start',
  params: {
    name: 'KaitoStart',
    title: 'Get started with KAITO',
    description:
      'Links to the KAITO templates, the workspaces page and the example workspace',
    components: () =>
      import('./KaitoStart').then(m => ({ Content: m.KaitoStart })),
  },
});

const kaitoHomeLayout = HomePageLayoutBlueprint.make({
  params: {
    loader: () => import('./KaitoHomeLayout').then(m => m.KaitoHomeLayout),
  },
});

/** The portal's home page: this product's start links in a plain layout. */
export const homeModule = createFrontendModule({
  pluginId: 'home',
  extensions: [kaitoStartWidget, kaitoHomeLayout],
});
