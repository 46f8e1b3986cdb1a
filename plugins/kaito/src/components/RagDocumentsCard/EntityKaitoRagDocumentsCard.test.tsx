import {
  act,
  configure,
  fireEvent,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import { File as NodeFile } from 'node:buffer';
import {
  RagBackend,
  ragDocument,
  ragSnapshot,
} from '../../__testUtils__/rag/ragBackend';
import {
  ragEntity,
  renderRagCard,
  seriousAxeViolations,
} from '../../__testUtils__/rag/renderRag';
import { EntityKaitoRagDocumentsCard } from './EntityKaitoRagDocumentsCard';

jest.setTimeout(60_000);
configure({ asyncUtilTimeout: 20_000 });

let backend: RagBackend;
beforeEach(() => {
  backend = new RagBackend();
});
afterEach(() => backend.stop());

/** A file as the browser hands it over (Node's File: what fetch's FormData takes in this test environment). */
function file(name: string, text: string, type = 'text/markdown') {
  return new NodeFile([text], name, { type }) as unknown as File;
}

const rows = () => screen.getAllByTestId('kaito-rag-document');

describe('EntityKaitoRagDocumentsCard', () => {
  it('lists the index documents with paging', async () => {
    backend.documents = Array.from({ length: 12 }, (_, i) =>
      ragDocument(i + 1),
    );
    await renderRagCard(backend, <EntityKaitoRagDocumentsCard />);
    await waitFor(() => expect(rows()).toHaveLength(10));
    expect(screen.getByTestId('kaito-rag-index')).toHaveTextContent(
      'Index team-docs · 12 documents',
    );
    await waitFor(() =>
      expect(screen.getByTestId('kaito-rag-index')).toHaveTextContent(
        'the engine also holds: other-team',
      ),
    );
    const first = rows()[0];
    expect(first).toHaveTextContent('runbook-1.md');
    expect(
      within(first).getByTestId('kaito-rag-document-added'),
    ).toHaveTextContent(/^added by user:default\/guest, /);
    expect(first).toHaveTextContent(
      'Document 1 explains part 1 of the runbook.',
    );
    expect(
      within(first).getByText(
        String('Document 1 explains part 1 of the runbook.'.length),
      ),
    ).toBeInTheDocument();

    fireEvent.click(screen.getByRole('button', { name: 'Next page' }));
    await waitFor(() => expect(rows()).toHaveLength(2));
    expect(rows()[0]).toHaveTextContent('runbook-11.md');
    const pageRequest = backend.requests
      .filter(r => r.path === '/rag/documents' && r.method === 'GET')
      .pop()!;
    expect(pageRequest.query.get('offset')).toBe('10');
    expect(pageRequest.query.get('limit')).toBe('10');
    expect(await seriousAxeViolations()).toEqual([]);
  });

  it('waits for the RAGEngine to be Ready before it reads the documents', async () => {
    backend.documents = [ragDocument(1)];
    backend.setSnapshot(
      ragSnapshot({
        phase: 'StartingService',
        outcome: 'progress',
        reason: 'The RAG service is starting.',
      }),
    );
    await renderRagCard(backend, <EntityKaitoRagDocumentsCard />);
    await waitFor(() =>
      expect(screen.getByTestId('kaito-rag-not-ready')).toHaveTextContent(
        'Documents can be listed and added once the RAGEngine is Ready. It is Starting RAG service: The RAG service is starting.',
      ),
    );
    expect(backend.requests.filter(r => r.path.startsWith('/rag/'))).toEqual(
      [],
    );
    expect(
      screen.queryByRole('button', { name: 'Upload files' }),
    ).not.toBeInTheDocument();

    act(() => backend.setSnapshot(ragSnapshot()));
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(screen.queryByTestId('kaito-rag-not-ready')).not.toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Upload files' }),
    ).toBeInTheDocument();
  });

  it('uploads dropped and picked files, and shows a limit error verbatim', async () => {
    await renderRagCard(backend, <EntityKaitoRagDocumentsCard />);
    expect(
      await screen.findByText(/No documents in index team-docs yet/),
    ).toBeInTheDocument();

    fireEvent.drop(screen.getByTestId('kaito-rag-dropzone'), {
      dataTransfer: {
        files: [file('guide.md', '# Guide\n\nRestart the pods with kubectl.')],
      },
    });
    await waitFor(() =>
      expect(screen.getByTestId('kaito-rag-upload')).toHaveAttribute(
        'data-status',
        'added',
      ),
    );
    expect(screen.getByTestId('kaito-rag-upload')).toHaveTextContent(
      'guide.md',
    );
    expect(screen.getByTestId('kaito-rag-upload-result')).toHaveTextContent(
      'Added (39 characters)',
    );
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(rows()[0]).toHaveTextContent('guide.md');
    const upload = backend.writes()[0];
    expect(upload.path).toBe('/rag/documents');
    expect(upload.contentType).toMatch(/^multipart\/form-data; boundary=/);

    const big = 'x'.repeat(2000);
    fireEvent.change(screen.getByTestId('kaito-rag-file-input'), {
      target: { files: [file('big.txt', big, 'text/plain')] },
    });
    await waitFor(() =>
      expect(screen.getAllByTestId('kaito-rag-upload')[0]).toHaveAttribute(
        'data-status',
        'failed',
      ),
    );
    expect(screen.getAllByTestId('kaito-rag-upload')[0]).toHaveTextContent(
      'Not added: big.txt is 2000 bytes; at most 1024 bytes per file (kaito.rag.maxFileBytes).',
    );
    expect(rows()).toHaveLength(1);
  });

  it('adds pasted text through the dialog', async () => {
    await renderRagCard(backend, <EntityKaitoRagDocumentsCard />);
    fireEvent.click(await screen.findByRole('button', { name: 'Add text' }));
    const dialog = await screen.findByRole('dialog', {
      name: 'Add text to index team-docs',
    });
    fireEvent.change(within(dialog).getByLabelText('Title (optional)'), {
      target: { value: 'On-call' },
    });
    fireEvent.change(within(dialog).getByLabelText(/^Text/), {
      target: { value: 'Page the on-call engineer through PagerDuty.' },
    });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add' }));
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(rows()[0]).toHaveTextContent('On-call');
    expect(backend.writes()[0].body).toEqual({
      documents: [
        {
          text: 'Page the on-call engineer through PagerDuty.',
          title: 'On-call',
        },
      ],
    });
  });

  it('deletes the selected documents after confirmation', async () => {
    backend.documents = [1, 2, 3].map(i => ragDocument(i));
    await renderRagCard(backend, <EntityKaitoRagDocumentsCard />);
    await waitFor(() => expect(rows()).toHaveLength(3));
    const remove = screen.getByRole('button', { name: 'Delete selected (0)' });
    expect(remove).toBeDisabled();
    fireEvent.click(
      screen.getByRole('checkbox', { name: 'Select runbook-1.md' }),
    );
    fireEvent.click(
      screen.getByRole('checkbox', { name: 'Select runbook-3.md' }),
    );
    fireEvent.click(
      screen.getByRole('button', { name: 'Delete selected (2)' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Delete 2 documents?',
    });
    expect(dialog).toHaveTextContent(
      'runbook-1.md, runbook-3.md will be removed from index team-docs',
    );
    expect(await seriousAxeViolations()).toEqual([]);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(rows()[0]).toHaveTextContent('runbook-2.md');
    expect(screen.getByTestId('kaito-rag-notice')).toHaveTextContent(
      'Deleted 2 documents from index team-docs.',
    );
    const del = backend.writes().find(r => r.path === '/rag/documents/delete');
    expect(del?.body).toEqual({ doc_ids: ['doc-1', 'doc-3'] });
  });

  it('indexes TechDocs and shows the counts; a 404 disables the button with the reason', async () => {
    backend.techdocs = {
      entityRef: 'resource:default/team-docs',
      index: 'team-docs',
      sources: ['component:default/payments'],
      pages: 4,
      added: 3,
      skipped: [{ page: 'index.html', reason: 'empty page' }],
    };
    await renderRagCard(backend, <EntityKaitoRagDocumentsCard />);
    fireEvent.click(
      await screen.findByRole('button', {
        name: "Index this system's TechDocs",
      }),
    );
    expect(
      await screen.findByTestId('kaito-rag-techdocs-result'),
    ).toHaveTextContent(
      'Read 4 TechDocs pages from component:default/payments: 3 added to index team-docs; 1 skipped (index.html: empty page).',
    );

    backend.techdocs = {
      status: 404,
      message:
        'resource:default/team-docs belongs to no System; set spec.system to index its TechDocs.',
    };
    fireEvent.click(
      screen.getByRole('button', { name: "Index this system's TechDocs" }),
    );
    await waitFor(() =>
      expect(
        screen.getByRole('button', { name: "Index this system's TechDocs" }),
      ).toBeDisabled(),
    );
    expect(screen.getByTestId('kaito-rag-techdocs-result')).toHaveTextContent(
      'TechDocs indexing is not available here: resource:default/team-docs belongs to no System',
    );
    expect(screen.getByTestId('kaito-rag-techdocs-disabled')).toHaveAttribute(
      'title',
      expect.stringContaining('belongs to no System'),
    );
  });

  it('is read-only, and says why, without kaito.ragengine.manage', async () => {
    backend.manageAllowed = false;
    backend.documents = [ragDocument(1)];
    // Another entity: usePermission caches answers per request (SWR) for the whole test file.
    const readOnly = {
      ...ragEntity,
      metadata: { ...ragEntity.metadata, name: 'team-docs-readonly' },
    };
    await renderRagCard(backend, <EntityKaitoRagDocumentsCard />, readOnly);
    expect(await screen.findByTestId('kaito-rag-readonly')).toHaveTextContent(
      'needs the kaito.ragengine.manage permission on this entity',
    );
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(
      screen.queryByRole('button', { name: 'Upload files' }),
    ).not.toBeInTheDocument();
    expect(screen.queryByRole('checkbox')).not.toBeInTheDocument();
    const authorize = backend.requests.find(r => r.path === '/authorize');
    expect(authorize?.body.items[0]).toMatchObject({
      permission: { name: 'kaito.ragengine.manage' },
      resourceRef: 'resource:default/team-docs-readonly',
    });
    expect(await seriousAxeViolations()).toEqual([]);
  });
});
