import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import kaitoPlugin from '@kaito-backstage/plugin-kaito/alpha';
import { navModule } from './modules/nav';
import { homeModule } from './modules/home';
import { themeModule } from './modules/theme';

export default createApp({
  features: [catalogPlugin, kaitoPlugin, navModule, homeModule, themeModule],
});
