// Syntax highlighting (highlight.js with its common languages): a chunk of its own, fetched only
// when a reply holds a fenced code block with a language.

import hljs from 'highlight.js/lib/common';

/** Highlighted HTML (escaped by highlight.js), or undefined for a language it does not know. */
export function highlight(code: string, language: string): string | undefined {
  if (!hljs.getLanguage(language)) return undefined;
  return hljs.highlight(code, { language, ignoreIllegals: true }).value;
}
