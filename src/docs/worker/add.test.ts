import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it } from 'vitest';
import { fileOf } from '../../../test/e2e/fixtures/documents';
import type { AddProgress } from '../protocol';
import { toPassages } from './add';
import { createDocsHandlers } from './handler';
import { DocStore } from './store';

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
});

const C = 'named:reports' as const;

/** Starts an add of three files and pauses it once the first is ready. */
function pausedAdd() {
  const h = createDocsHandlers();
  const events: AddProgress[] = [];
  let paused!: () => void;
  const firstReady = new Promise<void>((r) => (paused = r));
  const files = ['one', 'two', 'three'].map((w) => fileOf(`${w}.txt`, `Report number ${w}.`));
  const done = h.add({ collection: C, files }, (e) => {
    events.push(e);
    if (e.state === 'ready' && e.name === 'one.txt') {
      void h.addControl({ action: 'pause' });
      paused();
    }
  });
  return { h, events, done, firstReady };
}

describe('add control', () => {
  it('pause stops between files and resume goes on to the end', async () => {
    const { h, events, done, firstReady } = pausedAdd();
    await firstReady;
    // Other calls are answered while the add waits.
    expect((await h.list({ collection: C })).map((d) => d.name)).toEqual(['one.txt']);
    expect(events.filter((e) => e.state === 'ready')).toHaveLength(1);
    await h.addControl({ action: 'resume' });
    expect((await done).map((d) => d.name)).toEqual(['one.txt', 'two.txt', 'three.txt']);
  });

  it('cancel removes what this add wrote, and only that', async () => {
    const h0 = createDocsHandlers();
    await h0.add({ collection: C, files: [fileOf('earlier.txt', 'Written before.')] }, () => {});
    const store = new DocStore();
    const before = (await store.keys()).sort();
    const { h, done, firstReady } = pausedAdd();
    await firstReady;
    await h.addControl({ action: 'cancel' });
    expect(await done).toEqual([]);
    expect((await h.list({ collection: C })).map((d) => d.name)).toEqual(['earlier.txt']);
    expect((await store.keys()).sort()).toEqual(before);
    expect(await h.search({ collections: [C], query: 'report', k: 5 })).toEqual([]);
  });

  it('takes a pause or cancel that comes after the add finished as nothing to do, and the next add is not paused', async () => {
    const h = createDocsHandlers();
    await expect(h.addControl({ action: 'pause' })).resolves.toBeNull();
    const docs = await h.add({ collection: C, files: [fileOf('a.txt', 'After a late pause.')] }, () => {});
    expect(docs.map((d) => d.state)).toEqual(['ready']);
  });
});

describe('deleting a collection while documents are added to it', () => {
  it('cancels the add (even paused) and leaves nothing', async () => {
    const { h, done, firstReady } = pausedAdd();
    await firstReady;
    await h.deleteCollection({ collection: C });
    expect(await done).toEqual([]);
    expect(await new DocStore().keys()).toEqual([]);
  });
});

describe('toPassages', () => {
  it('keeps "# " lines of code and text as text, and reads them as headings in Markdown', () => {
    const source = 'import os\n\n# Settings\n\nDEBUG = True';
    expect(toPassages([{ text: source }], 'code')).toEqual([{ text: source }]);
    expect(toPassages([{ text: source }], 'text')).toEqual([{ text: source }]);
    expect(toPassages([{ text: source, page: 2 }], 'markdown')).toEqual([
      { text: 'import os', page: 2 },
      { text: 'DEBUG = True', heading: 'Settings', page: 2 },
    ]);
  });
});
