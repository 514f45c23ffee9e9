// Math typesetting (KaTeX, with its CSS and fonts served by the app and precached): a chunk of its
// own, fetched only when a reply holds math. KaTeX builds DOM nodes itself and runs untrusted:
// \href, \url, \includegraphics and \html* commands render as errors, never as links or requests.

import katex from 'katex';
import 'katex/dist/katex.min.css';

export function typeset(el: HTMLElement, display: boolean): void {
  katex.render(el.textContent, el, {
    displayMode: display,
    throwOnError: false,
    trust: false,
    strict: 'ignore',
    output: 'htmlAndMathml',
    maxSize: 50,
    maxExpand: 500,
  });
}
