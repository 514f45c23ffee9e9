// The documents state and retrieval against an in-memory stand-in for the documents worker: when the
// worker starts, which files are refused before reading and in what words, progress rows, vectors
// moved between the workers, and what a reply is given.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AddProgress, CollectionId, DocInfo, DocsCalls, Passage } from '../../docs/protocol';
import type { EmbedResult } from '../../engine/protocol';
import { createConversation, type Conversation } from '../../lib/conversation';
import { chatRequest } from './chat-request';
import { DocumentsState } from './documents.svelte';
import type { DocsCaller } from './documents-types';
import { retriever } from './retrieval';

class FakeDocs implements DocsCaller {
  docs: DocInfo[] = [];
  pending: { passageId: string; text: string }[] = [];
  vectors: string[] = [];
  searches: DocsCalls['search']['params'][] = [];
  results: Passage[] = [];
  /** Released by the test to finish an add. */
  release: () => void = () => {};
  hold = false;
  calls: string[] = [];
  deleted: CollectionId[] = [];

  async call<K extends keyof DocsCalls>(kind: K, params: DocsCalls[K]['params'], onEvent?: (e: DocsCalls[K]['event']) => void) {
    this.calls.push(kind);
    const p = params as never;
    const answer = await this.#answer(kind, p, onEvent as ((e: AddProgress) => void) | undefined);
    return answer as DocsCalls[K]['result'];
  }

  async #answer(kind: keyof DocsCalls, p: never, onEvent?: (e: AddProgress) => void): Promise<unknown> {
    switch (kind) {
      case 'add': {
        const { collection, files } = p as DocsCalls['add']['params'];
        for (const f of files) onEvent?.({ docId: f.name, name: f.name, state: 'reading', fraction: 0.5 });
        if (this.hold) await new Promise<void>((r) => (this.release = r));
        const added = files.map((f) => doc(collection, f.name, f.name.endsWith('.bad') ? 'error' : 'ready'));
        this.docs.push(...added.filter((d) => d.state !== 'error'));
        return added;
      }
      case 'list':
        return this.docs.filter((d) => d.collection === (p as DocsCalls['list']['params']).collection);
      case 'pendingVectors':
        return this.pending.splice(0, (p as DocsCalls['pendingVectors']['params']).limit);
      case 'putVectors':
        this.vectors.push(...(p as DocsCalls['putVectors']['params']).vectors.map((v) => v.passageId));
        return null;
      case 'deleteCollection': {
        const { collection } = p as DocsCalls['deleteCollection']['params'];
        this.deleted.push(collection);
        this.docs = this.docs.filter((d) => d.collection !== collection);
        return null;
      }
      case 'usage':
        return [];
      case 'search':
        this.searches.push(p);
        return this.results;
      default:
        return null;
    }
  }
}

function doc(collection: CollectionId, name: string, state: DocInfo['state']): DocInfo {
  const problem = state === 'error' ? 'This PDF has no text layer (scanned?): nothing could be read.' : undefined;
  return {
    id: `id-${name}`,
    collection,
    name,
    kind: 'text',
    bytes: 10,
    sha256: '',
    state,
    passages: state === 'ready' ? 3 : 0,
    chars: 30,
    vectors: false,
    addedAt: 0,
    ...(problem && { problem }),
  };
}

const file = (name: string, bytes: number) => new File([new Uint8Array(bytes)], name);
const vec = (n: number): EmbedResult => ({ model: 'ref', dims: 2, vectors: Array.from({ length: n }, () => new Float32Array([1, 0])) });

function setup(o: { embed?: boolean; maxBytes?: number } = {}) {
  const fake = new FakeDocs();
  let starts = 0;
  const embedded: string[][] = [];
  const docs = new DocumentsState(
    () => (starts++, fake),
    async (texts, query) => (embedded.push(query ? ['query:', ...texts] : texts), o.embed ? vec(texts.length) : null),
    o.maxBytes,
  );
  return { fake, docs, embedded, starts: () => starts };
}

const C: CollectionId = 'conv:c1';

describe('DocumentsState', () => {
  it('starts the documents worker only when documents are needed', async () => {
    const { docs, starts } = setup();
    expect(await docs.load(C)).toEqual([]);
    expect(starts()).toBe(0);
    await docs.add(C, [file('a.txt', 5)]);
    expect(starts()).toBe(1);
    expect(docs.docs(C).map((d) => d.name)).toEqual(['a.txt']);
  });

  it('refuses empty and too-large files in words, before reading, and reads the rest', async () => {
    const { docs, fake } = setup({ maxBytes: 100 });
    await docs.add(C, [file('empty.txt', 0), file('big.pdf', 101), file('ok.md', 50)]);
    expect(docs.refused(C)).toEqual([
      { name: 'empty.txt', reason: '“empty.txt” is empty (0 bytes): there is nothing in it to read.' },
      {
        name: 'big.pdf',
        reason: '“big.pdf” is 101 bytes; the largest document accepted is 100 bytes. Split it into smaller files and add those.',
      },
    ]);
    expect(docs.docs(C).map((d) => d.name)).toEqual(['ok.md']);
    expect(fake.calls.filter((c) => c === 'add')).toHaveLength(1);
  });

  it('shows a file as it is read, then the worker’s reason when it could not be', async () => {
    const { docs, fake } = setup();
    fake.hold = true;
    const adding = docs.add(C, [file('scan.bad', 9)]);
    await Promise.resolve();
    await new Promise((r) => setTimeout(r, 0));
    expect(docs.adding(C)).toEqual([{ name: 'scan.bad', state: 'reading', fraction: 0.5 }]);
    fake.release();
    await adding;
    expect(docs.adding(C)).toEqual([]);
    expect(docs.refused(C)).toEqual([{ name: 'scan.bad', reason: 'This PDF has no text layer (scanned?): nothing could be read.' }]);
    expect(docs.said).toMatch(/scan\.bad could not be read: This PDF has no text layer/);
  });

  it('moves vectors from the engine to passages indexed without them, and stops without an embedder', async () => {
    const withEmbedder = setup({ embed: true });
    withEmbedder.fake.pending = Array.from({ length: 40 }, (_, i) => ({ passageId: `p${i}`, text: `t${i}` }));
    await withEmbedder.docs.add(C, [file('a.txt', 5)]);
    expect(withEmbedder.fake.vectors).toHaveLength(40);
    expect(withEmbedder.embedded.map((b) => b.length)).toEqual([32, 8]);

    const without = setup({ embed: false });
    without.fake.pending = [{ passageId: 'p0', text: 't0' }];
    await without.docs.add(C, [file('a.txt', 5)]);
    expect(without.fake.vectors).toEqual([]);
  });

  it('searches with the query vector when the engine embeds, by keywords otherwise', async () => {
    for (const embed of [true, false]) {
      const { docs, fake, embedded } = setup({ embed });
      await docs.add(C, [file('a.txt', 5)]);
      await docs.search([C], 'payment terms', 4);
      expect(embedded.at(-1)).toEqual(['query:', 'payment terms']);
      expect(fake.searches.at(-1)).toMatchObject({ collections: [C], query: 'payment terms', k: 4 });
      expect(fake.searches.at(-1)!.queryVector !== undefined).toBe(embed);
    }
  });
});

describe('documents of deleted conversations', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('are deleted at start for conversations that no longer exist, and only those; a conversation without documents starts nothing', async () => {
    const saved = new Map<string, string>();
    vi.stubGlobal('localStorage', { getItem: (k: string) => saved.get(k) ?? null, setItem: (k: string, v: string) => saved.set(k, v) });
    const first = setup();
    await first.docs.add('conv:a', [file('a.txt', 5)]);
    await first.docs.add('conv:b', [file('b.txt', 5)]);
    // The next visit: conversation b was deleted in the meantime.
    const next = setup();
    next.fake.docs = first.fake.docs;
    await next.docs.sweep(new Set(['a']));
    expect(next.fake.deleted).toEqual(['conv:b']);
    expect(next.fake.docs.map((d) => d.collection)).toEqual(['conv:a']);
    await next.docs.sweep(new Set(['a']));
    expect(next.fake.deleted).toEqual(['conv:b']);

    const untouched = setup();
    await untouched.docs.forget('conv:never');
    expect(untouched.starts()).toBe(0);
  });
});

describe('retrieval for a reply', () => {
  const passage = (n: number, text: string): Passage => ({
    n,
    docId: 'd',
    docName: 'contract.md',
    passageId: `p${n}`,
    text,
    page: 2,
    score: 1 / n,
  });
  const conversationWith = (settings?: Conversation['settings']): Conversation => ({
    ...createConversation(0),
    id: 'c1',
    messages: [{ id: 'u', role: 'user', content: 'When is payment due?', state: 'done', createdAt: 0 }],
    ...(settings && { settings }),
  });

  it('gives the passages that fit, numbered from 1, and none when retrieval is off for the conversation', async () => {
    const { docs, fake } = setup();
    await docs.add(C, [file('contract.md', 5)]);
    fake.results = [passage(1, 'Payment is due in 30 days.'), passage(2, 'x'.repeat(40_000))];
    const r = retriever(docs);
    const got = await r.find(conversationWith({ passages: 2 }), 'When is payment due?', { contextWindow: 4096, systemPrompt: '' });
    expect(fake.searches.at(-1)!.k).toBe(2);
    expect(got?.sources).toEqual([
      { n: 1, docId: 'd', docName: 'contract.md', passageId: 'p1', text: 'Payment is due in 30 days.', page: 2 },
    ]);
    expect(got?.prompt).toContain('[1] contract.md, p. 2\nPayment is due in 30 days.');
    expect(await r.find(conversationWith({ retrieval: false }), 'q', { contextWindow: 4096, systemPrompt: '' })).toBeUndefined();
  });

  it('searches the named collections attached to the conversation with its own documents', async () => {
    const { docs, fake } = setup();
    await docs.add('named:Contracts', [file('contract.md', 5)]);
    fake.results = [passage(1, 'Payment is due in 30 days.')];
    const got = await retriever(docs).find(conversationWith({ collections: ['Contracts', 'Unknown'] }), 'payment', {
      contextWindow: 4096,
      systemPrompt: '',
    });
    expect(fake.searches.at(-1)!.collections).toEqual(['named:Contracts']);
    expect(got?.sources.map((s) => s.docName)).toEqual(['contract.md']);
  });

  it('puts the sources after the system prompt in the system message', () => {
    const c = conversationWith();
    const settings = { systemPrompt: 'Be brief.', temperature: 0.7, topP: 1, overflow: 'drop-oldest' as const };
    const req = chatRequest(c, 'm', settings, { mode: 'off' } as never, false, 'SOURCES');
    expect(req.messages[0]).toEqual({ role: 'system', content: 'Be brief.\n\nSOURCES' });
    expect(chatRequest(c, 'm', settings, { mode: 'off' } as never).messages[0]).toEqual({ role: 'system', content: 'Be brief.' });
  });
});
