import { describe, expect, it } from 'vitest';
import { decodeEntities, htmlToText } from './html';

describe('htmlToText', () => {
  it('keeps headings as heading markers and paragraphs as paragraphs', () => {
    const html =
      '<body><h1 class="t">Annual <em>report</em></h1>\n<p>First\n  paragraph.</p><div>Second</div><h3>Notes</h3><ul><li>one</li><li>two</li></ul></body>';
    expect(htmlToText(html)).toBe('# Annual report\n\nFirst paragraph.\n\nSecond\n\n### Notes\n\none\ntwo');
  });

  it('drops scripts, styles, comments, the head and tags, even with ">" in attributes', () => {
    const html =
      '<!doctype html><html><head><title>x</title><style>p { color: red }</style></head><body><!-- hidden --><script type="module">alert("<p>")</script>' +
      '<p data-x="a > b" title=\'c>d\'>Visible <b>bold</b> text<br>next line</p><noscript>no</noscript></body></html>';
    expect(htmlToText(html)).toBe('Visible bold text\nnext line');
  });

  it('decodes entities, named and numeric, and leaves unknown ones as written', () => {
    expect(decodeEntities('Tom &amp; Jerry &lt;3 &#8364;5 &#x2014; &nbsp;&unknown;')).toBe('Tom & Jerry <3 €5 —  &unknown;');
    expect(htmlToText('<p>&lt;script&gt; is text here</p>')).toBe('<script> is text here');
  });
});
