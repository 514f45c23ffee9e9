// The Markdown renderer (marked, DOMPurify) is fetched with the first assistant message, not at
// first paint; every message shares the one import.

let renderer: Promise<typeof import('./stream-renderer')> | undefined;

export function loadMarkdownRenderer(): Promise<typeof import('./stream-renderer')> {
  renderer ??= import('./stream-renderer');
  return renderer;
}
