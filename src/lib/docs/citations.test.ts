import { describe, expect, test } from 'vitest';
import { codeRanges, findCitations } from './citations';

/** Each citation as [n, the text it spans]. */
const shown = (text: string, max = 9) => findCitations(text, max).map((c) => [c.n, text.slice(c.start, c.end)]);

describe('findCitations', () => {
  test('a lone [n] spans the whole bracket', () => {
    const text = 'Payment is due in 30 days [1].';
    expect(findCitations(text, 3)).toEqual([{ start: 26, end: 29, n: 1 }]);
  });

  test('adjacent [1][2] are two citations', () => {
    expect(shown('see [1][2]')).toEqual([
      [1, '[1]'],
      [2, '[2]'],
    ]);
  });

  test('a list gives one entry per number, each spanning its digits', () => {
    const text = 'both [2, 3] and [4,5] and [1;12]';
    expect(findCitations(text, 12)).toEqual([
      { start: 6, end: 7, n: 2 },
      { start: 9, end: 10, n: 3 },
      { start: 17, end: 18, n: 4 },
      { start: 19, end: 20, n: 5 },
      { start: 27, end: 28, n: 1 },
      { start: 29, end: 31, n: 12 },
    ]);
  });

  test('spaces inside the bracket are allowed', () => {
    expect(shown('[ 2 ] and [ 1 , 3 ]')).toEqual([
      [2, '[ 2 ]'],
      [1, '1'],
      [3, '3'],
    ]);
  });

  test('a range cites every number in it; the unwritten ones have an empty span after the dash', () => {
    const text = 'x [1-4] y';
    expect(findCitations(text, 5)).toEqual([
      { start: 3, end: 4, n: 1 },
      { start: 5, end: 5, n: 2 },
      { start: 5, end: 5, n: 3 },
      { start: 5, end: 6, n: 4 },
    ]);
    expect(shown('[2 – 3]')).toEqual([
      [2, '2'],
      [3, '3'],
    ]);
  });

  test('numbers outside 1..max are not citations', () => {
    expect(shown('in [2024] and [0] and [4]', 3)).toEqual([]);
    expect(shown('[3]', 3)).toEqual([[3, '[3]']]);
    expect(shown('[1]', 1)).toEqual([[1, '[1]']]);
  });

  test('numbers of several digits', () => {
    expect(shown('[10] [10, 11] [10-12]', 12)).toEqual([
      [10, '[10]'],
      [10, '10'],
      [11, '11'],
      [10, '10'],
      [11, ''],
      [12, '12'],
    ]);
  });

  test('a list keeps its valid numbers', () => {
    expect(shown('[1, 7, 2]', 3)).toEqual([
      [1, '1'],
      [2, '2'],
    ]);
  });

  test('a range with an end out of bounds, or backwards or empty, is not a citation', () => {
    expect(shown('[1-9]', 5)).toEqual([]);
    expect(shown('[0-2]', 5)).toEqual([]);
    expect(shown('[3-1]', 5)).toEqual([]);
    expect(shown('[2-2]', 5)).toEqual([]);
    expect(shown('[1990-2000]', 5)).toEqual([]);
  });

  test('a Markdown link [1](url) is not a citation, nor an escaped \\[1]', () => {
    expect(shown('[1](https://example.org) and \\[2] but [3]')).toEqual([[3, '[3]']]);
  });

  test('brackets holding words are not citations', () => {
    expect(shown('[see 1] [1a] [a] [] [1,] [-1] [1--2] [,1]')).toEqual([]);
  });

  test('never inside inline code', () => {
    expect(shown('`arr[1]` and ``x[2]`` and [3]')).toEqual([[3, '[3]']]);
  });

  test('a citation right before or right after inline code is still one', () => {
    expect(shown('[1]`x` `y`[2] `[3]`')).toEqual([
      [1, '[1]'],
      [2, '[2]'],
    ]);
  });

  test('the second of two code spans hides its reference too', () => {
    expect(shown('`a` `[1]` [2]')).toEqual([[2, '[2]']]);
  });

  test('strike-through tildes are not a fence', () => {
    expect(shown('~~gone~~ [1]')).toEqual([[1, '[1]']]);
  });

  test('a tilde fence may have backticks in its info string; a closing fence may end in spaces', () => {
    expect(shown('~~~ a`b\n[1]\n~~~\n[2]')).toEqual([[2, '[2]']]);
    expect(shown('```\n[1]\n```  \n[2]')).toEqual([[2, '[2]']]);
  });

  test('an unmatched backtick does not hide what follows', () => {
    expect(shown('it`s [1]')).toEqual([[1, '[1]']]);
    expect(shown('``a` [1]')).toEqual([[1, '[1]']]);
  });

  test('never inside a fenced code block, closed or not', () => {
    const text = ['Use it [1].', '```ts', 'xs[2]', '```', 'and [3]', '~~~~', 'ys[4]', '~~~', 'still code [5]'].join('\n');
    expect(shown(text)).toEqual([
      [1, '[1]'],
      [3, '[3]'],
    ]);
  });

  test('no text, no citations', () => {
    expect(findCitations('', 5)).toEqual([]);
    expect(findCitations('[1]', 0)).toEqual([]);
  });
});

describe('codeRanges', () => {
  test('a fence closes only with the same character, at least as long, and nothing after it', () => {
    const text = '````\na\n```\n~~~~\n```` x\n````\nb';
    // The fence opened at 0 ends with the line '````' (23..27): ``` is too short, ~~~~ the wrong character, '```` x' has text after it.
    expect(codeRanges(text)).toEqual([[0, 27]]);
  });

  test('a fence may be indented up to three spaces', () => {
    expect(codeRanges('   ```\nx\n   ```\ny')).toEqual([[0, 15]]);
    expect(codeRanges('    ```\nx')).toEqual([]);
  });

  test('a backtick fence with a backtick in its info string is inline code, not a fence', () => {
    expect(codeRanges('``` a`b ```\n[1]')).toEqual([[0, 11]]);
  });

  test('code spans before and after a fence are found, at their offsets in the whole text', () => {
    const text = '`a`\n```\nb\n```\n`c`';
    expect(codeRanges(text)).toEqual([
      [0, 3],
      [4, 13],
      [14, 17],
    ]);
  });

  test('an inline span needs a closing run of exactly the same length', () => {
    expect(codeRanges('``a`b``')).toEqual([[0, 7]]);
    expect(codeRanges('`a``b`')).toEqual([[0, 6]]);
  });
});
