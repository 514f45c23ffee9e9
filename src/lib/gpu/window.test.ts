import { describe, expect, it } from 'vitest';
import { kvCacheBytes } from './kv-shapes';
import { recordContext, windowChatOptions, type WindowOverrides } from './window';

/**
 * WebLLM 0.2.86's own rule (lib/index.js 11880-11902) over the merged config
 * {...mlc-chat-config.json, ...record.overrides, ...chatOpts}: the error it would throw, if any.
 */
function webllmRefusal(chatConfig: WindowOverrides, overrides: WindowOverrides | undefined, opts: object): string | undefined {
  const m = { ...chatConfig, ...overrides, ...opts } as Required<WindowOverrides>;
  if (m.context_window_size !== -1 && m.sliding_window_size !== -1) return 'WindowSizeConfigurationError';
  if (m.sliding_window_size !== -1) return m.attention_sink_size >= 0 ? undefined : 'AttentionSinkSizeError';
  return m.context_window_size !== -1 ? undefined : 'WindowSizeSpecificationError';
}

// A Mistral-v0.1-style chat config: a 4096-token sliding window with a 4-token sink.
const SLIDING_CONFIG = { context_window_size: -1, sliding_window_size: 4096, attention_sink_size: 4 };
const PLAIN_CONFIG = { context_window_size: 4096, sliding_window_size: -1, attention_sink_size: -1 };

describe('window options for reload', () => {
  it("the options we used to pass are refused for a sliding-window model (the check is WebLLM's)", () => {
    expect(webllmRefusal(SLIDING_CONFIG, undefined, { context_window_size: 4096 })).toBe('WindowSizeConfigurationError');
  });

  it('a context within the window loads as a plain context, whatever the config says', () => {
    const o = windowChatOptions(undefined, { contextWindow: 2048, slidingWindow: 4096, attentionSink: 4 });
    expect(o).toEqual({ context_window_size: 2048, sliding_window_size: -1 });
    expect(webllmRefusal(SLIDING_CONFIG, undefined, o)).toBeUndefined();
    // Even when the page has not read the config, naming both fields keeps WebLLM's rule.
    expect(webllmRefusal(SLIDING_CONFIG, undefined, windowChatOptions(undefined, { contextWindow: 4096 }))).toBeUndefined();
  });

  it("a context beyond the window loads as the sliding window, with the config's sink", () => {
    const o = windowChatOptions(undefined, { contextWindow: 32768, slidingWindow: 4096, attentionSink: 4 });
    expect(o).toEqual({ context_window_size: -1, sliding_window_size: 4096, attention_sink_size: 4 });
    expect(webllmRefusal(SLIDING_CONFIG, undefined, o)).toBeUndefined();
  });

  it("a window set in the record's overrides is honoured; a missing sink becomes 0", () => {
    const overrides = { context_window_size: -1, sliding_window_size: 4096 };
    expect(recordContext(overrides)).toBe(4096);
    const o = windowChatOptions(overrides, { contextWindow: 8192 });
    expect(o).toEqual({ context_window_size: -1, sliding_window_size: 4096, attention_sink_size: 0 });
    expect(webllmRefusal(PLAIN_CONFIG, overrides, o)).toBeUndefined();
    expect(webllmRefusal(PLAIN_CONFIG, overrides, windowChatOptions(overrides, {}))).toBeUndefined();
  });

  it('plain models get their context and an explicit -1 window', () => {
    expect(windowChatOptions({ context_window_size: 1024 }, {})).toEqual({ context_window_size: 1024, sliding_window_size: -1 });
    expect(windowChatOptions({ context_window_size: 4096, sliding_window_size: -1 }, { contextWindow: 2048 })).toEqual({
      context_window_size: 2048,
      sliding_window_size: -1,
    });
    expect(recordContext(undefined)).toBe(4096);
    expect(recordContext({ context_window_size: -1, sliding_window_size: -1 })).toBe(4096);
  });

  it('the sized KV cache is the one the chosen options allocate', () => {
    const shape = { layers: 32, kvHeads: 8, headDim: 128, vocabSize: 32000, slidingWindow: 4096 };
    const o = windowChatOptions(undefined, { contextWindow: 16384, slidingWindow: 4096 });
    // TVM: max_total_seq_len = sliding_window_size, plus two pages per sequence for the window.
    const pages = Math.ceil(o.sliding_window_size / 16) + 1 + 2;
    expect(kvCacheBytes(shape, 16384, 2)).toBe(32 * pages * 2 * 8 * 16 * 128 * 2);
  });
});
