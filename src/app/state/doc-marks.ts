// Which collections have documents, remembered in localStorage: a conversation's documents are
// listed after a reload without starting the documents worker for every conversation that has none.
// A hint only: the worker's list is the truth, and a collection found empty is forgotten.

import type { CollectionId } from '../../docs/protocol';

const MARKS_KEY = 'airgap:doc-collections';

export function readMarks(): Set<string> {
  try {
    const raw = localStorage.getItem(MARKS_KEY);
    const list: unknown = raw ? JSON.parse(raw) : [];
    return new Set(Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : []);
  } catch {
    return new Set();
  }
}

export function markCollection(collection: CollectionId, has: boolean): void {
  const marks = readMarks();
  if (has === marks.has(collection)) return;
  if (has) marks.add(collection);
  else marks.delete(collection);
  try {
    localStorage.setItem(MARKS_KEY, JSON.stringify([...marks]));
  } catch {
    // Storage blocked: lists are then loaded when the worker has been started for another reason.
  }
}
