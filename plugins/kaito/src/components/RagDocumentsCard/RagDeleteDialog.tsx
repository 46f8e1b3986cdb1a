import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import Alert from '@material-ui/lab/Alert';

/** Asks before the selected documents are deleted from the index. */
export function RagDeleteDialog(props: {
  open: boolean;
  index: string;
  titles: string[];
  busy: boolean;
  error?: string;
  onCancel(): void;
  onConfirm(): void;
}) {
  const { open, index, titles, busy, error } = props;
  const n = titles.length;
  return (
    <Dialog
      open={open}
      onClose={busy ? undefined : props.onCancel}
      aria-labelledby="kaito-rag-delete-title"
      aria-describedby="kaito-rag-delete-text"
    >
      <DialogTitle id="kaito-rag-delete-title">
        Delete {n} document{n === 1 ? '' : 's'}?
      </DialogTitle>
      <DialogContent>
        <DialogContentText id="kaito-rag-delete-text">
          {titles.slice(0, 5).join(', ')}
          {n > 5 ? ` and ${n - 5} more` : ''} will be removed from index {index}
          ; answers stop citing them. This cannot be undone.
        </DialogContentText>
        {error && <Alert severity="error">{error}</Alert>}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onCancel} disabled={busy}>
          Cancel
        </Button>
        <Button
          onClick={props.onConfirm}
          disabled={busy}
          variant="contained"
          color="secondary"
        >
          {busy ? 'Deleting…' : 'Delete'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
