// Page state of private documents: each collection's documents as the documents worker lists them,
// adding files with progress (pause, resume, cancel), the files refused and why, deleting, the
// stored size per collection, and retrieval for a reply. The worker (src/docs/worker/) is started
// the first time any of this is needed, never at start; which collections have documents is
// remembered in localStorage so a conversation's list shows after a reload without asking first.
// Vectors move between the two workers here: pendingVectors → engine embed → putVectors.

import type { AddProgress, CollectionId, DocInfo, DocsCalls, Passage } from '../../docs/protocol';
import { addOutcome, fileProblem, MAX_DOC_BYTES } from '../../lib/doc-files';
import { CollectionMarks } from './doc-marks.svelte';
import type { AddingFile, DocsCaller, Embed, RefusedFile } from './documents-types';

/** Passages embedded per engine call: small enough to keep a reply waiting only briefly. */
const EMBED_BATCH = 32;
/** Batches of a backlog embedded before one reply at the most; later replies take the rest. */
const EMBED_BATCHES_PER_REPLY = 4;

export class DocumentsState {
  readonly #start: () => DocsCaller;
  readonly #embed: Embed;
  readonly #maxBytes: number;
  #client: DocsCaller | undefined;
  #lists = $state.raw<Readonly<Record<string, DocInfo[]>>>({});
  #adding = $state.raw<Readonly<Record<string, AddingFile[]>>>({});
  #refused = $state.raw<Readonly<Record<string, RefusedFile[]>>>({});
  #usage = $state.raw<DocsCalls['usage']['result'] | undefined>(undefined);
  #paused = $state(false);
  /** The latest thing to tell a screen reader (the polite region under the list reads it). */
  #said = $state('');
  /** Adds run one after another (the worker reads one batch at a time). */
  #queue: Promise<unknown> = Promise.resolve();
  #loading = new Map<string, Promise<DocInfo[]>>();
  readonly #marks = new CollectionMarks();

  constructor(start: () => DocsCaller, embed: Embed, maxBytes = MAX_DOC_BYTES) {
    this.#start = start;
    this.#embed = embed;
    this.#maxBytes = maxBytes;
  }

  /** Names of the named collections this browser has documents in. */
  get namedCollections(): string[] {
    return this.#marks.named;
  }
  get paused(): boolean {
    return this.#paused;
  }
  get said(): string {
    return this.#said;
  }
  get usage(): DocsCalls['usage']['result'] | undefined {
    return this.#usage;
  }

  #worker(): DocsCaller {
    return (this.#client ??= this.#start());
  }

  /** The documents of `collection` as last listed (empty before it was loaded). */
  docs(collection: CollectionId): DocInfo[] {
    return this.#lists[collection] ?? [];
  }
  adding(collection: CollectionId): AddingFile[] {
    return this.#adding[collection] ?? [];
  }
  refused(collection: CollectionId): RefusedFile[] {
    return this.#refused[collection] ?? [];
  }
  /** Documents that can be searched now. */
  ready(collection: CollectionId): DocInfo[] {
    return this.docs(collection).filter((d) => d.state === 'ready' && d.passages > 0);
  }
  /** May have documents (listed, or remembered from an earlier visit). */
  mayHave(collection: CollectionId): boolean {
    return this.docs(collection).length > 0 || this.#marks.has(collection);
  }

  /** Lists `collection`, starting the worker only when it is known to have documents (or `force`). */
  load(collection: CollectionId, force = false): Promise<DocInfo[]> {
    if (!force && !this.#client && !this.#marks.has(collection)) return Promise.resolve([]);
    const pending = this.#loading.get(collection);
    if (pending) return pending;
    const p = this.#worker()
      .call('list', { collection })
      .then((docs) => {
        this.#setList(collection, docs);
        return docs;
      })
      .finally(() => this.#loading.delete(collection));
    this.#loading.set(collection, p);
    return p;
  }

  /** Adds `files` to `collection`: empty and too-large files are refused at once, the rest read in the worker. */
  add(collection: CollectionId, files: readonly File[]): Promise<void> {
    const refused: RefusedFile[] = [];
    const accepted: File[] = [];
    for (const f of files) {
      const reason = fileProblem(f.name, f.size, this.#maxBytes);
      if (reason) refused.push({ name: f.name, reason });
      else accepted.push(f);
    }
    // A file refused earlier and added again replaces its old message.
    const names = new Set(files.map((f) => f.name));
    this.#setRefused(collection, [...this.refused(collection).filter((r) => !names.has(r.name)), ...refused]);
    if (refused.length) this.#said = refused.map((r) => r.reason).join(' ');
    if (!accepted.length) return Promise.resolve();
    this.#setAdding(collection, [
      ...this.adding(collection),
      ...accepted.map((f) => ({ name: f.name, state: 'waiting' as const, fraction: 0 })),
    ]);
    const run = this.#queue.then(() => this.#addNow(collection, accepted));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #addNow(collection: CollectionId, files: File[]): Promise<void> {
    const names = new Set(files.map((f) => f.name));
    const onEvent = (e: AddProgress) => {
      const rows = this.adding(collection).map((a) => (a.name === e.name ? { name: a.name, state: e.state, fraction: e.fraction } : a));
      this.#setAdding(collection, rows);
    };
    this.#said = `Reading ${files.length === 1 ? files[0]!.name : `${files.length} files`}…`;
    try {
      const done = await this.#worker().call('add', { collection, files }, onEvent);
      if (done.some((d) => d.state !== 'error')) this.#marks.set(collection, true);
      const { failed, said } = addOutcome(done);
      this.#setRefused(collection, [...this.refused(collection).filter((r) => !failed.some((f) => f.name === r.name)), ...failed]);
      this.#said = said;
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      this.#setRefused(collection, [
        ...this.refused(collection).filter((r) => !names.has(r.name)),
        ...files.map((f) => ({ name: f.name, reason: `“${f.name}” was not added: ${reason}` })),
      ]);
      this.#said = `Adding stopped: ${reason}`;
    } finally {
      this.#paused = false;
      this.#setAdding(
        collection,
        this.adding(collection).filter((a) => !names.has(a.name)),
      );
    }
    await this.load(collection, true);
    await this.embedPending(collection);
  }

  /** Pauses, resumes or cancels the add in progress. */
  async control(action: 'pause' | 'resume' | 'cancel'): Promise<void> {
    if (!this.#client) return;
    await this.#client.call('addControl', { action });
    this.#paused = action === 'pause';
    this.#said = action === 'pause' ? 'Adding paused.' : action === 'resume' ? 'Adding resumed.' : 'Adding cancelled.';
  }

  /** Gives vectors to passages indexed without them, while the engine has an embedder (`maxBatches` at the most). */
  async embedPending(collection: CollectionId, maxBatches = Infinity): Promise<void> {
    for (let batch = 0; batch < maxBatches; batch++) {
      const pending = await this.#worker().call('pendingVectors', { collection, limit: EMBED_BATCH });
      if (!pending.length) return;
      const result = await this.#embed(pending.map((p) => p.text)).catch(() => null);
      if (!result || result.vectors.length !== pending.length) return;
      await this.#worker().call('putVectors', { vectors: pending.map((p, i) => ({ passageId: p.passageId, vector: result.vectors[i]! })) });
    }
  }

  async deleteDoc(collection: CollectionId, docId: string): Promise<void> {
    const doc = this.docs(collection).find((d) => d.id === docId);
    await this.#worker().call('deleteDoc', { docId });
    const left = await this.load(collection, true);
    if (!left.length) this.#marks.set(collection, false);
    if (doc) this.#said = `${doc.name} removed.`;
  }

  /** Forgets a refused file's message. */
  dismiss(collection: CollectionId, name: string): void {
    this.#setRefused(
      collection,
      this.refused(collection).filter((r) => r.name !== name),
    );
  }

  async deleteCollection(collection: CollectionId): Promise<void> {
    await this.#worker().call('deleteCollection', { collection });
    this.#marks.set(collection, false);
    this.#setList(collection, []);
    this.#setRefused(collection, []);
    await this.refreshUsage();
  }

  /** Deletes `collection` if it may have documents (without starting the worker for one that has none). */
  async forget(collection: CollectionId): Promise<void> {
    if (this.mayHave(collection)) await this.deleteCollection(collection);
  }

  /** Deletes the documents of conversations that no longer exist (deleted in a tab closed before it could). */
  async sweep(conversationIds: ReadonlySet<string>): Promise<void> {
    const orphans = this.#marks.all.filter((c) => c.startsWith('conv:') && !conversationIds.has(c.slice('conv:'.length)));
    for (const c of orphans) await this.deleteCollection(c as CollectionId);
  }

  /** The stored size per collection (starts the worker: the storage panel asked). */
  async refreshUsage(): Promise<void> {
    const usage = await this.#worker().call('usage', null);
    this.#usage = usage;
    for (const u of usage) this.#marks.set(u.collection, u.docs > 0);
  }

  /**
   * The best `k` passages of `collections` (lists already loaded) for `query`: keyword search, fused
   * with vector search when the engine embeds the query. Empty when nothing is ready to search.
   */
  async search(collections: CollectionId[], query: string, k: number): Promise<Passage[]> {
    // The caller (retrieval.ts) loaded these lists just before: only the ready ones are searched.
    const searchable = collections.filter((c) => this.ready(c).length > 0);
    if (!searchable.length || k <= 0) return [];
    const embedded = await this.#embed([query], true).catch(() => null);
    // With an embedder, passages indexed while there was none get their vectors (a bounded part per
    // reply); without one the backlog is not even looked at: keyword search only.
    if (embedded) for (const c of searchable) await this.embedPending(c, EMBED_BATCHES_PER_REPLY).catch(() => undefined);
    const queryVector = embedded?.vectors[0];
    return this.#worker().call('search', { collections: searchable, query, k, ...(queryVector ? { queryVector } : {}) });
  }

  #setList(collection: CollectionId, docs: DocInfo[]): void {
    this.#lists = { ...this.#lists, [collection]: docs };
  }
  #setAdding(collection: CollectionId, rows: AddingFile[]): void {
    this.#adding = { ...this.#adding, [collection]: rows };
  }
  #setRefused(collection: CollectionId, rows: RefusedFile[]): void {
    this.#refused = { ...this.#refused, [collection]: rows };
  }
}
