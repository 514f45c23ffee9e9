// Custom model sources: app-config discovery and record validation.
import { describe, expect, it } from 'vitest';
import { configUrlOf, parseSource } from './sources';

describe('model sources', () => {
  it('finds the app config from a URL or a mirror base', () => {
    expect(configUrlOf('https://m.example/cfg.json')).toBe('https://m.example/cfg.json');
    expect(configUrlOf('https://m.example/mirror')).toBe('https://m.example/mirror/app-config.json');
    expect(configUrlOf('https://m.example/mirror/')).toBe('https://m.example/mirror/app-config.json');
  });

  it('validates records and resolves relative locations against the config', () => {
    const recs = parseSource(
      { model_list: [{ model_id: 'a', model: 'models/a', model_lib: '../libs/a.wasm' }] },
      'https://m.example/x/app-config.json',
    );
    expect(recs[0]).toMatchObject({ model: 'https://m.example/x/models/a', model_lib: 'https://m.example/libs/a.wasm' });
    expect(() => parseSource({}, 'https://m.example/c.json')).toThrow(/model_list/);
    expect(() => parseSource({ model_list: [] }, 'https://m.example/c.json')).toThrow(/empty/);
    expect(() => parseSource({ model_list: [{ model_id: 'a', model: 'm' }] }, 'https://m.example/c.json')).toThrow(
      /model 1 has no "model_lib"/,
    );
  });
});
