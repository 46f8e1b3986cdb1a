import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { ThemeBlueprint } from '@backstage/plugin-app-react';
import {
  UnifiedThemeProvider,
  createUnifiedTheme,
  palettes,
} from '@backstage/theme';
import LightIcon from '@material-ui/icons/WbSunny';

/**
 * Backstage's light theme with secondary text dark enough for WCAG AA (4.5:1)
 * on every background it sits on: MUI's default (54 % black) falls to about
 * 4.4:1 on a tinted surface such as a selected row or a chat bubble.
 */
export const kaitoLightTheme = createUnifiedTheme({
  palette: {
    ...palettes.light,
    text: {
      primary: 'rgba(0, 0, 0, 0.87)',
      secondary: 'rgba(0, 0, 0, 0.68)',
      disabled: 'rgba(0, 0, 0, 0.38)',
      hint: 'rgba(0, 0, 0, 0.38)',
    },
    textSubtle: '#595959',
  },
});

const lightTheme = ThemeBlueprint.make({
  name: 'light',
  params: {
    theme: {
      id: 'light',
      title: 'Light Theme',
      variant: 'light',
      icon: <LightIcon />,
      Provider: ({ children }) => (
        <UnifiedThemeProvider theme={kaitoLightTheme} children={children} />
      ),
    },
  },
});

/** Replaces the app's light theme with the accessible one (same id, so a saved choice still applies). */
export const themeModule = createFrontendModule({
  pluginId: 'app',
  extensions: [lightTheme],
});
