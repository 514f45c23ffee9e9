import { Lexer } from 'marked';
import { describe, expect, it, vi } from 'vitest';
import { BlockStream, drawableOpen } from './blocks';

const DOC = [
  '# Title',
  '',
  'Some *text* with `code` and $x^2$.',
  '',
  '| a | b |',
  '|---|---|',
  '| 1 | 2 |',
  '| 3 | 4 |',
  '',
  '```ts',
  'const x = 1;',
  '',
  'const y = 2;',
  '```',
  '',
  '- one',
  '- two',
  '',
  '- three (loose list)',
  '',
  '> quote',
  'lazy line',
  '',
  '$$',
  'E = mc^2',
  '$$',
  '',
  'The end.',
].join('\n');

/** Streams `text` in pieces of `step` characters; returns every block handed out and the last open text. */
function stream(text: string, step: number) {
  const s = new BlockStream();
  const blocks: string[] = [];
  let open = '';
  for (let i = step; i < text.length + step; i += step) {
    const r = s.push(text.slice(0, i));
    expect(r.reset).toBe(false);
    blocks.push(...r.completed);
    open = r.open;
  }
  return { s, blocks, open };
}

describe('BlockStream', () => {
  it('hands out each top-level block once, exactly as lexing the whole text gives it', () => {
    const whole = Lexer.lex(DOC, { gfm: true })
      .filter((t) => t.type !== 'space')
      .map((t) => t.raw);
    for (const step of [1, 3, 7, 50]) {
      const { s, blocks, open } = stream(DOC, step);
      expect([...blocks, open]).toEqual(whole);
      expect(s.push(DOC, true)).toEqual({ reset: false, completed: [whole.at(-1)], open: '' });
    }
  });

  it('keeps an unclosed fence and half a table open, with the blocks before them final', () => {
    const s = new BlockStream();
    expect(s.push('Intro\n\n```js\nlet a = 1;\n\nlet b')).toEqual({
      reset: false,
      completed: ['Intro'],
      open: '```js\nlet a = 1;\n\nlet b',
    });
    expect(s.push('Intro\n\n```js\nlet a = 1;\n\nlet b\n```\n\n| a |\n|--')).toEqual({
      reset: false,
      completed: ['```js\nlet a = 1;\n\nlet b\n```'],
      open: '| a |\n|--',
    });
  });

  it('lexes only the text after the finished blocks, so a frame costs the same late in a long reply', () => {
    const s = new BlockStream();
    const long = Array.from({ length: 200 }, (_, i) => `Paragraph ${i} with some words.`).join('\n\n');
    s.push(long);
    const lex = vi.spyOn(Lexer, 'lex');
    s.push(`${long}\n\nand more`);
    expect(lex).toHaveBeenCalledTimes(1);
    expect((lex.mock.calls[0]![0] as string).length).toBeLessThan(100);
    lex.mockRestore();
  });

  it('starts over when the text no longer extends what was rendered, or changes after it was final', () => {
    const s = new BlockStream();
    s.push('first\n\nsecond');
    expect(s.push('other\n\nthing')).toEqual({ reset: true, completed: ['other'], open: 'thing' });
    s.push('other\n\nthing', true);
    expect(s.push('other\n\nthing', true)).toEqual({ reset: false, completed: [], open: '' });
    // A reply continued after it ended may extend its last block: draw it all again.
    expect(s.push('other\n\nthing and more')).toEqual({ reset: true, completed: ['other'], open: 'thing and more' });
  });

  it('treats CRLF text like LF text', () => {
    const s = new BlockStream();
    expect(s.push('a\r\n\r\nb')).toEqual({ reset: false, completed: ['a'], open: 'b' });
  });
});

describe('drawableOpen', () => {
  it('holds back a table header until its delimiter row, then shows the table row by row', () => {
    expect(drawableOpen('| a | b')).toBe('');
    expect(drawableOpen('Intro line\n| a | b |\n|--')).toBe('Intro line');
    expect(drawableOpen('| a | b |\n|---|---|')).toBe('| a | b |\n|---|---|');
    expect(drawableOpen('| a | b |\n|---|---|\n| 1 |')).toBe('| a | b |\n|---|---|\n| 1 |');
  });
  it('holds back the first backticks or tildes of a fence', () => {
    expect(drawableOpen('``')).toBe('');
    expect(drawableOpen('text\n`')).toBe('text');
    expect(drawableOpen('```')).toBe('```');
    expect(drawableOpen('a `code` b')).toBe('a `code` b');
  });
});
