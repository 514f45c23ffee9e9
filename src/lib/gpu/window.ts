// The window options WebLLM's reload accepts. WebLLM merges mlc-chat-config.json, the record's
// overrides and our options, then throws when both context_window_size and sliding_window_size are
// set (anything but -1), so every load names both: a context up to the model's sliding window
// loads as a plain context (attention over that span is the same), a longer one as the window,
// whose KV cache TVM sizes by the window (kv-shapes.ts sizes it the same way).

const DEFAULT_CONTEXT = 4096;

/** The window fields of a WebLLM model record's overrides (structurally typed). */
export interface WindowOverrides {
  context_window_size?: number;
  sliding_window_size?: number;
  attention_sink_size?: number;
}

interface WindowRequest {
  /** Tokens of context the sizing chose (or the user set); the record's own when unset. */
  contextWindow?: number;
  /** The model's positive sliding_window_size from its config, when the page has read it. */
  slidingWindow?: number;
  /** The config's attention_sink_size, read with the window. */
  attentionSink?: number;
}

interface WindowChatOptions {
  context_window_size: number;
  sliding_window_size: number;
  attention_sink_size?: number;
}

const positive = (n: number | undefined): number | undefined => (n !== undefined && n > 0 ? n : undefined);

/** The context a load without a requested size gets: the record's, else its window, else 4096. */
export function recordContext(overrides: WindowOverrides | undefined): number {
  return positive(overrides?.context_window_size) ?? positive(overrides?.sliding_window_size) ?? DEFAULT_CONTEXT;
}

export function windowChatOptions(overrides: WindowOverrides | undefined, request: WindowRequest): WindowChatOptions {
  const context = request.contextWindow ?? recordContext(overrides);
  const window = positive(request.slidingWindow) ?? positive(overrides?.sliding_window_size);
  if (window === undefined || context <= window) return { context_window_size: context, sliding_window_size: -1 };
  const sink = request.attentionSink ?? overrides?.attention_sink_size;
  // WebLLM refuses a sliding window without a non-negative sink; 0 is TVM's plain sliding window.
  return { context_window_size: -1, sliding_window_size: window, attention_sink_size: sink !== undefined && sink >= 0 ? sink : 0 };
}
