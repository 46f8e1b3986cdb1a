import {
  RAG_METADATA,
  type RagDocument,
  type RagDocumentsAnswer,
} from '@kaito-backstage/plugin-kaito-common';
import Box from '@material-ui/core/Box';
import Checkbox from '@material-ui/core/Checkbox';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TablePagination from '@material-ui/core/TablePagination';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';

const PREVIEW_CHARS = 160;

/** A metadata value as text, when it is one. */
export function metaText(
  doc: Pick<RagDocument, 'metadata'>,
  key: string,
): string | undefined {
  const v = doc.metadata?.[key];
  return typeof v === 'string' && v ? v : undefined;
}

/** The name a document is shown under: its title, else its id. */
export function documentTitle(doc: RagDocument): string {
  return metaText(doc, RAG_METADATA.title) ?? doc.doc_id;
}

function preview(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > PREVIEW_CHARS
    ? `${flat.slice(0, PREVIEW_CHARS - 1)}…`
    : flat;
}

/** "added by user:default/guest, 1/1/2026, 12:01 PM", from what the metadata has. */
function addedText(doc: RagDocument): string {
  const by = metaText(doc, RAG_METADATA.addedBy);
  const at = metaText(doc, RAG_METADATA.addedAt);
  const ms = at ? Date.parse(at) : NaN;
  const when = Number.isNaN(ms)
    ? undefined
    : new Date(ms).toLocaleString(undefined, {
        dateStyle: 'short',
        timeStyle: 'short',
      });
  if (!by && !when) return '';
  return `added${by ? ` by ${by}` : ''}${when ? `, ${when}` : ''}`;
}

/**
 * One page of the index's documents: title (linked when it has a URL), characters, who added it
 * and when, and a text preview; with a checkbox per row when documents can be deleted.
 */
export function RagDocumentTable(props: {
  page: RagDocumentsAnswer;
  selectable: boolean;
  selected: Set<string>;
  onSelect(next: Set<string>): void;
  onPage(offset: number): void;
}) {
  const { page, selectable, selected, onSelect } = props;
  const ids = page.documents.map(d => d.doc_id);
  const onPageSelected = ids.filter(id => selected.has(id)).length;
  const toggle = (id: string) => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    onSelect(next);
  };
  const toggleAll = () => {
    const next = new Set(selected);
    if (onPageSelected === ids.length) ids.forEach(id => next.delete(id));
    else ids.forEach(id => next.add(id));
    onSelect(next);
  };
  return (
    <>
      <Box overflow="auto">
        <Table size="small" aria-label={`Documents in index ${page.index}`}>
          <TableHead>
            <TableRow>
              {selectable && (
                <TableCell padding="checkbox">
                  <Checkbox
                    size="small"
                    checked={ids.length > 0 && onPageSelected === ids.length}
                    indeterminate={
                      onPageSelected > 0 && onPageSelected < ids.length
                    }
                    onChange={toggleAll}
                    inputProps={{
                      'aria-label': 'Select all documents on this page',
                    }}
                  />
                </TableCell>
              )}
              <TableCell>Document</TableCell>
              <TableCell align="right" style={{ whiteSpace: 'nowrap' }}>
                Characters
              </TableCell>
              <TableCell>Preview</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {page.documents.map(doc => {
              const title = documentTitle(doc);
              const url = metaText(doc, RAG_METADATA.url);
              return (
                <TableRow
                  key={doc.doc_id}
                  data-testid="kaito-rag-document"
                  selected={selected.has(doc.doc_id)}
                >
                  {selectable && (
                    <TableCell padding="checkbox">
                      <Checkbox
                        size="small"
                        checked={selected.has(doc.doc_id)}
                        onChange={() => toggle(doc.doc_id)}
                        inputProps={{ 'aria-label': `Select ${title}` }}
                      />
                    </TableCell>
                  )}
                  <TableCell
                    style={{ minWidth: 140, overflowWrap: 'anywhere' }}
                  >
                    {url ? (
                      <a href={url} target="_blank" rel="noopener noreferrer">
                        {title}
                      </a>
                    ) : (
                      title
                    )}
                    <Typography
                      variant="caption"
                      component="div"
                      data-testid="kaito-rag-document-added"
                    >
                      {addedText(doc)}
                    </Typography>
                  </TableCell>
                  <TableCell align="right">
                    {doc.text.length.toLocaleString('en-US')}
                    {doc.is_truncated ? '+' : ''}
                  </TableCell>
                  <TableCell>
                    <Typography variant="body2" color="textSecondary">
                      {preview(doc.text)}
                    </Typography>
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      </Box>
      {page.total > page.limit && (
        <TablePagination
          component="div"
          count={page.total}
          page={Math.floor(page.offset / page.limit)}
          rowsPerPage={page.limit}
          rowsPerPageOptions={[page.limit]}
          onPageChange={(_e, p) => props.onPage(p * page.limit)}
        />
      )}
    </>
  );
}
