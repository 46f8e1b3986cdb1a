/// <reference types="react-syntax-highlighter" />
// (The types declare the dist/esm subpaths as ambient modules.)
import { CopyTextButton } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import { useTheme } from '@material-ui/core/styles';
import LightAsync from 'react-syntax-highlighter/dist/esm/light-async';
import a11yDark from 'react-syntax-highlighter/dist/esm/styles/hljs/a11y-dark';
import a11yLight from 'react-syntax-highlighter/dist/esm/styles/hljs/a11y-light';

/**
 * A highlighted code block with a copy button. Unlike core's CodeSnippet it
 * uses highlight.js's a11y themes (every token at WCAG AA contrast against the
 * block's background), and the scrollable block is a labelled, focusable group
 * so keyboard users can scroll long lines.
 */
export function CodeBlock(props: {
  text: string;
  language?: string;
  /** What the block holds, e.g. "curl command"; names the block and its copy button. */
  label: string;
}) {
  const { text, language, label } = props;
  const theme = useTheme();
  return (
    <Box position="relative">
      <LightAsync
        language={language ?? 'text'}
        style={theme.palette.type === 'dark' ? a11yDark : a11yLight}
        role="group"
        tabIndex={0}
        aria-label={label}
        customStyle={{ margin: 0, paddingRight: theme.spacing(6) }}
      >
        {text}
      </LightAsync>
      <Box position="absolute" top={4} right={4}>
        <CopyTextButton text={text} aria-label={`Copy ${label}`} />
      </Box>
    </Box>
  );
}
