import { describe, expect, it } from 'vitest';
import type { LoadProgress } from '../protocol';
import { createHandlers } from './handler';
import { ReferenceBackend } from './reference-backend';
import { renderPrompt } from '../../lib/reference/template';
import { REFERENCE_EMBED_DIMS, REFERENCE_EMBED_MODEL, referenceEmbedding } from '../../lib/reference/embedder';

const never = () => {
  throw new Error('no events expected');
};

async function ready(tps = 2000) {
  const h = createHandlers('0.0.0-test', 'http://app.test/');
  await h.hello({ engine: 'reference', tokensPerSecond: tps }, never);
  return h;
}

describe('worker handlers with the reference engine', () => {
  it('answers hello and lists both reference models', async () => {
    const h = createHandlers('9.9.9', 'http://app.test/');
    await expect(h.catalog(null, never)).rejects.toThrow(/hello/);
    expect(await h.hello({ engine: 'reference' }, never)).toEqual({ engine: 'reference', webllmVersion: '9.9.9', sources: [] });
    const ids = (await h.catalog(null, never)).map((m) => m.id);
    expect(ids).toEqual(['reference-tiny', 'reference-draft']);
  });

  it('the device-lost hook unloads the model after the first load and tells the page; a reload works', async () => {
    const notices: unknown[] = [];
    const h = createHandlers('0.0.0-test', 'http://app.test/', (n) => notices.push(n));
    await h.hello({ engine: 'reference', tokensPerSecond: 2000, deviceLostForTest: 'after-load' }, never);
    await h.load({ modelId: 'reference-tiny', options: {} }, () => {});
    await new Promise((r) => setTimeout(r, 0));
    expect(notices).toEqual([{ kind: 'deviceLost', message: expect.stringMatching(/device was lost/) }]);
    await expect(h.chat({ modelId: 'reference-tiny', messages: [{ role: 'user', content: '/echo hi' }] }, () => {})).rejects.toMatchObject({
      name: 'ModelNotLoadedError',
    });
    await h.load({ modelId: 'reference-tiny', options: {} }, () => {});
    await new Promise((r) => setTimeout(r, 0));
    expect(notices).toHaveLength(1);
    expect((await h.chat({ modelId: 'reference-tiny', messages: [{ role: 'user', content: '/echo hi' }] }, () => {})).text).toBe('hi');
  });

  it('embeds with the reference embedder, with or without a chat model loaded: unit vectors in input order', async () => {
    const h = await ready();
    const texts = ['payment is due in thirty days', 'the patient rested', 'notice to terminate', 'tests run in Node', 'a fifth text'];
    const r = (await h.embed({ texts }, never))!;
    expect(r).toMatchObject({ model: REFERENCE_EMBED_MODEL, dims: REFERENCE_EMBED_DIMS });
    expect(r.vectors.map((v) => Array.from(v))).toEqual(texts.map((t) => Array.from(referenceEmbedding(t))));
    await h.load({ modelId: 'reference-tiny', options: {} }, () => {});
    expect((await h.embed({ texts: texts.slice(0, 1) }, never))!.vectors).toHaveLength(1);
    expect((await h.embed({ texts: [] }, never))!.vectors).toEqual([]);
  });

  it('loads with monotone progress and rejects unknown models', async () => {
    const h = await ready();
    const progress: LoadProgress[] = [];
    const r = await h.load({ modelId: 'reference-tiny', options: { contextWindow: 512 } }, (p) => progress.push(p));
    expect(r).toEqual({ modelId: 'reference-tiny', contextWindow: 512 });
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.map((p) => p.fraction)).toEqual([...progress.map((p) => p.fraction)].sort((a, b) => a - b));
    expect(progress.at(-1)!.fraction).toBe(1);
    await expect(h.load({ modelId: 'nope', options: {} }, () => {})).rejects.toMatchObject({ name: 'UnknownModelError' });
  });

  it('streams a reply whose deltas add up to the final text, reproducibly', async () => {
    const h = await ready();
    await h.load({ modelId: 'reference-tiny', options: {} }, () => {});
    const run = async () => {
      const deltas: string[] = [];
      const r = await h.chat(
        { modelId: 'reference-tiny', messages: [{ role: 'user', content: 'hello model' }], seed: 7, maxTokens: 30 },
        (e) => void ('delta' in e && deltas.push(e.delta)),
      );
      return { r, deltas };
    };
    const a = await run();
    const b = await run();
    expect(a.deltas.join('')).toBe(a.r.text);
    expect(a.r.text.length).toBeGreaterThan(0);
    expect(a.r.usage.completionTokens).toBeGreaterThan(0);
    expect(a.r.usage.completionTokens).toBeLessThanOrEqual(30);
    expect(b.r.text).toBe(a.r.text);
  });

  it('interrupt ends the reply with the partial text, and one reply runs at a time', async () => {
    const h = await ready(50);
    await h.load({ modelId: 'reference-tiny', options: {} }, () => {});
    const deltas: string[] = [];
    const pending = h.chat(
      { modelId: 'reference-tiny', messages: [{ role: 'user', content: '/echo abcdefghijklmnopqrstuvwxyz' }] },
      (e) => void ('delta' in e && deltas.push(e.delta)),
    );
    await expect(h.chat({ modelId: 'reference-tiny', messages: [] }, () => {})).rejects.toMatchObject({ name: 'EngineBusyError' });
    await new Promise((r) => setTimeout(r, 70));
    await h.interrupt(null, never);
    const r = await pending;
    expect(r.finishReason).toBe('abort');
    expect(r.text).toBe(deltas.join(''));
    expect(r.text.length).toBeGreaterThan(0);
    expect('abcdefghijklmnopqrstuvwxyz'.startsWith(r.text)).toBe(true);
    expect(r.text.length).toBeLessThan(26);
  });

  it('refuses to chat with a model that is not loaded, and after unload', async () => {
    const h = await ready();
    await expect(h.chat({ modelId: 'reference-tiny', messages: [] }, () => {})).rejects.toMatchObject({ name: 'ModelNotLoadedError' });
    await h.load({ modelId: 'reference-tiny', options: {} }, () => {});
    await h.unload(null, never);
    await expect(h.chat({ modelId: 'reference-tiny', messages: [] }, () => {})).rejects.toMatchObject({ name: 'ModelNotLoadedError' });
  });

  it('refuses, in words, a message that does not fit the context window even alone', async () => {
    const h = await ready();
    await h.load({ modelId: 'reference-tiny', options: { contextWindow: 16 } }, () => {});
    const failure = await h
      .chat({ modelId: 'reference-tiny', messages: [{ role: 'user', content: 'x'.repeat(100) }] }, () => {})
      .catch((e: unknown) => e);
    expect(failure).toMatchObject({ name: 'ContextFitError', message: expect.stringMatching(/^Your message is too long for this model/) });
  });

  it('leaves out the oldest turns to fit the window, counted with the reference template, and says how many', async () => {
    const h = await ready();
    await h.load({ modelId: 'reference-tiny', options: { contextWindow: 256 } }, () => {});
    const turn = (i: number) => [
      { role: 'user' as const, content: `/echo question ${i} ${'q'.repeat(40)}` },
      { role: 'assistant' as const, content: `answer ${i} ${'a'.repeat(40)}` },
    ];
    const messages = [
      { role: 'system' as const, content: 'sys' },
      ...[0, 1, 2, 3, 4].flatMap(turn),
      { role: 'user' as const, content: '/echo last' },
    ];
    const full = await h.countTokens({ modelId: 'reference-tiny', messages }, never);
    expect(full).toBe(renderPrompt(messages).length);
    expect(full).toBeGreaterThan(256 - 64);
    const result = await h.chat({ modelId: 'reference-tiny', messages, maxTokens: 64 }, () => {});
    expect(result.text).toBe('last');
    const kept = [messages[0]!, ...messages.slice(1 + result.dropped!)];
    expect(result.dropped).toBeGreaterThan(0);
    expect(renderPrompt(kept).length).toBeLessThanOrEqual(256 - 64);
    expect(renderPrompt([messages[0]!, ...messages.slice(1 + result.dropped! - 2)]).length).toBeGreaterThan(256 - 64);
    // "stop" leaves nothing out: the request is refused with the figures.
    await expect(h.chat({ modelId: 'reference-tiny', messages, maxTokens: 64, overflow: 'stop' }, () => {})).rejects.toMatchObject({
      name: 'ContextFitError',
      message: expect.stringContaining(`needs ${full} prompt tokens`),
    });
    // A conversation that fits is sent whole.
    expect((await h.chat({ modelId: 'reference-tiny', messages: messages.slice(-1) }, () => {})).dropped).toBe(0);
  });

  it('counts tokens only for the loaded model', async () => {
    const h = await ready();
    await expect(h.countTokens({ modelId: 'reference-tiny', messages: [] }, never)).rejects.toMatchObject({ name: 'ModelNotLoadedError' });
  });

  it('the reference engine keeps custom-source records for the model store; an id already known keeps its first record', () => {
    const b = new ReferenceBackend();
    const rec = (id: string, host: string) => ({ model_id: id, model: `https://${host}/${id}`, model_lib: `https://${host}/${id}.wasm` });
    b.addRecords([rec('x', 'a')]);
    b.addRecords([rec('x', 'b'), rec('y', 'b')]);
    expect(b.records().map((r) => [r.model_id, r.model])).toEqual([
      ['x', 'https://a/x'],
      ['y', 'https://b/y'],
    ]);
  });

  it('records removed (an imported model deleted) leave the rest as they were', () => {
    const b = new ReferenceBackend();
    const rec = (id: string) => ({ model_id: id, model: `https://a/${id}`, model_lib: `https://a/${id}.wasm` });
    b.addRecords([rec('x'), rec('y'), rec('z')], 'imported');
    b.removeRecords(['y', 'nope']);
    expect(b.records().map((r) => r.model_id)).toEqual(['x', 'z']);
  });

  it("the site's own records replace one already known, in place", () => {
    const b = new ReferenceBackend();
    const rec = (id: string, host: string) => ({ model_id: id, model: `https://${host}/${id}`, model_lib: `https://${host}/${id}.wasm` });
    b.addRecords([rec('x', 'a'), rec('y', 'a')]);
    b.addRecords([rec('x', 'site')], 'site');
    expect(b.records().map((r) => [r.model_id, r.model])).toEqual([
      ['x', 'https://site/x'],
      ['y', 'https://a/y'],
    ]);
  });
});
