import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { createStore, set } from 'idb-keyval';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fileOf, hugeFile, makeDocx, makePdf } from '../../../test/e2e/fixtures/documents';
import type { AddProgress, DocsCalls } from '../protocol';
import { createDocsHandlers } from './handler';
import { DB_NAME, DocStore } from './store';

vi.mock('./read/pdfjs', () => import('../../../test/e2e/fixtures/documents'));

beforeEach(() => {
  // A fresh browser profile per test: nothing stored.
  globalThis.indexedDB = new IDBFactory();
});

const C = 'conv:c1' as const;
type Files = DocsCalls['add']['params']['files'];

async function add(h: ReturnType<typeof createDocsHandlers>, files: unknown[], collection: DocsCalls['add']['params']['collection'] = C) {
  const events: AddProgress[] = [];
  const docs = await h.add({ collection, files: files as Files }, (e) => events.push(e));
  return { docs, events };
}

const markdown = '# Lease\n\nThe tenant pays rent monthly.\n\n## Deposit\n\nThe deposit is three months of rent, returned within 60 days.';

describe('documents worker handlers', () => {
  it('adds files of every kind, reports progress per file, and finds the passage with the answer', async () => {
    const h = createDocsHandlers();
    const pdf = await makePdf([['Chapter one', 'The aurora appears in winter.'], null]);
    const docx = await makeDocx([{ text: 'Minutes', heading: 1 }, { text: 'The board approved the budget of 4 million.' }]);
    const { docs, events } = await add(h, [
      fileOf('lease.md', markdown),
      fileOf('notes.txt', 'Buy milk. The garage code is 4521.'),
      fileOf('page.html', '<h2>Recipe</h2><p>Bake the bread for 40 minutes.</p><style>p{}</style>'),
      fileOf('main.py', 'def greet():\n    return "hello quokka"\n'),
      fileOf('report.pdf', pdf),
      fileOf('minutes.docx', docx),
    ]);
    expect(docs.map((d) => [d.name, d.kind, d.state])).toEqual([
      ['lease.md', 'markdown', 'ready'],
      ['notes.txt', 'text', 'ready'],
      ['page.html', 'html', 'ready'],
      ['main.py', 'code', 'ready'],
      ['report.pdf', 'pdf', 'ready'],
      ['minutes.docx', 'docx', 'ready'],
    ]);
    const report = docs[4]!;
    expect(report).toMatchObject({ pages: 2, problem: 'page 2 has no text layer (scanned?)' });
    expect(report.chars).toBeGreaterThan(20);
    const states = events.filter((e) => e.docId === report.id).map((e) => e.state);
    expect(states[0]).toBe('reading');
    expect(states.slice(-2)).toEqual(['indexing', 'ready']);

    const [deposit] = await h.search({ collections: [C], query: 'deposit returned', k: 3 });
    expect(deposit).toMatchObject({ n: 1, docName: 'lease.md', heading: 'Lease › Deposit' });
    expect(deposit!.text).toMatch(/returned within 60 days/);
    const [aurora] = await h.search({ collections: [C], query: 'aurora winter', k: 3 });
    expect(aurora).toMatchObject({ n: 1, docName: 'report.pdf', page: 1 });
    expect((await h.search({ collections: [C], query: 'budget', k: 3 }))[0]).toMatchObject({ docName: 'minutes.docx', heading: 'Minutes' });
    expect((await h.search({ collections: [C], query: 'quokka', k: 3 }))[0]?.docName).toBe('main.py');
    expect((await h.search({ collections: [C], query: 'bread', k: 3 }))[0]).toMatchObject({ docName: 'page.html', heading: 'Recipe' });
  });

  it('reports a scanned PDF, a malformed PDF, an empty file, an unknown type and a 200 MB file, and keeps the rest', async () => {
    const h = createDocsHandlers();
    const { docs } = await add(h, [
      fileOf('scan.pdf', await makePdf([null])),
      fileOf('broken.pdf', '%PDF-1.4 garbage'),
      fileOf('empty.txt', ''),
      fileOf('photo.png', 'x', 'image/png'),
      hugeFile('big.pdf', 200 * 1024 * 1024),
      fileOf('good.txt', 'The lighthouse keeper is called Morgan.'),
    ]);
    expect(docs.map((d) => d.state)).toEqual(['error', 'error', 'error', 'error', 'error', 'ready']);
    expect(docs[0]!.problem).toMatch(
      /^"scan\.pdf" has no text layer: a scanned PDF\? nothing could be read\. Nothing of this file was kept/,
    );
    expect(docs[1]!.problem).toMatch(/^"broken\.pdf" is not a readable PDF/);
    expect(docs[2]!.problem).toMatch(/^"empty\.txt" is empty \(0 bytes\)/);
    expect(docs[3]!.problem).toMatch(/^"photo\.png" is a type Airgap does not read/);
    expect(docs[4]!.problem).toMatch(/^"big\.pdf" is 200 MB, over the 100 MB a document may have/);
    expect((await h.list({ collection: C })).map((d) => d.name)).toEqual(['good.txt']);
    expect((await h.search({ collections: [C], query: 'lighthouse', k: 1 }))[0]?.docName).toBe('good.txt');
  });

  it('does no work for a file already in the collection (same SHA-256), whatever its name', async () => {
    const h = createDocsHandlers();
    const first = (await add(h, [fileOf('a.txt', 'same words')])).docs[0]!;
    const again = await add(h, [fileOf('copy-of-a.txt', 'same words')]);
    expect(again.docs).toEqual([first]);
    expect(again.events.map((e) => e.state)).toEqual(['reading', 'ready']);
    expect(await h.list({ collection: C })).toHaveLength(1);
    // Another collection indexes its own copy.
    expect((await add(h, [fileOf('a.txt', 'same words')], 'named:work')).docs[0]!.id).not.toBe(first.id);
  });

  it('deleteCollection and deleteDoc leave nothing in storage', async () => {
    const h = createDocsHandlers();
    const store = new DocStore();
    expect(await store.keys()).toEqual([]);
    await add(h, [fileOf('a.md', markdown), fileOf('b.pdf', await makePdf([['Page text here']]))]);
    const other = (await add(h, [fileOf('c.txt', 'other collection')], 'named:x')).docs[0]!;
    const held = await store.keys();
    expect(held.length).toBeGreaterThan(6);
    await h.putVectors({ vectors: [{ passageId: `${other.id}#0`, vector: new Float32Array([1, 0]) }] });
    await h.deleteCollection({ collection: C });
    expect((await store.keys()).sort()).toEqual(
      ['index:named:x', 'manifest', `file:${other.id}`, `passages:${other.id}`, `vectors:${other.id}`].sort(),
    );
    expect(await h.search({ collections: [C], query: 'tenant', k: 3 })).toEqual([]);
    await h.deleteDoc({ docId: other.id });
    expect(await store.keys()).toEqual([]);
    expect(await h.usage(null)).toEqual([]);
  });

  it('keeps the index, files and vectors across a restart of the worker', async () => {
    const before = createDocsHandlers();
    const doc = (await add(before, [fileOf('lease.md', markdown)])).docs[0]!;
    const after = createDocsHandlers();
    expect(await after.list({})).toEqual([doc]);
    const [hit] = await after.search({ collections: [C], query: 'deposit', k: 1 });
    expect(hit?.docId).toBe(doc.id);
  });

  it('counts files, passages and the index per collection in usage', async () => {
    const h = createDocsHandlers();
    await add(h, [fileOf('a.txt', 'alpha beta gamma'), fileOf('b.txt', 'delta epsilon')]);
    const [row] = await h.usage(null);
    expect(row).toMatchObject({ collection: C, docs: 2 });
    expect(row!.bytes).toBeGreaterThan('alpha beta gamma'.length + 'delta epsilon'.length);
  });
});

describe('two tabs (two documents workers on one database)', () => {
  it('each finds what the other added, and neither overwrites the other’s index', async () => {
    const a = createDocsHandlers();
    const b = createDocsHandlers();
    // Both have the collection's index in memory before either adds.
    await add(a, [fileOf('first.txt', 'The orchard grows apples.')]);
    expect(await b.search({ collections: [C], query: 'orchard', k: 1 })).toHaveLength(1);
    await add(a, [fileOf('second.txt', 'The vineyard grows grapes.')]);
    await add(b, [fileOf('third.txt', 'The meadow grows clover.')]);
    for (const h of [a, b, createDocsHandlers()])
      for (const [word, name] of [
        ['orchard', 'first.txt'],
        ['vineyard', 'second.txt'],
        ['meadow', 'third.txt'],
      ])
        expect((await h.search({ collections: [C], query: word!, k: 1 }))[0]?.docName).toBe(name);
  });
});

describe('after a worker stopped between writes', () => {
  it('the next worker removes what no document accounts for, and keeps the rest', async () => {
    const h = createDocsHandlers();
    const [doc] = (await add(h, [fileOf('kept.txt', 'Kept words.')])).docs;
    const db = createStore(DB_NAME, 'documents');
    await set('file:orphan', new ArrayBuffer(4), db);
    await set('passages:orphan', [{ text: 'half-written' }], db);
    const next = createDocsHandlers();
    expect(await next.list({})).toEqual([doc]);
    expect((await new DocStore().keys()).filter((k) => k.includes('orphan'))).toEqual([]);
  });
});
