import { Content, Header, Page } from '@backstage/core-components';
import type { HomePageLayoutProps } from '@backstage/plugin-home-react/alpha';
import Grid from '@material-ui/core/Grid';

/** Widgets that span the full width; the rest share a row. */
const WIDE = new Set(['KaitoStart']);

/** The portal's home: a header naming the product and the widgets in a plain grid. */
export function KaitoHomeLayout(props: HomePageLayoutProps) {
  return (
    <Page themeId="home">
      <Header
        title="Kaito for Backstage"
        subtitle="Deploy open-source LLMs on AKS with KAITO, watch them become ready, and chat with them"
        pageTitleOverride="Home"
      />
      <Content>
        <Grid container spacing={3}>
          {props.widgets.map((widget, index) => (
            <Grid
              item
              xs={12}
              md={WIDE.has(widget.name ?? '') ? 12 : 6}
              key={widget.name ?? index}
            >
              {widget.component}
            </Grid>
          ))}
        </Grid>
      </Content>
    </Page>
  );
}
