import { describe, expect, test } from 'vitest';
import { splitPages, splitPassages } from './passages';

const texts = (ps: { text: string }[]) => ps.map((p) => p.text);

describe('splitPassages: headings', () => {
  test('the heading path joins the enclosing headings', () => {
    const doc = '# Contract\n\nIntro.\n\n## 4. Payment\n\nDue in 30 days.\n\n### 4.1 Late\n\nFees.\n\n## 5. End ##\n\nBye.';
    expect(splitPassages(doc)).toEqual([
      { text: 'Intro.', heading: 'Contract' },
      { text: 'Due in 30 days.', heading: 'Contract › 4. Payment' },
      { text: 'Fees.', heading: 'Contract › 4. Payment › 4.1 Late' },
      { text: 'Bye.', heading: 'Contract › 5. End' },
    ]);
  });

  test('passages without heading or page have no such keys', () => {
    expect(splitPassages('a')).toStrictEqual([{ text: 'a' }]);
    expect(splitPassages('a', { targetChars: 1, overlapChars: 0 })).toStrictEqual([{ text: 'a' }]);
    expect(splitPages([{ page: 2, text: '# H\nb' }])).toStrictEqual([{ text: 'b', heading: 'H', page: 2 }]);
  });

  test('only a # run at the start of a line (after up to three spaces) opens a heading', () => {
    expect(splitPassages('I use C# daily\n\n   ## Three\n\nx')).toStrictEqual([
      { text: 'I use C# daily' },
      { text: 'x', heading: 'Three' },
    ]);
    expect(texts(splitPassages('    # four spaces'))).toEqual(['# four spaces']);
  });

  test('a closing # run needs a space before it; "C#" is part of the title', () => {
    expect(splitPassages('## C#\nx')).toStrictEqual([{ text: 'x', heading: 'C#' }]);
    expect(splitPassages('#  Wide   title  ###  \nx')).toStrictEqual([{ text: 'x', heading: 'Wide title' }]);
  });

  test('a heading ends the paragraph before it even without a blank line', () => {
    expect(splitPassages('a\n# H\nb')).toEqual([{ text: 'a' }, { text: 'b', heading: 'H' }]);
  });

  test('a skipped level leaves no empty step in the path', () => {
    expect(splitPassages('# A\n### C\nx')).toEqual([{ text: 'x', heading: 'A › C' }]);
    expect(splitPassages('## B\nx\n# A\ny')).toEqual([
      { text: 'x', heading: 'B' },
      { text: 'y', heading: 'A' },
    ]);
  });

  test('setext headings (=== and --- under one line) count too', () => {
    expect(splitPassages('Title\n=====\n\nx\n\nPart\n---\ny')).toEqual([
      { text: 'x', heading: 'Title' },
      { text: 'y', heading: 'Title › Part' },
    ]);
    expect(texts(splitPassages('two\nlines\n---\nz'))).toEqual(['two lines --- z']);
    expect(splitPassages('Title\n===  \nx')).toStrictEqual([{ text: 'x', heading: 'Title' }]);
    expect(texts(splitPassages('Title\nfoo ===\n\nT\n== x'))).toEqual(['Title foo ===\n\nT == x']);
  });

  test('"#word" and # inside a fenced block are not headings', () => {
    expect(splitPassages('#tag text\n\n```\n# comment\n```\n\n# Real\nx')).toEqual([
      { text: '#tag text\n\n``` # comment ```' },
      { text: 'x', heading: 'Real' },
    ]);
  });

  test('a fence opens only at the start of a line, with three or more marks', () => {
    expect(splitPassages('say ``` here\n~approx\n# H\nx')).toStrictEqual([{ text: 'say ``` here ~approx' }, { text: 'x', heading: 'H' }]);
  });

  test('a fence closes only with the same character, at least as long', () => {
    expect(texts(splitPassages('````\n```\n# a\n~~~~\n````\n# b\nx'))).toEqual(['```` ``` # a ~~~~ ````', 'x']);
  });

  test('with headings off, # lines are text (source code)', () => {
    expect(splitPassages('# comment\nx = 1', { headings: false })).toEqual([{ text: '# comment x = 1' }]);
  });

  test('a heading with no text under it gives no passage; an empty heading gives no path', () => {
    expect(splitPassages('# A\n\n# B\n\nb')).toEqual([{ text: 'b', heading: 'B' }]);
    expect(splitPassages('#\nx')).toEqual([{ text: 'x' }]);
  });
});
