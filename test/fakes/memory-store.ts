// In-memory stand-ins for the model store's storage in unit tests: an ArtifactStore whose puts can be
// slowed down (a write that lands late) or refused (a full disk), with every write in flight awaitable,
// and a held-models index. Its putStream, like the browser stores', keeps nothing of a body that errors.
import type { ArtifactStore, StoredFile } from '../../src/engine/worker/model-files/artifact-store';
import type { HeldIndex } from '../../src/engine/worker/model-files/held-index';
import type { Scope } from '../../src/lib/download/files';

export class MemoryStore implements ArtifactStore {
  readonly backend = 'cache' as const;
  readonly files = new Map<string, ArrayBuffer>();
  readonly pending = new Set<Promise<void>>();
  puts = 0;
  failPutsFrom = Infinity;
  /** Delay before a put lands, in ms. */
  putDelayMs = 0;
  async size(scope: Scope, url: string) {
    return this.files.get(`${scope} ${url}`)?.byteLength;
  }
  async read(scope: Scope, url: string) {
    return this.files.get(`${scope} ${url}`);
  }
  put(scope: Scope, url: string, data: ArrayBuffer): Promise<void> {
    return this.#write(scope, url, async () => data);
  }
  #write(scope: Scope, url: string, read: () => Promise<ArrayBuffer>): Promise<void> {
    const p = (async () => {
      const data = await read();
      if (++this.puts >= this.failPutsFrom) throw new DOMException('quota', 'QuotaExceededError');
      if (this.putDelayMs) await new Promise((r) => setTimeout(r, this.putDelayMs));
      this.files.set(`${scope} ${url}`, data);
    })();
    const tracked = p.catch(() => {});
    this.pending.add(tracked);
    void tracked.then(() => this.pending.delete(tracked));
    return p;
  }
  /** Like Cache.put with a stream body: commits only once the body has ended without error. */
  putStream(scope: Scope, url: string, body: ReadableStream<Uint8Array>): Promise<void> {
    return this.#write(scope, url, () => new Response(body).arrayBuffer());
  }
  async remove(scope: Scope, url: string) {
    this.files.delete(`${scope} ${url}`);
  }
  async list(scope: Scope): Promise<StoredFile[]> {
    return [...this.files]
      .filter(([k]) => k.startsWith(`${scope} `))
      .map(([k, v]) => ({ url: k.slice(scope.length + 1), bytes: v.byteLength }));
  }
  async prune() {}
  /** Waits until no write is in flight. */
  async settled(): Promise<void> {
    while (this.pending.size) await Promise.all(this.pending);
  }
  paths(): string[] {
    return [...this.files.keys()].map((k) => new URL(k.split(' ')[1]!).pathname).sort();
  }
}

export function memoryHeldIndex(): HeldIndex {
  let held = new Set<string>();
  return {
    load: async () => new Set(held),
    save: async (ids) => void (held = new Set(ids)),
  };
}
