import { ragErrorMessage } from '@kaito-backstage/plugin-kaito-react';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Alert from '@material-ui/lab/Alert';
import { useState } from 'react';

/** A dialog to add a pasted text (with an optional title) to the entity's index. */
export function RagAddTextDialog(props: {
  open: boolean;
  index: string;
  onClose(): void;
  add(text: string, title?: string): Promise<unknown>;
  /** Called after the text was added. */
  onAdded(): void;
}) {
  const { open, index, onClose, add, onAdded } = props;
  const [title, setTitle] = useState('');
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const close = () => {
    if (busy) return;
    setError(undefined);
    onClose();
  };

  const submit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await add(text, title.trim() || undefined);
      setTitle('');
      setText('');
      onAdded();
      onClose();
    } catch (e) {
      setError(ragErrorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open={open}
      onClose={close}
      fullWidth
      maxWidth="sm"
      aria-labelledby="kaito-rag-add-text-title"
    >
      <DialogTitle id="kaito-rag-add-text-title">
        Add text to index {index}
      </DialogTitle>
      <DialogContent>
        <TextField
          id="kaito-rag-add-text-title-field"
          label="Title (optional)"
          value={title}
          onChange={e => setTitle(e.target.value)}
          fullWidth
          margin="dense"
          helperText="Shown as the source under answers that use this text."
        />
        <TextField
          id="kaito-rag-add-text-text-field"
          label="Text"
          value={text}
          onChange={e => setText(e.target.value)}
          fullWidth
          required
          multiline
          minRows={6}
          maxRows={16}
          margin="dense"
        />
        {error && (
          <Alert severity="error" data-testid="kaito-rag-add-text-error">
            {error}
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={close} disabled={busy}>
          Cancel
        </Button>
        <Button
          color="primary"
          variant="contained"
          onClick={submit}
          disabled={busy || !text.trim()}
        >
          {busy ? 'Adding…' : 'Add'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
