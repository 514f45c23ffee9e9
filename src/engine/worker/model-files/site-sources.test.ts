// The site file at a worker start: read when online, kept for offline starts, forgotten when the
// site stops publishing it, and never an error when it is absent.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHandlers } from '../handler';
import { loadSiteSources } from './site-sources';

const FILE = 'https://ai.corp/airgap-site.json';
const SITE = JSON.stringify({ modelSources: ['models/app-config.json'] });

/** Cache Storage with what site-sources.ts uses: has, open, match with a cacheName. */
function fakeCaches() {
  const stores = new Map<string, Map<string, string>>();
  const open = async (name: string) => {
    const m = stores.get(name) ?? new Map<string, string>();
    stores.set(name, m);
    return {
      put: async (url: string, r: Response) => void m.set(url, await r.text()),
      delete: async (url: string) => m.delete(url),
    };
  };
  return {
    stores,
    has: async (name: string) => stores.has(name),
    open,
    match: async (url: string, o: { cacheName: string }) => {
      const t = stores.get(o.cacheName)?.get(url);
      return t === undefined ? undefined : new Response(t);
    },
  };
}

let caches: ReturnType<typeof fakeCaches>;
let online = true;
const fetchMock = vi.fn<(url: string) => Promise<Response>>();

beforeEach(() => {
  caches = fakeCaches();
  online = true;
  fetchMock.mockReset();
  vi.stubGlobal('caches', caches);
  vi.stubGlobal('navigator', {
    get onLine() {
      return online;
    },
  });
  vi.stubGlobal('fetch', fetchMock);
});
afterEach(() => vi.unstubAllGlobals());

describe('site sources', () => {
  it('reads the site file online and offers its sources, then an offline start reads the copy without a request', async () => {
    fetchMock.mockResolvedValue(new Response(SITE));
    expect(await loadSiteSources(FILE)).toEqual(['https://ai.corp/models/app-config.json']);
    online = false;
    fetchMock.mockClear();
    expect(await loadSiteSources(FILE)).toEqual(['https://ai.corp/models/app-config.json']);
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('an ordinary deployment (404, or an SPA host answering with index.html) has none, and forgets an old copy', async () => {
    fetchMock.mockResolvedValueOnce(new Response(SITE));
    await loadSiteSources(FILE);
    fetchMock.mockResolvedValueOnce(new Response('<!doctype html><html></html>', { headers: { 'content-type': 'text/html' } }));
    expect(await loadSiteSources(FILE)).toEqual([]);
    online = false;
    expect(await loadSiteSources(FILE)).toEqual([]);
    online = true;
    fetchMock.mockResolvedValueOnce(new Response('not found', { status: 404 }));
    expect(await loadSiteSources(FILE)).toEqual([]);
  });

  it('a server error or an unreachable server keeps the copy from the last start', async () => {
    fetchMock.mockResolvedValueOnce(new Response(SITE));
    await loadSiteSources(FILE);
    fetchMock.mockResolvedValueOnce(new Response('down', { status: 503 }));
    expect(await loadSiteSources(FILE)).toEqual(['https://ai.corp/models/app-config.json']);
    fetchMock.mockRejectedValueOnce(new TypeError('Failed to fetch'));
    expect(await loadSiteSources(FILE)).toEqual(['https://ai.corp/models/app-config.json']);
  });

  it('offline with no copy: none, and no request', async () => {
    online = false;
    expect(await loadSiteSources(FILE)).toEqual([]);
    expect(fetchMock).not.toHaveBeenCalled();
  });
});

describe('hello with a site file', () => {
  const config = (host: string) =>
    JSON.stringify({ model_list: [{ model_id: 'm', model: `https://${host}/m`, model_lib: `https://${host}/m.wasm` }] });

  it("offers the site's sources first, marked as the site's, beside the user's", async () => {
    const user = 'https://mirror.example/app-config.json';
    fetchMock.mockImplementation(
      async (url) => new Response(url === FILE ? SITE : url === user ? config('mirror.example') : config('ai.corp')),
    );
    const h = createHandlers('0.0.0-test', 'https://ai.corp/assets/worker.js');
    const hello = await h.hello({ engine: 'reference', siteFile: FILE, modelSources: [user] }, () => {});
    expect(hello.sources).toEqual([
      { url: 'https://ai.corp/models/app-config.json', modelIds: ['m'], site: true },
      { url: user, modelIds: ['m'] },
    ]);
  });

  it('without a site file (an ordinary deployment) nothing changes and no error is reported', async () => {
    fetchMock.mockResolvedValue(new Response('not found', { status: 404 }));
    const h = createHandlers('0.0.0-test', 'https://ai.corp/assets/worker.js');
    expect((await h.hello({ engine: 'reference', siteFile: FILE }, () => {})).sources).toEqual([]);
  });
});
