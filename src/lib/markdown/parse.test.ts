import { describe, expect, it } from 'vitest';
import { markdownToHtml } from './parse';
import { remoteHost, safeHref } from './links';

describe('markdownToHtml', () => {
  it('renders GitHub-flavoured Markdown with fenced code as pre > code.language-*', () => {
    const html = markdownToHtml('**b** _i_ ~~s~~\n\n| a |\n|---|\n| 1 |\n\n```py\nprint(1)\n```\n\n> q\n\n1. x\n2. y');
    expect(html).toContain('<strong>b</strong>');
    expect(html).toContain('<del>s</del>');
    expect(html).toContain('<table>');
    expect(html).toContain('<pre><code class="language-py">print(1)\n</code></pre>');
    expect(html).toContain('<blockquote>');
    expect(html).toContain('<ol>');
  });

  it('escapes quotes in a code block language name', () => {
    expect(markdownToHtml('```js" onmouseover="alert(1)\nx\n```')).not.toContain('" onmouseover');
  });

  it('turns math into placeholders holding escaped TeX', () => {
    expect(markdownToHtml('Area $\\pi r^2$ and \\(a<b\\).')).toBe(
      '<p>Area <span class="math-inline">\\pi r^2</span> and <span class="math-inline">a&lt;b</span>.</p>\n',
    );
    expect(markdownToHtml('$$\n\\int_0^1 x\\,dx\n$$')).toBe('<div class="math-display">\\int_0^1 x\\,dx</div>\n');
    expect(markdownToHtml('\\[ x^2 \\]')).toBe('<div class="math-display">x^2</div>\n');
  });

  it('leaves prices and code alone', () => {
    for (const text of ['It costs $5 and $10.', 'From $5 to $10', 'Pay $5, get $ 3 back', 'US$5 or $6.50']) {
      expect(markdownToHtml(text), text).not.toContain('math-');
    }
    expect(markdownToHtml('`$x$` and\n\n```\n$y$\n```')).not.toContain('math-');
  });

  it('never writes an <img>: remote images become a placeholder naming the host, with a link to open it', () => {
    const html = markdownToHtml('![cat](https://img.example.com/cat.png) ![x](javascript:alert(1)) ![d](data:image/png;base64,AA)');
    expect(html).not.toContain('<img');
    expect(html).toContain('Image from img.example.com not loaded: cat');
    expect(html).toContain('href="https://img.example.com/cat.png"');
    expect(html).not.toContain('javascript:');
    expect(html).not.toContain('data:image');
  });
});

describe('safeHref', () => {
  it('keeps http(s) and mailto only', () => {
    expect(safeHref('https://a.example/x?y=1')).toBe('https://a.example/x?y=1');
    expect(safeHref('mailto:a@b.example')).toBe('mailto:a@b.example');
    for (const bad of [
      'javascript:alert(1)',
      ' JaVaScRiPt:alert(1)',
      'java\tscript:alert(1)',
      'data:text/html,x',
      'vbscript:x',
      '/relative',
      '#top',
      '',
    ]) {
      expect(safeHref(bad), bad).toBeUndefined();
    }
    expect(remoteHost('https://cdn.example:8443/a.png')).toBe('cdn.example:8443');
    expect(remoteHost('mailto:a@b.example')).toBeUndefined();
  });
});
