import { afterEach, describe, expect, it } from 'vitest';
import { BGFETCH_STAGING_CACHE } from '../../../lib/download/background';
import { takeStaged } from './staged-files';

/** Cache Storage as far as takeStaged uses it, keyed by URL. */
function fakeCaches() {
  const stores = new Map<string, Map<string, Response>>();
  const open = async (name: string) => {
    if (!stores.has(name)) stores.set(name, new Map());
    const m = stores.get(name)!;
    return {
      match: async (url: string) => m.get(url)?.clone(),
      delete: async (url: string) => m.delete(url),
      put: async (url: string, r: Response) => void m.set(url, r),
    };
  };
  const match = async (url: string, o: { cacheName: string }) => stores.get(o.cacheName)?.get(url)?.clone();
  return { stores, api: { has: async (name: string) => stores.has(name), open, match } };
}

describe('takeStaged', () => {
  afterEach(() => {
    delete (globalThis as { caches?: unknown }).caches;
  });

  it('hands a staged response over once, then the network is asked', async () => {
    const fake = fakeCaches();
    (globalThis as { caches?: unknown }).caches = fake.api;
    await (await fake.api.open(BGFETCH_STAGING_CACHE)).put('https://m.example/a.bin', new Response('abc'));
    const first = await takeStaged('https://m.example/a.bin');
    expect(await first?.text()).toBe('abc');
    expect(await takeStaged('https://m.example/a.bin')).toBeUndefined();
    expect(fake.stores.get(BGFETCH_STAGING_CACHE)!.size).toBe(0);
  });

  it('leaves other staged files alone and never creates the staging cache', async () => {
    const fake = fakeCaches();
    (globalThis as { caches?: unknown }).caches = fake.api;
    expect(await takeStaged('https://m.example/a.bin')).toBeUndefined();
    expect(fake.stores.has(BGFETCH_STAGING_CACHE)).toBe(false);
    await (await fake.api.open(BGFETCH_STAGING_CACHE)).put('https://m.example/b.bin', new Response('b'));
    expect(await takeStaged('https://m.example/a.bin')).toBeUndefined();
    expect(fake.stores.get(BGFETCH_STAGING_CACHE)!.has('https://m.example/b.bin')).toBe(true);
  });

  it('drops a staged error response and answers none', async () => {
    const fake = fakeCaches();
    (globalThis as { caches?: unknown }).caches = fake.api;
    await (await fake.api.open(BGFETCH_STAGING_CACHE)).put('https://m.example/a.bin', new Response('no', { status: 500 }));
    expect(await takeStaged('https://m.example/a.bin')).toBeUndefined();
    expect(fake.stores.get(BGFETCH_STAGING_CACHE)!.size).toBe(0);
  });

  it('answers none where there is no Cache Storage', async () => {
    expect(await takeStaged('https://m.example/a.bin')).toBeUndefined();
  });
});
