import { describe, expect, it } from 'vitest';
import { BGFETCH_STAGED, bgFetchId, downloadTotal, filesToFetch, isOurBgFetch, isStagedMessage } from './background';

describe('background fetch', () => {
  it('one registration id per model, recognised as ours', () => {
    expect(bgFetchId('m-1')).toBe('airgap-download:m-1');
    expect(isOurBgFetch(bgFetchId('m-1'))).toBe(true);
    expect(isOurBgFetch('someone-else')).toBe(false);
  });

  it('fetches only the files not stored, with a total only when every size is known', () => {
    const files = [
      { url: 'a', state: 'skipped', bytesTotal: 5 },
      { url: 'b', state: 'done', bytesTotal: 5 },
      { url: 'c', state: 'queued', bytesTotal: 7 },
      { url: 'd', state: 'failed', bytesTotal: 3 },
    ];
    expect(filesToFetch(files).map((f) => f.url)).toEqual(['c', 'd']);
    expect(downloadTotal(filesToFetch(files))).toBe(10);
    expect(downloadTotal([...files, { url: 'e', state: 'queued' }])).toBe(0);
    expect(downloadTotal([{ url: 'e', state: 'queued', bytesTotal: 0 }])).toBe(0);
    expect(downloadTotal([])).toBe(0);
  });

  it('reads the staged message and nothing else', () => {
    expect(isStagedMessage({ type: BGFETCH_STAGED, id: 'x', result: 'success' })).toBe(true);
    expect(isStagedMessage({ type: BGFETCH_STAGED, id: 'x', result: 'maybe' })).toBe(false);
    expect(isStagedMessage({ type: 'SKIP_WAITING' })).toBe(false);
    expect(isStagedMessage(null)).toBe(false);
  });
});
