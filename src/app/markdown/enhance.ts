// What a rendered block gets after sanitising: a toolbar with the language and a copy button per
// code block, `[n]` citations of a reply's sources as buttons, then (for finished blocks only)
// syntax colours and typeset math from their lazy chunks. Finished blocks are never redrawn, so
// each of these runs once per block.

import type { MessageSource } from '../../lib/conversation';
import { findCitations } from '../../lib/docs/citations';
import { MATH_DISPLAY_CLASS, MATH_INLINE_CLASS } from '../../lib/markdown/math';
import { sanitizeHighlight } from './sanitize';

const COPIED_MS = 1500;

export function addCodeToolbars(root: HTMLElement): void {
  for (const pre of root.querySelectorAll('pre')) {
    const code = pre.querySelector(':scope > code');
    if (!code) continue;
    const wrap = document.createElement('div');
    wrap.className = 'code-block';
    const bar = document.createElement('div');
    bar.className = 'code-bar';
    const lang = document.createElement('span');
    lang.textContent = languageOf(code) ?? 'text';
    const copy = document.createElement('button');
    copy.type = 'button';
    copy.className = 'code-copy';
    copy.dataset.testid = 'code-copy';
    say(copy, 'Copy');
    copy.addEventListener('click', () => {
      void navigator.clipboard.writeText(code.textContent).then(() => {
        say(copy, 'Copied');
        setTimeout(() => say(copy, 'Copy'), COPIED_MS);
      });
    });
    bar.append(lang, copy);
    pre.replaceWith(wrap);
    wrap.append(bar, pre);
  }
}

/** The visible text leads the accessible name, which says what is copied. */
function say(button: HTMLButtonElement, text: 'Copy' | 'Copied'): void {
  button.textContent = text;
  button.setAttribute('aria-label', `${text} code`);
}

function languageOf(code: Element): string | undefined {
  const cls = [...code.classList].find((c) => c.startsWith('language-'));
  return cls?.slice('language-'.length) || undefined;
}

export async function highlightCode(root: HTMLElement): Promise<void> {
  const blocks = [...root.querySelectorAll('pre > code')].filter((c) => languageOf(c));
  if (!blocks.length) return;
  const { highlight } = await import('./lazy-highlight');
  for (const code of blocks) {
    const html = highlight(code.textContent, languageOf(code)!);
    if (html === undefined) continue;
    code.replaceChildren(sanitizeHighlight(html));
    code.classList.add('hljs');
  }
}

export async function typesetMath(root: HTMLElement): Promise<void> {
  const nodes = [...root.querySelectorAll<HTMLElement>(`.${MATH_INLINE_CLASS}, .${MATH_DISPLAY_CLASS}`)];
  if (!nodes.length) return;
  const { typeset } = await import('./lazy-katex');
  for (const el of nodes) typeset(el, el.classList.contains(MATH_DISPLAY_CLASS));
}

/** Text in these is never a citation: code says what it says, and links and buttons are already interactive. */
const NOT_CITATION = 'pre, code, a, button, .math-inline, .math-display';

/**
 * Makes each `[n]` naming one of `sources` (outside code) a button: `data-n` the rank, `data-doc`
 * the document's name. Its text stays `[n]`, so the reply's text is unchanged; the message shows
 * the passage when it is activated.
 */
export function markCitations(root: HTMLElement, sources: readonly Pick<MessageSource, 'n' | 'docName'>[]): void {
  if (!sources.length) return;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
    acceptNode: (n) => (n.parentElement?.closest(NOT_CITATION) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
  });
  const nodes: Text[] = [];
  while (walker.nextNode()) nodes.push(walker.currentNode as Text);
  for (const node of nodes) {
    const found = findCitations(node.data, sources.length);
    if (!found.length) continue;
    const parts = document.createDocumentFragment();
    let at = 0;
    for (const c of found) {
      const source = sources.find((s) => s.n === c.n);
      // A range's implied numbers ([1-3] cites 2) have no text of their own to mark.
      if (!source || c.start < at || c.end === c.start) continue;
      parts.append(node.data.slice(at, c.start));
      const cite = document.createElement('button');
      cite.type = 'button';
      cite.className = 'citation';
      cite.dataset.testid = 'citation';
      cite.dataset.n = String(c.n);
      cite.dataset.doc = source.docName;
      cite.textContent = node.data.slice(c.start, c.end);
      cite.setAttribute('aria-label', `Source ${c.n}: ${source.docName}`);
      parts.append(cite);
      at = c.end;
    }
    parts.append(node.data.slice(at));
    node.replaceWith(parts);
  }
}
