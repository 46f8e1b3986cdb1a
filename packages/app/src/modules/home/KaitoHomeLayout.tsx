import { Content, Header, Page } from '@backstage/core-components';
import type { HomePageLayoutProps } from '@backstage/plugin-home-react/alpha';
import Grid from '@material-ui/core/Grid';

/** Widgets shown first, at full width, in this order; the rest follow two to a row. */
const FIRST = ['HomePageSearchBar', 'KaitoStart'];

function rank(name: string | undefined): number {
  const i = FIRST.indexOf(name ?? '');
  return i === -1 ? FIRST.length : i;
}

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
          {[...props.widgets]
            .sort((a, b) => rank(a.name) - rank(b.name))
            .map((widget, index) => (
              <Grid
                item
                xs={12}
                md={rank(widget.name) < FIRST.length ? 12 : 6}
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
