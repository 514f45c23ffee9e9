import { describe, expect, test } from 'vitest';
import { PASSAGE_OVERLAP_CHARS, PASSAGE_TARGET_CHARS, splitPages, splitPassages, tail } from './passages';

const texts = (ps: { text: string }[]) => ps.map((p) => p.text);
const words = (n: number, w = 'word') => Array.from({ length: n }, (_, i) => `${w}${i}`).join(' ');

describe('splitPassages: paragraphs', () => {
  test('short paragraphs are packed into one passage, separated by a blank line', () => {
    expect(splitPassages('First para.\n\nSecond para.')).toEqual([{ text: 'First para.\n\nSecond para.' }]);
  });

  test('whitespace is collapsed and lines of a paragraph are joined', () => {
    expect(splitPassages('  a\tb \r\n  c  \r\n\r\n\n   d  ')).toEqual([{ text: 'a b c\n\nd' }]);
  });

  test('no text, or only blank lines, gives no passages', () => {
    expect(splitPassages('')).toEqual([]);
    expect(splitPassages(' \n\n \t\n')).toEqual([]);
  });

  test('paragraphs are kept whole: the one that would overflow starts the next passage', () => {
    const a = 'a'.repeat(40);
    const b = 'b'.repeat(40);
    const c = 'c'.repeat(40);
    const ps = splitPassages(`${a}\n\n${b}\n\n${c}`, { targetChars: 82, overlapChars: 0 });
    expect(texts(ps)).toEqual([`${a}\n\n${b}`, c]);
    expect(texts(splitPassages(`${a}\n\n${b}\n\n${c}`, { targetChars: 81, overlapChars: 0 }))).toEqual([a, b, c]);
  });

  test('a paragraph longer than the target is cut at sentence ends', () => {
    const s1 = `${'x'.repeat(30)}.`;
    const s2 = `${'y'.repeat(30)}!`;
    const s3 = `“${'z'.repeat(30)}?”`;
    const ps = splitPassages(`${s1} ${s2} ${s3}`, { targetChars: 70, overlapChars: 0 });
    expect(texts(ps)).toEqual([`${s1} ${s2}`, s3]);
  });

  test('a sentence longer than the target is cut between words, never inside one', () => {
    const text = words(50);
    const ps = splitPassages(text, { targetChars: 40, overlapChars: 0 });
    for (const p of ps) expect(p.text.length).toBeLessThanOrEqual(40);
    expect(ps.map((p) => p.text).join(' ')).toBe(text);
    // Each piece is as full as it can be: the next word would not have fitted.
    for (let i = 0; i + 1 < ps.length; i++) expect(`${ps[i]!.text} ${ps[i + 1]!.text.split(' ')[0]}`.length).toBeGreaterThan(40);
  });

  test('a word longer than the target stays whole, alone', () => {
    const long = 'L'.repeat(30);
    expect(texts(splitPassages(`ab ${long} cd`, { targetChars: 10, overlapChars: 0 }))).toEqual(['ab', long, 'cd']);
  });

  test('the defaults are about 1000 characters with 150 of overlap', () => {
    expect(PASSAGE_TARGET_CHARS).toBe(1000);
    expect(PASSAGE_OVERLAP_CHARS).toBe(150);
    const paras = Array.from({ length: 30 }, (_, i) => `${words(15, `p${i}w`)}.`).join('\n\n');
    const ps = splitPassages(paras);
    expect(ps.length).toBeGreaterThan(2);
    for (const p of ps.slice(1)) expect(p.text.length).toBeLessThanOrEqual(1000 + 2 + 150);
    expect(ps[1]!.text.length).toBeGreaterThan(1000);
  });

  test('thematic breaks are not text', () => {
    expect(texts(splitPassages('a\n\n---\n\n* * *\n\n___  \n\nb'))).toEqual(['a\n\nb']);
    expect(texts(splitPassages('x ***\n\n*** x'))).toEqual(['x ***\n\n*** x']);
  });

  test('the separators between packed paragraphs count against the target', () => {
    const [a, b, c] = ['a', 'b', 'c'].map((ch) => ch.repeat(10));
    expect(texts(splitPassages(`${a}\n\n${b}\n\n${c}`, { targetChars: 33, overlapChars: 0 }))).toEqual([`${a}\n\n${b}`, c]);
  });

  test('a line of spaces separates paragraphs; so do lone carriage returns', () => {
    expect(texts(splitPassages('a\n  \t\nb'))).toEqual(['a\n\nb']);
    expect(texts(splitPassages('a\rb\r\rc'))).toEqual(['a b\n\nc']);
  });

  test('a sentence that fits is not cut to fill the piece before it', () => {
    expect(texts(splitPassages('One two. Three four five.', { targetChars: 18, overlapChars: 0 }))).toEqual([
      'One two.',
      'Three four five.',
    ]);
    expect(texts(splitPassages('Xx. Aaa bbb.', { targetChars: 8, overlapChars: 0 }))).toEqual(['Xx.', 'Aaa bbb.']);
  });

  test('a sentence may end inside closing quotes or brackets', () => {
    expect(texts(splitPassages('He said “stop now.” Then he left.', { targetChars: 20, overlapChars: 0 }))).toEqual([
      'He said “stop now.”',
      'Then he left.',
    ]);
    expect(texts(splitPassages('It ended (at last!) and so on.', { targetChars: 20, overlapChars: 0 }))).toEqual([
      'It ended (at last!)',
      'and so on.',
    ]);
  });

  test('words fill a piece exactly to the target', () => {
    expect(texts(splitPassages('aa bb cc', { targetChars: 5, overlapChars: 0 }))).toEqual(['aa bb', 'cc']);
  });
});

describe('splitPassages: overlap', () => {
  const a = words(10, 'a'); // "a0 a1 … a9", 29 characters
  const b = words(10, 'b');

  test('the next passage of a section starts with the last whole words of the one before', () => {
    const ps = splitPassages(`${a}\n\n${b}`, { targetChars: 30, overlapChars: 6 });
    expect(texts(ps)).toEqual([a, `a8 a9\n\n${b}`]);
  });

  test('overlap before the first piece of a cut paragraph joins with a blank line', () => {
    const ps = splitPassages(`x1 x2\n\n${a} ${b}`, { targetChars: 30, overlapChars: 2 });
    expect(texts(ps)).toEqual(['x1 x2', `x2\n\n${a}`, `a9 ${b}`]);
  });

  test('overlap inside a cut paragraph joins with a space', () => {
    const ps = splitPassages(`${a} ${b}`, { targetChars: 30, overlapChars: 4 });
    expect(texts(ps)).toEqual([a, `a9 ${b}`]);
  });

  test('no overlap across a heading', () => {
    const ps = splitPassages(`${a}\n\n# H\n\n${b}`, { overlapChars: 50 });
    expect(texts(ps)).toEqual([a, b]);
  });

  test('no overlap when it is 0', () => {
    expect(texts(splitPassages(`${a}\n\n${b}`, { targetChars: 30, overlapChars: 0 }))).toEqual([a, b]);
  });

  test('tail takes whole words only, and all of a short text', () => {
    expect(tail('alpha beta gamma', 5)).toBe('gamma');
    expect(tail('alpha beta gamma', 6)).toBe('gamma');
    expect(tail('alpha beta gamma', 10)).toBe('beta gamma');
    expect(tail('alpha beta gamma', 4)).toBe('');
    expect(tail('alpha', 5)).toBe('alpha');
    expect(tail('alpha', 99)).toBe('alpha');
    expect(tail('alpha', 0)).toBe('');
    expect(tail('a\n\nbc', 3)).toBe('bc');
    expect(tail('alpha beta', 9)).toBe('beta');
    expect(tail('alpha beta gamma', 11)).toBe('beta gamma');
    expect(tail('ab cd', -1)).toBe('');
  });
});

describe('splitPassages: options', () => {
  test('page is given to every passage', () => {
    expect(splitPassages('a\n\nb', { page: 3, targetChars: 1, overlapChars: 0 })).toEqual([
      { text: 'a', page: 3 },
      { text: 'b', page: 3 },
    ]);
  });

  test('a target below 1 or a negative overlap is refused', () => {
    expect(() => splitPassages('a', { targetChars: 0 })).toThrow(RangeError);
    expect(() => splitPassages('a', { targetChars: Number.NaN })).toThrow(RangeError);
    expect(() => splitPassages('a', { overlapChars: -1 })).toThrow(RangeError);
    expect(() => splitPassages('a', { targetChars: 0 })).toThrow('targetChars must be at least 1, got 0');
    expect(() => splitPassages('a', { overlapChars: -1 })).toThrow('overlapChars must be at least 0, got -1');
  });

  test('the same text always gives the same passages', () => {
    const doc = `# T\n\n${words(400)}\n\n${words(30, 'q')}`;
    expect(splitPassages(doc)).toEqual(splitPassages(doc));
  });
});

describe('splitPages', () => {
  test('a passage stays on one page: packing stops at a page break, so a cited page is exact', () => {
    const ps = splitPages(
      [
        { page: 1, text: '# Report\n\nfirst' },
        { page: 2, text: 'second' },
        { page: 3, text: 'x'.repeat(20) },
      ],
      { targetChars: 20, overlapChars: 0 },
    );
    expect(ps).toEqual([
      { text: 'first', heading: 'Report', page: 1 },
      { text: 'second', heading: 'Report', page: 2 },
      { text: 'x'.repeat(20), heading: 'Report', page: 3 },
    ]);
  });

  test('a paragraph does not run on across a page break', () => {
    expect(
      texts(
        splitPages([
          { page: 1, text: 'end of' },
          { page: 2, text: 'a sentence' },
        ]),
      ),
    ).toEqual(['end of', 'end of\n\na sentence']);
  });

  test('the overlap may come from the page before', () => {
    const ps = splitPages(
      [
        { page: 1, text: 'one two' },
        { page: 2, text: 'three four' },
      ],
      { targetChars: 10, overlapChars: 3 },
    );
    expect(ps).toEqual([
      { text: 'one two', page: 1 },
      { text: 'two\n\nthree four', page: 2 },
    ]);
  });

  test('no pages, no passages', () => {
    expect(splitPages([])).toEqual([]);
  });
});
