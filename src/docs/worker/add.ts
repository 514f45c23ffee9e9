// Adding files to a collection, one after the other: refuse from size and type, hash, skip a file
// whose SHA-256 the collection already holds, read, split into passages, store, index. A file that
// fails is reported (state "error", its problem in words) and the others go on. Pause and cancel
// act between files (cancel also while a PDF's pages are read); cancel removes what this add wrote.

import { splitPages } from '../../lib/docs/passages';
import { AirgapError, DocumentReadError } from '../../engine/errors';
import type { AddProgress, CollectionId, DocInfo } from '../protocol';
import type { KeywordIndex } from './keyword-index';
import { admit, readDocument, type DocKind, type FileLike } from './read';
import { toDocInfo, type DocRecord, type DocStore, type StoredPassage } from './store';
import { sha256Hex } from '../../lib/bytes';

class Cancelled extends Error {}

/** Pause, resume and cancel of the add in progress. */
export class AddControl {
  #paused = false;
  #cancelled = false;
  #wake: (() => void) | undefined;

  set(action: 'pause' | 'resume' | 'cancel'): void {
    if (action === 'pause') this.#paused = true;
    else {
      if (action === 'cancel') this.#cancelled = true;
      this.#paused = false;
      this.#wake?.();
    }
  }

  get cancelled(): boolean {
    return this.#cancelled;
  }

  /** Between files: waits while paused; throws when cancelled. */
  async checkpoint(): Promise<void> {
    while (this.#paused && !this.#cancelled) await new Promise<void>((r) => (this.#wake = r));
    if (this.#cancelled) throw new Cancelled();
  }
}

/** Only Markdown (and what the readers turn into it: HTML, .docx) has headings: in text and code a line such as
 *  "# comment" is text. A PDF's pages are split as one text, each passage keeping the page it starts on. */
const HAS_HEADINGS = new Set<DocKind>(['markdown', 'html', 'docx']);

export function toPassages(sections: { text: string; page?: number }[], kind: DocKind): StoredPassage[] {
  // The library's passage size (about 250 tokens, so several fit in a prompt) and overlap.
  return splitPages(sections, { headings: HAS_HEADINGS.has(kind) });
}

export interface AddDeps {
  store: DocStore;
  index: KeywordIndex;
  control: AddControl;
  newId?: () => string;
  now?: () => number;
}

/** Adds the files; on cancel, removes what it wrote and answers with nothing added. */
export async function addFiles(
  { store, index, control, newId = () => crypto.randomUUID(), now = Date.now }: AddDeps,
  collection: CollectionId,
  files: FileLike[],
  emit: (p: AddProgress) => void,
): Promise<DocInfo[]> {
  const written: DocRecord[] = [];
  const results: DocInfo[] = [];
  try {
    for (const file of files) {
      await control.checkpoint();
      const id = newId();
      const base = {
        id,
        collection,
        name: file.name,
        kind: '',
        bytes: file.size,
        sha256: '',
        passages: 0,
        chars: 0,
        vectors: false,
        addedAt: now(),
      };
      const tell = (state: DocInfo['state'], fraction: number, docId = id) => emit({ docId, name: file.name, state, fraction });
      tell('reading', 0);
      try {
        const kind = admit(file);
        base.kind = kind;
        const bytes = await file.arrayBuffer();
        const hash = await sha256Hex(bytes);
        const same = (await store.docs(collection)).find((d) => d.sha256 === hash);
        if (same) {
          tell('ready', 1, same.id);
          results.push(toDocInfo(same));
          continue;
        }
        const read = await readDocument(file.name, kind, bytes, (f) => {
          if (control.cancelled) throw new Cancelled();
          tell('reading', f);
        });
        tell('indexing', 0);
        const passages = toPassages(read.sections, kind);
        if (!passages.length) throw new DocumentReadError(`"${file.name}" contains no text`);
        const record: DocRecord = {
          ...base,
          kind,
          sha256: hash,
          state: 'ready',
          passages: passages.length,
          chars: read.chars,
          ...(read.pages !== undefined ? { pages: read.pages } : {}),
          ...(read.problem ? { problem: read.problem } : {}),
          passageBytes: passages.reduce((n, p) => n + p.text.length + (p.heading?.length ?? 0), 0),
          vectorBytes: 0,
        };
        written.push(record);
        await store.putDoc(record, bytes, passages);
        await index.add(collection, id, passages);
        tell('ready', 1);
        results.push(toDocInfo(record));
      } catch (err) {
        if (err instanceof Cancelled) throw err;
        const problem = err instanceof AirgapError ? err.userMessage : `"${file.name}" could not be read: ${String(err)}`;
        tell('error', 1);
        results.push({ ...base, state: 'error', problem });
      }
    }
    return results;
  } catch (err) {
    if (!(err instanceof Cancelled)) throw err;
    await index.remove(collection, written);
    await store.removeDocs(written.map((d) => d.id));
    return [];
  }
}
