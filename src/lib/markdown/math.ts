// Math in model output: $…$ and \(…\) inline, $$…$$ and \[…\] as blocks, as marked extensions
// that leave the TeX as escaped text in a placeholder element (math-inline / math-display) for
// KaTeX to typeset later. Inline $ follows Pandoc's rule (no space after the opening $, none
// before the closing one, no digit after it), so prices like "$5 and $10" stay text.

import type { TokenizerAndRendererExtension, Tokens } from 'marked';
import { escapeHtml } from './html';

export const MATH_INLINE_CLASS = 'math-inline';
export const MATH_DISPLAY_CLASS = 'math-display';

const INLINE_DOLLAR = /^\$(?![\s$])((?:\\.|[^\\\n$])+?)(?<![\s\\])\$(?!\d)/;
const INLINE_PAREN = /^\\\(((?:\\.|[^\\\n])+?)\\\)/;
const DISPLAY_DOLLAR = /^ {0,3}\$\$([\s\S]+?)\$\$[ \t]*(?:\n+|$)/;
const DISPLAY_BRACKET = /^ {0,3}\\\[([\s\S]+?)\\\][ \t]*(?:\n+|$)/;

interface MathToken extends Tokens.Generic {
  text: string;
}

function firstIndex(src: string, needles: string[]): number | undefined {
  const found = needles.map((n) => src.indexOf(n)).filter((i) => i >= 0);
  return found.length ? Math.min(...found) : undefined;
}

const inline: TokenizerAndRendererExtension = {
  name: 'mathInline',
  level: 'inline',
  start: (src) => firstIndex(src, ['$', '\\(']),
  tokenizer(src) {
    const m = INLINE_DOLLAR.exec(src) ?? INLINE_PAREN.exec(src);
    if (m) return { type: 'mathInline', raw: m[0], text: m[1]!.trim() } satisfies MathToken;
    return undefined;
  },
  renderer: (token) => `<span class="${MATH_INLINE_CLASS}">${escapeHtml((token as MathToken).text)}</span>`,
};

const display: TokenizerAndRendererExtension = {
  name: 'mathDisplay',
  level: 'block',
  start: (src) => firstIndex(src, ['$$', '\\[']),
  tokenizer(src) {
    const m = DISPLAY_DOLLAR.exec(src) ?? DISPLAY_BRACKET.exec(src);
    if (m) return { type: 'mathDisplay', raw: m[0], text: m[1]!.trim() } satisfies MathToken;
    return undefined;
  },
  renderer: (token) => `<div class="${MATH_DISPLAY_CLASS}">${escapeHtml((token as MathToken).text)}</div>\n`,
};

export const mathExtensions = [display, inline];
