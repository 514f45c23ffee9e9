// Files dropped on an element or pasted into it, as one callback: the chat takes documents this
// way beside its file pickers. A dropped folder is walked (sub-folders too) and only the files of a
// kind Airgap reads are kept, so a folder of reports can be dropped as it is. While files are
// dragged over, the element has the `dropping` class. Drags and pastes without files are left to
// the browser.

import { takenFromFolder } from '../lib/docs/kind';

/** The minimal shape of the File and Directory Entries API that walking needs. */
interface Entry {
  isFile: boolean;
  isDirectory: boolean;
  name: string;
  file?(ok: (f: File) => void, fail: (e: unknown) => void): void;
  createReader?(): { readEntries(ok: (entries: Entry[]) => void, fail: (e: unknown) => void): void };
}

/** Every file under `entry`, in the order the browser lists them (hidden files and folders left out). */
async function filesUnder(entry: Entry, out: File[]): Promise<void> {
  if (entry.name.startsWith('.')) return;
  if (entry.isFile && entry.file) {
    const file = await new Promise<File>((ok, fail) => entry.file!(ok, fail)).catch(() => undefined);
    if (file && takenFromFolder(file.name, file.type)) out.push(file);
    return;
  }
  if (!entry.isDirectory || !entry.createReader) return;
  const reader = entry.createReader();
  // readEntries answers in batches (100 in Chromium) until it answers none.
  for (;;) {
    const batch = await new Promise<Entry[]>((ok, fail) => reader.readEntries(ok, fail)).catch(() => []);
    if (!batch.length) break;
    for (const child of batch) await filesUnder(child, out);
  }
}

/** The files of a drop: folders walked; a plain file is kept whatever its kind (the worker says why it cannot read it). */
export async function filesOf(data: DataTransfer | null): Promise<File[]> {
  if (!data) return [];
  const entries = [...(data.items ?? [])]
    .map((item) => (item.kind === 'file' ? (item.webkitGetAsEntry?.() as Entry | null) : null))
    .filter((e): e is Entry => e !== null);
  if (!entries.some((e) => e.isDirectory)) return [...data.files];
  const out: File[] = [];
  for (const entry of entries) {
    if (entry.isDirectory) await filesUnder(entry, out);
    else if (entry.file) out.push(await new Promise<File>((ok, fail) => entry.file!(ok, fail)));
  }
  return out;
}

export function fileDrop(node: HTMLElement, onfiles: (files: File[]) => void): { destroy(): void } {
  const over = (e: DragEvent) => {
    if (!e.dataTransfer?.types.includes('Files')) return;
    e.preventDefault();
    node.classList.add('dropping');
  };
  const leave = () => node.classList.remove('dropping');
  const take = (e: Event, data: DataTransfer | null) => {
    leave();
    if (!data?.types.includes('Files')) return;
    e.preventDefault();
    // The entries must be taken before the event returns: the browser empties the DataTransfer after it.
    void filesOf(data).then((files) => files.length && onfiles(files));
  };
  const drop = (e: DragEvent) => take(e, e.dataTransfer);
  const paste = (e: ClipboardEvent) => take(e, e.clipboardData);
  node.addEventListener('dragover', over);
  node.addEventListener('dragleave', leave);
  node.addEventListener('drop', drop);
  node.addEventListener('paste', paste);
  return {
    destroy() {
      node.removeEventListener('dragover', over);
      node.removeEventListener('dragleave', leave);
      node.removeEventListener('drop', drop);
      node.removeEventListener('paste', paste);
    },
  };
}
