import { Link } from '@backstage/core-components';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import ChatIcon from '@material-ui/icons/Chat';
import CloudUploadIcon from '@material-ui/icons/CloudUpload';
import MemoryIcon from '@material-ui/icons/Memory';
import { ReactNode } from 'react';

function Step(props: {
  icon: ReactNode;
  title: string;
  to: string;
  children: ReactNode;
}) {
  return (
    <Grid item xs={12} md={4}>
      {/* h2: the widget's title above is not a heading, the page's h1 is. */}
      <Typography variant="h6" component="h2">
        {props.icon} <Link to={props.to}>{props.title}</Link>
      </Typography>
      <Typography variant="body2" component="p">
        {props.children}
      </Typography>
    </Grid>
  );
}

/** Where to start: deploy a model, watch it, chat with it. */
export function KaitoStart() {
  return (
    <Grid container spacing={3}>
      <Step
        icon={<CloudUploadIcon fontSize="small" />}
        title="Deploy a model"
        to="/create"
      >
        Pick a model from KAITO's catalog, see which GPU sizes fit it, and
        create the Workspace (and the AKS cluster, if you need one) from a
        template.
      </Step>
      <Step
        icon={<MemoryIcon fontSize="small" />}
        title="KAITO workspaces"
        to="/kaito"
      >
        Every model deployment on every cluster, with its phase, model, size and
        age, live.
      </Step>
      <Step
        icon={<ChatIcon fontSize="small" />}
        title="Example: Phi-4 mini"
        to="/catalog/default/resource/phi-4-mini"
      >
        Watch a Workspace go from GPU provisioning to Ready, then chat with the
        model or call it with the OpenAI SDK through the portal.
      </Step>
    </Grid>
  );
}
