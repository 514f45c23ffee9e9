// A reply with WebLLM's own decoding (speculation off or not allowed), streamed as ChatEvents and
// summed up as a ChatResult whose speculation summary carries the reason. Runs in the engine worker.
// Chat completions and raw completions (a reply being continued) stream through the same loop.

import type { ChatCompletionRequestStreaming, MLCEngine } from '@mlc-ai/web-llm';
import { plainSummary } from '../../lib/speculative/planner';
import type { ChatEvent, ChatRequest, ChatResult } from '../protocol';

/** What the loop reads of a streamed chunk, chat or raw completion alike. */
interface StreamChunk {
  choices: { finish_reason?: string | null }[];
  usage?: {
    prompt_tokens: number;
    completion_tokens: number;
    extra?: { prefill_tokens_per_s?: number; decode_tokens_per_s?: number };
  };
}

export async function plainChat(
  engine: MLCEngine,
  w: ChatCompletionRequestStreaming,
  emit: (e: ChatEvent) => void,
  reason: string | undefined,
): Promise<ChatResult> {
  return collectStream(await engine.chat.completions.create(w), (c) => c.choices[0]?.delta.content, emit, reason);
}

/** Streams the text of each chunk through `emit`; the finish reason and usage come from the chunks. */
export async function collectStream<C extends StreamChunk>(
  stream: AsyncIterable<C>,
  textOf: (chunk: C) => string | null | undefined,
  emit: (e: ChatEvent) => void,
  reason: string | undefined,
): Promise<ChatResult> {
  let text = '';
  let finishReason: ChatResult['finishReason'] = 'stop';
  const usage = { promptTokens: 0, completionTokens: 0, prefillTokensPerSecond: 0, decodeTokensPerSecond: 0 };
  for await (const chunk of stream) {
    const choice = chunk.choices[0];
    const delta = textOf(chunk);
    if (delta) {
      text += delta;
      emit({ delta });
    }
    if (choice?.finish_reason)
      finishReason = choice.finish_reason === 'length' ? 'length' : choice.finish_reason === 'abort' ? 'abort' : 'stop';
    if (chunk.usage) {
      usage.promptTokens = chunk.usage.prompt_tokens;
      usage.completionTokens = chunk.usage.completion_tokens;
      usage.prefillTokensPerSecond = chunk.usage.extra?.prefill_tokens_per_s ?? 0;
      usage.decodeTokensPerSecond = chunk.usage.extra?.decode_tokens_per_s ?? 0;
    }
  }
  return { text, finishReason, usage, speculation: plainSummary(usage.completionTokens, reason) };
}

/** A request's streaming and sampling fields as WebLLM's chat and completions APIs both take them. */
export function streamingFields(request: ChatRequest) {
  return {
    stream: true as const,
    stream_options: { include_usage: true },
    temperature: request.temperature,
    top_p: request.topP,
    max_tokens: request.maxTokens,
    seed: request.seed,
  };
}
