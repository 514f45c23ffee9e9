import { describe, expect, it } from 'vitest';
import { parseSiteFile, siteFileUrl } from './site';

describe('site file', () => {
  it('sits beside index.html', () => {
    expect(siteFileUrl('https://ai.corp/?engine=reference')).toBe('https://ai.corp/airgap-site.json');
    expect(siteFileUrl('https://ai.corp/airgap/index.html#x')).toBe('https://ai.corp/airgap/airgap-site.json');
    expect(siteFileUrl('https://ai.corp/airgap/')).toBe('https://ai.corp/airgap/airgap-site.json');
  });

  it('resolves sources relative to the site file, once each', () => {
    const file = 'https://ai.corp/airgap/airgap-site.json';
    expect(parseSiteFile({ modelSources: ['models/app-config.json', './models/app-config.json', '/m2/'] }, file)).toEqual([
      'https://ai.corp/airgap/models/app-config.json',
      'https://ai.corp/m2/',
    ]);
  });

  it('keeps only sources on the app origin', () => {
    const file = 'https://ai.corp/airgap-site.json';
    expect(
      parseSiteFile({ modelSources: ['https://evil.example/app-config.json', '//evil.example/x', 'models/app-config.json', 7, ''] }, file),
    ).toEqual(['https://ai.corp/models/app-config.json']);
  });

  it('refuses what is not a site file (an SPA host answers a missing file with index.html)', () => {
    expect(() => parseSiteFile(null, 'https://a/airgap-site.json')).toThrow(/modelSources/);
    expect(() => parseSiteFile({ model_list: [] }, 'https://a/airgap-site.json')).toThrow(/modelSources/);
  });
});
