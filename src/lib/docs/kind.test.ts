import { describe, expect, it } from 'vitest';
import { kindOf, takenFromFolder } from './kind';

describe('kindOf', () => {
  it('reads the extension first, then the type', () => {
    expect(kindOf('Report.PDF')).toBe('pdf');
    expect(kindOf('notes.md')).toBe('markdown');
    expect(kindOf('main.rs')).toBe('code');
    expect(kindOf('README', 'text/plain')).toBe('text');
    expect(kindOf('photo.png', 'image/png')).toBeUndefined();
  });
});

describe('takenFromFolder', () => {
  it('takes documents at any depth', () => {
    expect(takenFromFolder('reports/2025/minutes.docx')).toBe(true);
    expect(takenFromFolder('q1.pdf')).toBe(true);
  });
  it('leaves out hidden files, anything in a hidden folder, and kinds Airgap does not read', () => {
    expect(takenFromFolder('reports/.DS_Store')).toBe(false);
    expect(takenFromFolder('reports/.git/config.txt')).toBe(false);
    expect(takenFromFolder('reports/photo.png', 'image/png')).toBe(false);
    expect(takenFromFolder('')).toBe(false);
  });
});
