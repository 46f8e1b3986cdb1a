import { discoveryApiRef, useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import Typography from '@material-ui/core/Typography';
import { useEffect, useState } from 'react';
import { CodeBlock } from '../shared/CodeBlock';

/** The portal's OpenAI-compatible base URL for an entity (`…/api/kaito/entity/:kind/:ns/:name`). */
function useEntityBaseUrl(kind: string, namespace: string, name: string) {
  const discoveryApi = useApi(discoveryApiRef);
  const [baseUrl, setBaseUrl] = useState<string>();
  useEffect(() => {
    let cancelled = false;
    discoveryApi.getBaseUrl('kaito').then(
      url => {
        if (!cancelled) {
          setBaseUrl(
            `${url}/entity/${[kind, namespace, name]
              .map(p => encodeURIComponent(p.toLocaleLowerCase('en-US')))
              .join('/')}`,
          );
        }
      },
      () => {},
    );
    return () => {
      cancelled = true;
    };
  }, [discoveryApi, kind, namespace, name]);
  return baseUrl;
}

export function curlSnippet(baseUrl: string): string {
  return `curl -N "${baseUrl}/chat/completions" \\
  -H "Authorization: Bearer $BACKSTAGE_TOKEN" \\
  -H "Content-Type: application/json" \\
  -d '{"messages":[{"role":"user","content":"Say hello"}],"stream":true}'`;
}

export function openAiSnippet(baseUrl: string, model: string): string {
  return `import os
from openai import OpenAI

# The portal checks your Backstage token and the entity's permissions, then relays to KAITO.
client = OpenAI(base_url="${baseUrl}", api_key=os.environ["BACKSTAGE_TOKEN"])

stream = client.chat.completions.create(
    model="${model}",
    messages=[{"role": "user", "content": "Say hello"}],
    stream=True,
)
for chunk in stream:
    print(chunk.choices[0].delta.content or "", end="", flush=True)`;
}

/** Ready-to-copy curl and OpenAI SDK snippets calling the model through the portal. */
export function EndpointSnippet(props: {
  entityRef: { kind: string; namespace: string; name: string };
  model?: string;
  ready: boolean;
}) {
  const { kind, namespace, name } = props.entityRef;
  const baseUrl = useEntityBaseUrl(kind, namespace, name);
  const [tab, setTab] = useState(0);
  if (!baseUrl) return null;
  return (
    <Box data-testid="kaito-endpoint">
      <Typography variant="subtitle2" component="h3">
        Call the model through the portal
      </Typography>
      <Typography variant="body2" color="textSecondary" component="p">
        OpenAI-compatible; <code>BACKSTAGE_TOKEN</code> is a Backstage token
        (e.g. an external-access static token).
        {props.ready
          ? ''
          : ' The model answers once the Workspace is Ready (409 until then).'}
      </Typography>
      <Tabs
        value={tab}
        onChange={(_e, v) => setTab(v)}
        aria-label="Snippet language"
        indicatorColor="primary"
      >
        <Tab
          label="curl"
          id="kaito-snippet-tab-0"
          aria-controls="kaito-snippet-0"
        />
        <Tab
          label="OpenAI SDK (Python)"
          id="kaito-snippet-tab-1"
          aria-controls="kaito-snippet-1"
        />
      </Tabs>
      <div
        role="tabpanel"
        id={`kaito-snippet-${tab}`}
        aria-labelledby={`kaito-snippet-tab-${tab}`}
      >
        <CodeBlock
          language={tab === 0 ? 'bash' : 'python'}
          label={tab === 0 ? 'curl command' : 'Python code'}
          text={
            tab === 0
              ? curlSnippet(baseUrl)
              : openAiSnippet(baseUrl, props.model ?? 'default')
          }
        />
      </div>
    </Box>
  );
}
