import { Link } from '@backstage/core-components';
import { makeStyles } from '@material-ui/core/styles';
import { ReactNode } from 'react';
import ReactMarkdown, { Components } from 'react-markdown';
import gfm from 'remark-gfm';
import { CodeBlock } from '../shared/CodeBlock';

const useStyles = makeStyles(theme => ({
  root: {
    overflowWrap: 'anywhere',
    '& p': { margin: theme.spacing(0.5, 0) },
    '& pre': { margin: 0 },
    '& table': { borderCollapse: 'collapse' },
    '& th, & td': {
      border: `1px solid ${theme.palette.divider}`,
      padding: theme.spacing(0.5, 1),
    },
    '& :not(pre) > code': {
      fontFamily: 'monospace',
      backgroundColor: theme.palette.action.hover,
      padding: theme.spacing(0, 0.5),
      borderRadius: 3,
    },
  },
}));

// Model output is untrusted. react-markdown builds React elements, never
// innerHTML; without rehype-raw, raw HTML in the text (`<script>`,
// `<img onerror>`) is shown as text. Only http(s) and mailto links become
// links (react-markdown turns others into `javascript:void(0)`), and images
// become links so model output never makes the browser load a remote resource.
const SAFE_URL = /^(https?:|mailto:)/i;

function SafeLink(props: { href?: string; children: ReactNode }) {
  const { href, children } = props;
  if (!href || !SAFE_URL.test(href)) return <span>{children}</span>;
  return (
    <Link to={href} target="_blank" rel="noopener noreferrer">
      {children}
    </Link>
  );
}

const components: Components = {
  code: ({ inline, className, children }) => {
    const text = String(children).replace(/\n$/, '');
    if (inline) return <code>{children}</code>;
    const language = /language-([\w-]+)/.exec(className ?? '')?.[1];
    return (
      <CodeBlock
        text={text}
        language={language}
        label={language ? `${language} code` : 'code'}
      />
    );
  },
  a: ({ href, children }) => <SafeLink href={href}>{children}</SafeLink>,
  img: ({ src, alt }) => <SafeLink href={src}>{alt || src}</SafeLink>,
};

/** Markdown of a chat message (GFM: tables, lists, code), safe for untrusted text. */
export function ChatMarkdown(props: { content: string }) {
  const classes = useStyles();
  return (
    <div className={classes.root}>
      <ReactMarkdown remarkPlugins={[gfm]} components={components}>
        {props.content}
      </ReactMarkdown>
    </div>
  );
}
