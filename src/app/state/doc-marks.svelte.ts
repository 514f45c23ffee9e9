// Which collections have documents, remembered in localStorage: a conversation's documents are
// listed after a reload, and the named collections offered in its settings, without starting the
// documents worker. A hint only: the worker's list is the truth, and a collection found empty is
// forgotten. Storage may be blocked: then nothing is remembered between visits.

import type { CollectionId } from '../../docs/protocol';

const MARKS_KEY = 'airgap:doc-collections';

export class CollectionMarks {
  #marks = $state.raw<ReadonlySet<string>>(read());

  has(collection: CollectionId): boolean {
    return this.#marks.has(collection);
  }
  /** Every remembered collection. */
  get all(): string[] {
    return [...this.#marks];
  }
  /** The names of the named collections. */
  get named(): string[] {
    return this.all.filter((c) => c.startsWith('named:')).map((c) => c.slice('named:'.length));
  }

  set(collection: CollectionId, has: boolean): void {
    const marks = read();
    if (has === marks.has(collection)) return void (this.#marks = marks);
    if (has) marks.add(collection);
    else marks.delete(collection);
    this.#marks = marks;
    try {
      localStorage.setItem(MARKS_KEY, JSON.stringify([...marks]));
    } catch {
      // Storage blocked: lists are then loaded when the worker has been started for another reason.
    }
  }
}

function read(): Set<string> {
  try {
    const raw = localStorage.getItem(MARKS_KEY);
    const list: unknown = raw ? JSON.parse(raw) : [];
    return new Set(Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : []);
  } catch {
    return new Set();
  }
}
