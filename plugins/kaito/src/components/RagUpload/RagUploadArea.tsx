import type { RagAddDocumentsAnswer } from '@kaito-backstage/plugin-kaito-common';
import { ragErrorMessage } from '@kaito-backstage/plugin-kaito-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import CloudUploadIcon from '@material-ui/icons/CloudUpload';
import { DragEvent, useCallback, useRef, useState } from 'react';

/** The file types the backend indexes (text, markdown, PDF). */
export const RAG_ACCEPT =
  '.txt,.md,.markdown,.pdf,text/plain,text/markdown,application/pdf';

const useStyles = makeStyles(theme => ({
  zone: {
    border: `2px dashed ${theme.palette.divider}`,
    borderRadius: theme.shape.borderRadius,
    padding: theme.spacing(2),
    textAlign: 'center',
  },
  list: { listStyle: 'none', margin: theme.spacing(1, 0, 0), padding: 0 },
  item: { marginBottom: theme.spacing(1) },
  result: {
    padding: theme.spacing(0, 1),
    // The backend's sentence wraps inside the card instead of running out of it.
    '& .MuiAlert-message': { minWidth: 0, overflowWrap: 'anywhere' },
  },
  over: {
    borderColor: theme.palette.primary.main,
    backgroundColor: theme.palette.action.hover,
  },
}));

/** One file of an upload and how it went. */
interface FileState {
  key: string;
  name: string;
  bytes: number;
  status: 'uploading' | 'added' | 'failed';
  detail?: string;
}

function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** What one file became: its documents in the answer (by title), else the batch's count. */
function resultOf(file: File, answer: RagAddDocumentsAnswer, files: number) {
  const docs = answer.added.filter(a => a.title === file.name);
  if (docs.length > 0) {
    const chars = docs.reduce((n, d) => n + d.characters, 0);
    return `Added${
      docs.length > 1 ? ` as ${docs.length} documents` : ''
    } (${chars.toLocaleString('en-US')} characters)`;
  }
  return files === 1
    ? `Added (${answer.added.length} document${
        answer.added.length === 1 ? '' : 's'
      })`
    : 'Added';
}

let keys = 0;

/**
 * Upload files to the entity's index: a button and a drop zone (.txt, .md, .pdf). The files of
 * one drop or pick go in one request; each file shows its state and the backend's words when
 * the upload is refused (a limit, a type it does not take).
 */
export function RagUploadArea(props: {
  upload(files: File[]): Promise<RagAddDocumentsAnswer>;
  /** Called after documents were added. */
  onAdded(): void;
}) {
  const { upload, onAdded } = props;
  const classes = useStyles();
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const [files, setFiles] = useState<FileState[]>([]);

  const send = useCallback(
    async (picked: File[]) => {
      if (picked.length === 0) return;
      const batch = picked.map(f => ({
        key: `f${++keys}`,
        name: f.name,
        bytes: f.size,
        status: 'uploading' as const,
      }));
      const keysOf = new Set(batch.map(b => b.key));
      const update = (fn: (f: FileState, i: number) => FileState) =>
        setFiles(current => {
          let i = 0;
          return current.map(f => (keysOf.has(f.key) ? fn(f, i++) : f));
        });
      setFiles(current => [...batch, ...current].slice(0, 20));
      try {
        const answer = await upload(picked);
        update((f, i) => ({
          ...f,
          status: 'added',
          detail: resultOf(picked[i], answer, picked.length),
        }));
        onAdded();
      } catch (error) {
        const message = ragErrorMessage(error);
        update(f => ({ ...f, status: 'failed', detail: message }));
      }
    },
    [upload, onAdded],
  );

  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setOver(false);
    send(Array.from(event.dataTransfer?.files ?? []));
  };

  return (
    <Box mb={2}>
      <div
        className={`${classes.zone} ${over ? classes.over : ''}`}
        data-testid="kaito-rag-dropzone"
        onDragOver={e => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
      >
        <Typography variant="body2" component="p" id="kaito-rag-upload-hint">
          Drop .txt, .md or .pdf files here, or
        </Typography>
        <Box mt={1}>
          <Button
            variant="outlined"
            color="primary"
            size="small"
            startIcon={<CloudUploadIcon />}
            onClick={() => input.current?.click()}
            aria-describedby="kaito-rag-upload-hint"
          >
            Upload files
          </Button>
        </Box>
        <input
          ref={input}
          type="file"
          multiple
          accept={RAG_ACCEPT}
          hidden
          aria-label="Files to upload"
          data-testid="kaito-rag-file-input"
          onChange={e => {
            const picked = Array.from(e.target.files ?? []);
            e.target.value = '';
            send(picked);
          }}
        />
      </div>
      {files.length > 0 && (
        <ul aria-label="Uploads" className={classes.list}>
          {files.map(f => (
            <li
              key={f.key}
              data-testid="kaito-rag-upload"
              data-status={f.status}
              className={classes.item}
            >
              <Typography variant="body2" component="div">
                {f.name} ({sizeText(f.bytes)})
              </Typography>
              {f.status === 'uploading' ? (
                <LinearProgress aria-label={`Uploading ${f.name}`} />
              ) : (
                <Alert
                  severity={f.status === 'failed' ? 'error' : 'success'}
                  className={classes.result}
                  data-testid="kaito-rag-upload-result"
                >
                  {f.status === 'failed' ? 'Not added: ' : ''}
                  {f.detail}
                </Alert>
              )}
            </li>
          ))}
        </ul>
      )}
    </Box>
  );
}
