// A dropped folder becomes the documents in it: walked through sub-folders and batched listings,
// hidden and unreadable files left out; a drop of plain files is taken as it is.
import { describe, expect, it } from 'vitest';
import { filesOf } from './file-drop';

type FakeEntry = { isFile: boolean; isDirectory: boolean; name: string; file?: unknown; createReader?: unknown };

const file = (name: string): FakeEntry => ({
  isFile: true,
  isDirectory: false,
  name,
  file: (ok: (f: File) => void) => ok(new File(['x'], name)),
});
/** A folder whose reader answers in batches of two, then none (as readEntries does, in larger batches). */
const folder = (name: string, children: FakeEntry[]): FakeEntry => ({
  isFile: false,
  isDirectory: true,
  name,
  createReader: () => {
    let at = 0;
    return { readEntries: (ok: (e: FakeEntry[]) => void) => ok(children.slice(at, (at += 2))) };
  },
});
const drop = (entries: FakeEntry[], files: File[] = []) =>
  ({
    items: entries.map((e) => ({ kind: 'file', webkitGetAsEntry: () => e })),
    files,
  }) as unknown as DataTransfer;

describe('filesOf', () => {
  it('walks a dropped folder and its sub-folders, keeping only documents Airgap reads', async () => {
    const reports = folder('reports', [
      file('q1.pdf'),
      file('notes.md'),
      file('.DS_Store'),
      file('photo.png'),
      folder('2025', [file('minutes.docx'), file('table.csv')]),
      folder('.git', [file('config.txt')]),
    ]);
    expect((await filesOf(drop([reports]))).map((f) => f.name)).toEqual(['q1.pdf', 'notes.md', 'minutes.docx', 'table.csv']);
  });

  it('takes a drop of plain files as it is (the worker says why one cannot be read)', async () => {
    const files = [new File(['a'], 'a.png'), new File(['b'], 'b.txt')];
    expect(await filesOf(drop([file('a.png'), file('b.txt')], files))).toEqual(files);
    expect(await filesOf(null)).toEqual([]);
  });

  it('takes files dropped beside a folder too', async () => {
    const got = await filesOf(drop([file('loose.txt'), folder('f', [file('in.md')])]));
    expect(got.map((f) => f.name)).toEqual(['loose.txt', 'in.md']);
  });
});
