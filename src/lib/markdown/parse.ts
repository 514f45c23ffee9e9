// Markdown source to HTML (GitHub-flavoured, with math placeholders). The HTML is NOT safe: model
// output may hold raw HTML, so it must go through the page's sanitiser before it reaches the DOM.
// Images never become <img>: a placeholder says which host the picture is on and offers a link,
// so a reply cannot make the browser fetch anything (a private, offline app must not leak).

import { Marked, type Tokens } from 'marked';
import { escapeHtml } from './html';
import { remoteHost, safeHref } from './links';
import { mathExtensions } from './math';

export const REMOTE_IMAGE_CLASS = 'remote-image';

function imagePlaceholder({ href, text }: Tokens.Image): string {
  const alt = text ? `: ${escapeHtml(text)}` : '';
  const host = remoteHost(href);
  const url = safeHref(href);
  if (!host || !url) return `<span class="${REMOTE_IMAGE_CLASS}" data-testid="remote-image">Image not shown${alt}</span>`;
  return (
    `<span class="${REMOTE_IMAGE_CLASS}" data-testid="remote-image" data-host="${escapeHtml(host)}">` +
    `Image from ${escapeHtml(host)} not loaded${alt} ` +
    `<a href="${escapeHtml(url)}" data-testid="remote-image-open">Open image</a></span>`
  );
}

const marked = new Marked({ gfm: true, async: false, extensions: mathExtensions, renderer: { image: imagePlaceholder } });

export function markdownToHtml(src: string): string {
  return marked.parse(src, { async: false });
}
