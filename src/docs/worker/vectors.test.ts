import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it } from 'vitest';
import { fileOf } from '../../../test/e2e/fixtures/documents';
import { createDocsHandlers } from './handler';

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
});

const C = 'conv:v' as const;
const unit = (...xs: number[]) => new Float32Array(xs);

describe('vectors', () => {
  it('lists passages without vectors, stores what the page embeds, and fuses vector ranks into search', async () => {
    const h = createDocsHandlers();
    const [a, b] = await h.add(
      { collection: C, files: [fileOf('cats.txt', 'Cats sleep most of the day.'), fileOf('dogs.txt', 'Dogs like long walks.')] },
      () => {},
    );
    const pending = await h.pendingVectors({ collection: C, limit: 10 });
    expect(pending.map((p) => p.passageId)).toEqual([`${a!.id}#0`, `${b!.id}#0`]);
    expect(await h.pendingVectors({ collection: C, limit: 1 })).toHaveLength(1);

    await h.putVectors({
      vectors: [
        { passageId: `${a!.id}#0`, vector: unit(1, 0) },
        { passageId: `${b!.id}#0`, vector: unit(0, 1) },
      ],
    });
    expect(await h.pendingVectors({ collection: C, limit: 10 })).toEqual([]);
    expect((await h.list({ collection: C })).map((d) => d.vectors)).toEqual([true, true]);

    // No keyword matches "pets": the vector alone ranks the passage nearest the query first.
    const byVector = await h.search({ collections: [C], query: 'pets', queryVector: unit(0.1, 0.9), k: 2 });
    expect(byVector.map((p) => [p.n, p.docName])).toEqual([
      [1, 'dogs.txt'],
      [2, 'cats.txt'],
    ]);
    // New vectors for a document replace the ones searched before.
    await h.putVectors({
      vectors: [
        { passageId: `${a!.id}#0`, vector: unit(0, 1) },
        { passageId: `${b!.id}#0`, vector: unit(1, 0) },
      ],
    });
    expect((await h.search({ collections: [C], query: 'pets', queryVector: unit(0.1, 0.9), k: 1 }))[0]!.docName).toBe('cats.txt');
    // A query vector of other dimensions (another embedder) is ignored, not mixed in.
    expect((await h.search({ collections: [C], query: 'cats', queryVector: unit(1, 0, 0), k: 2 })).map((p) => p.docName)).toEqual([
      'cats.txt',
    ]);
    // Vectors count in usage.
    const [row] = await h.usage(null);
    expect(row!.bytes).toBeGreaterThanOrEqual(a!.bytes + b!.bytes + 16);
  });

  it('ignores vectors for a document deleted meanwhile', async () => {
    const h = createDocsHandlers();
    const [a] = await h.add({ collection: C, files: [fileOf('a.txt', 'Alpha.')] }, () => {});
    await h.deleteDoc({ docId: a!.id });
    await h.putVectors({ vectors: [{ passageId: `${a!.id}#0`, vector: unit(1) }] });
    expect(await h.list({})).toEqual([]);
  });
});
