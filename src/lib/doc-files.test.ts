import { describe, expect, it } from 'vitest';
import { MAX_DOC_BYTES, addOutcome, conversationCollection, estimateTokens, fileProblem, sizeText, sourcesBudget } from './doc-files';

describe('doc-files', () => {
  it('names a conversation collection', () => {
    expect(conversationCollection('abc')).toBe('conv:abc');
  });
  it('refuses an empty file and a too-large one in words naming the file', () => {
    expect(fileProblem('a.txt', 0)).toMatch(/“a\.txt” is empty \(0 bytes\)/);
    expect(fileProblem('big.pdf', 200 * 1024 * 1024)).toBe(
      '“big.pdf” is 200 MB; the largest document accepted is 100 MB. Split it into smaller files and add those.',
    );
    expect(fileProblem('ok.md', MAX_DOC_BYTES)).toBeUndefined();
    expect(fileProblem('ok.md', 2048, 1024)).toMatch(/2 KB; the largest document accepted is 1 KB/);
  });
  it('reads sizes', () => {
    expect(sizeText(1)).toBe('1 byte');
    expect(sizeText(900)).toBe('900 bytes');
    expect(sizeText(1536)).toBe('2 KB');
    expect(sizeText(1.5 * 1024 * 1024)).toBe('1.5 MB');
  });
  it('budgets the sources: window less reply room less the conversation, never negative', () => {
    expect(estimateTokens('abcdefgh')).toBe(2);
    // 4096 window: a quarter (1024) for the reply, 400 characters ≈ 100 tokens of conversation.
    expect(sourcesBudget(400, 4096)).toBe(4096 - 1024 - 100);
    expect(sourcesBudget(400, 4096, 512)).toBe(4096 - 512 - 100);
    expect(sourcesBudget(1_000_000, 4096)).toBe(0);
  });

  it('reports an add: failures with their reason, one sentence per file', () => {
    const r = addOutcome([
      { name: 'a.md', state: 'ready', passages: 1 },
      { name: 'b.pdf', state: 'ready', passages: 3, problem: 'page 2 has no text layer (scanned?)' },
      { name: 'c.pdf', state: 'error', passages: 0, problem: '"c.pdf" has no text layer: a scanned PDF? nothing could be read' },
      { name: 'd.txt', state: 'error', passages: 0 },
    ]);
    expect(r.failed).toEqual([
      { name: 'c.pdf', reason: '"c.pdf" has no text layer: a scanned PDF? nothing could be read' },
      { name: 'd.txt', reason: '“d.txt” could not be read.' },
    ]);
    expect(r.said).toBe(
      'a.md ready: 1 passage. b.pdf ready: 3 passages. page 2 has no text layer (scanned?) ' +
        'c.pdf could not be read: "c.pdf" has no text layer: a scanned PDF? nothing could be read d.txt could not be read: “d.txt” could not be read.',
    );
  });
});
