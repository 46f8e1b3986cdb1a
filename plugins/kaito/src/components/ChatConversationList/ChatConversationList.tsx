import { ConversationSummary } from '@kaito-backstage/plugin-kaito-common';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import IconButton from '@material-ui/core/IconButton';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemSecondaryAction from '@material-ui/core/ListItemSecondaryAction';
import ListItemText from '@material-ui/core/ListItemText';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import DeleteIcon from '@material-ui/icons/Delete';
import EditIcon from '@material-ui/icons/Edit';
import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import { FormEvent, useEffect, useRef, useState } from 'react';

const useStyles = makeStyles(theme => ({
  // Room for both action buttons (MUI reserves one button's width), so a long
  // title wraps before it reaches them instead of running under them.
  withActions: { paddingRight: theme.spacing(10) },
  // Backstage's theme keeps dense list text on one line and clips it; a
  // conversation's title and date wrap instead, so they show whole.
  text: { whiteSpace: 'normal' },
  title: { overflowWrap: 'anywhere' },
}));

function RenameForm(props: {
  title: string;
  onSave: (title: string) => void;
  onCancel: () => void;
}) {
  const [title, setTitle] = useState(props.title);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (title.trim()) props.onSave(title.trim());
  };
  return (
    <form onSubmit={submit} style={{ display: 'flex', gap: 8, width: '100%' }}>
      <TextField
        id="kaito-chat-rename"
        label="Conversation title"
        size="small"
        inputRef={input}
        fullWidth
        value={title}
        onChange={e => setTitle(e.target.value)}
        onKeyDown={e => e.key === 'Escape' && props.onCancel()}
      />
      <Button type="submit" size="small" disabled={!title.trim()}>
        Save
      </Button>
      <Button size="small" onClick={props.onCancel}>
        Cancel
      </Button>
    </form>
  );
}

/**
 * The user's saved conversations with this entity: open one to resume it,
 * rename it, or delete it (after a confirmation).
 */
export function ChatConversationList(props: {
  items: ConversationSummary[];
  loading: boolean;
  error?: Error;
  activeId?: string;
  onOpen: (id: string) => void;
  onRename: (id: string, title: string) => Promise<void>;
  onDelete: (id: string) => Promise<void>;
}) {
  const { items, loading, error, activeId, onOpen, onRename, onDelete } = props;
  const classes = useStyles();
  const [renaming, setRenaming] = useState<string>();
  const [deleting, setDeleting] = useState<ConversationSummary>();
  const [actionError, setActionError] = useState<string>();

  const act = async (what: string, fn: () => Promise<void>) => {
    try {
      await fn();
      setActionError(undefined);
    } catch (e) {
      setActionError(`Could not ${what}: ${(e as Error).message}`);
    }
  };

  return (
    <nav aria-label="Saved conversations">
      {error && (
        <Alert severity="warning">
          Saved conversations could not be loaded: {error.message}
        </Alert>
      )}
      {actionError && <Alert severity="error">{actionError}</Alert>}
      {!loading && !error && items.length === 0 && (
        <Typography variant="body2" color="textSecondary">
          No saved conversations yet. Send a message to start one.
        </Typography>
      )}
      <List dense disablePadding>
        {items.map(c =>
          renaming === c.id ? (
            <ListItem key={c.id}>
              <RenameForm
                title={c.title}
                onCancel={() => setRenaming(undefined)}
                onSave={title =>
                  act('rename the conversation', async () => {
                    await onRename(c.id, title);
                    setRenaming(undefined);
                  })
                }
              />
            </ListItem>
          ) : (
            <ListItem
              key={c.id}
              button
              classes={{ secondaryAction: classes.withActions }}
              selected={c.id === activeId}
              aria-current={c.id === activeId ? 'true' : undefined}
              onClick={() => onOpen(c.id)}
            >
              <ListItemText
                className={classes.text}
                primary={c.title}
                primaryTypographyProps={{ className: classes.title }}
                secondary={`${c.messageCount} message${
                  c.messageCount === 1 ? '' : 's'
                } · ${new Date(c.updatedAt).toLocaleString()}`}
              />
              <ListItemSecondaryAction>
                <IconButton
                  size="small"
                  aria-label={`Rename conversation ${c.title}`}
                  onClick={() => setRenaming(c.id)}
                >
                  <EditIcon fontSize="small" />
                </IconButton>
                <IconButton
                  size="small"
                  aria-label={`Delete conversation ${c.title}`}
                  onClick={() => setDeleting(c)}
                >
                  <DeleteIcon fontSize="small" />
                </IconButton>
              </ListItemSecondaryAction>
            </ListItem>
          ),
        )}
      </List>
      <Dialog
        open={deleting !== undefined}
        onClose={() => setDeleting(undefined)}
        aria-labelledby="kaito-chat-delete-title"
      >
        <DialogTitle id="kaito-chat-delete-title">
          Delete this conversation?
        </DialogTitle>
        <DialogContent>
          <DialogContentText>
            “{deleting?.title}” and its messages will be deleted for good.
          </DialogContentText>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setDeleting(undefined)}>Cancel</Button>
          <Button
            color="secondary"
            onClick={() => {
              const target = deleting;
              setDeleting(undefined);
              if (target)
                act('delete the conversation', () => onDelete(target.id));
            }}
          >
            Delete
          </Button>
        </DialogActions>
      </Dialog>
    </nav>
  );
}
