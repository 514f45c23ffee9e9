// The only way model-written HTML reaches the page: DOMPurify with an allowlist of the tags the
// Markdown renderer writes (no SVG, MathML, styles, forms, media or images), links kept only for
// http(s)/mailto and opened in a new tab without a referrer. Output is a DOM fragment, so no
// string is parsed again after sanitising.

import DOMPurify from 'dompurify';
import { safeHref } from '../../lib/markdown/links';
import { MATH_DISPLAY_CLASS, MATH_INLINE_CLASS } from '../../lib/markdown/math';
import { REMOTE_IMAGE_CLASS } from '../../lib/markdown/parse';

const ALLOWED_TAGS = [
  'a',
  'abbr',
  'b',
  'blockquote',
  'br',
  'code',
  'dd',
  'del',
  'details',
  'div',
  'dl',
  'dt',
  'em',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'hr',
  'i',
  'input',
  'ins',
  'kbd',
  'li',
  'mark',
  'ol',
  'p',
  'pre',
  'q',
  's',
  'small',
  'span',
  'strong',
  'sub',
  'summary',
  'sup',
  'table',
  'tbody',
  'td',
  'tfoot',
  'th',
  'thead',
  'tr',
  'u',
  'ul',
];
const ALLOWED_ATTR = [
  'href',
  'title',
  'class',
  'start',
  'align',
  'colspan',
  'rowspan',
  'type',
  'checked',
  'disabled',
  'data-testid',
  'data-host',
];

/** Classes and test ids output may carry: the renderer's own (code languages, math, image placeholders, highlighting). */
const OWN_CLASS = new RegExp(`^(language-[\\w+#.-]+|hljs(-[\\w-]+)?|${MATH_INLINE_CLASS}|${MATH_DISPLAY_CLASS}|${REMOTE_IMAGE_CLASS})$`);
const OWN_TESTIDS = new Set(['remote-image', 'remote-image-open']);

const purify = DOMPurify();
// Model-written HTML may not borrow the app's classes (restyling the page) or its test ids.
purify.addHook('uponSanitizeAttribute', (_node, data) => {
  if (data.attrName === 'class')
    data.attrValue = data.attrValue
      .split(/\s+/)
      .filter((c) => OWN_CLASS.test(c))
      .join(' ');
  else if (data.attrName === 'data-testid' && !OWN_TESTIDS.has(data.attrValue)) data.keepAttr = false;
});
purify.addHook('afterSanitizeAttributes', (node) => {
  if (node instanceof HTMLAnchorElement || node.nodeName === 'A') {
    const el = node as Element;
    const href = safeHref(el.getAttribute('href'));
    if (href) {
      el.setAttribute('href', href);
      el.setAttribute('target', '_blank');
      el.setAttribute('rel', 'noopener noreferrer');
    } else {
      el.removeAttribute('href');
    }
  } else if (node.nodeName === 'INPUT') {
    // Only GFM task-list boxes: shown, never editable, never a form control of the page.
    const el = node as Element;
    el.setAttribute('type', 'checkbox');
    el.setAttribute('disabled', '');
  }
});

const CONFIG = {
  ALLOWED_TAGS,
  ALLOWED_ATTR,
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
  RETURN_DOM_FRAGMENT: true as const,
};

/** Model-written HTML as a fragment safe to insert. */
export function sanitizeHtml(html: string): DocumentFragment {
  return purify.sanitize(html, CONFIG);
}

/** Highlighter output: only its spans and their classes survive. */
export function sanitizeHighlight(html: string): DocumentFragment {
  return purify.sanitize(html, { ALLOWED_TAGS: ['span'], ALLOWED_ATTR: ['class'], RETURN_DOM_FRAGMENT: true });
}
