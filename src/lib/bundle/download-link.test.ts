import { describe, expect, it } from 'vitest';
import { attachment, downloadId, downloadUrl } from './download-link';

describe('bundle download links', () => {
  it('carry their id under the scope, and nothing else is one', () => {
    const url = downloadUrl('https://app.example/airgap/', 'a b', 'M.airgap.tar');
    expect(url).toBe('https://app.example/airgap/bundle-download/a%20b/M.airgap.tar');
    expect(downloadId(url, 'https://app.example/airgap/')).toBe('a b');
    expect(downloadId('https://app.example/airgap/index.html', 'https://app.example/airgap/')).toBeUndefined();
    expect(downloadId(url, 'https://app.example/other/')).toBeUndefined();
    expect(downloadId('https://app.example/airgap/settings/bundle-download-help/x', 'https://app.example/airgap/')).toBeUndefined();
  });

  it('name the file in a header that cannot be broken out of', () => {
    expect(attachment('Mé "x".tar')).toBe(`attachment; filename="M_ _x_.tar"; filename*=UTF-8''M%C3%A9%20%22x%22.tar`);
  });
});
