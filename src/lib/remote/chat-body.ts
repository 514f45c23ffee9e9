// What a chat turn becomes on the wire to an OpenAI-compatible server (`POST {base}/chat/completions`),
// and what the reply's stats are from the server's usage and the times measured here. Pure: no fetch,
// no clock. Invariant: earlier replies go back without their reasoning (DeepSeek-style servers refuse
// or waste context on it), and only the sampling settings the user set are sent.

import type { ChatMessage } from '../conversation';
import { splitThink } from '../markdown/think';

export interface RemoteTurn {
  messages: readonly ChatMessage[];
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  seed?: number;
}

export function chatBody(model: string, turn: RemoteTurn): Record<string, unknown> {
  const body: Record<string, unknown> = {
    model,
    messages: turn.messages.map((m) => ({ role: m.role, content: m.role === 'assistant' ? splitThink(m.content).answer : m.content })),
    stream: true,
    stream_options: { include_usage: true },
  };
  if (turn.temperature !== undefined) body.temperature = turn.temperature;
  if (turn.topP !== undefined) body.top_p = turn.topP;
  if (turn.maxTokens !== undefined) body.max_tokens = turn.maxTokens;
  if (turn.seed !== undefined) body.seed = turn.seed;
  return body;
}

export interface ReplyTimes {
  /** Request sent, first delta received, reply ended: ms on one clock. */
  startMs: number;
  firstMs?: number;
  endMs: number;
}

export interface ReplyStats {
  promptTokens: number;
  completionTokens: number;
  prefillTokensPerSecond: number;
  decodeTokensPerSecond: number;
}

/**
 * The reply's stats. Tokens: the server's usage; without one (a server that ignores include_usage),
 * the deltas received (each of vLLM's, llama-server's and Ollama's deltas is one token) and no prompt count.
 * Speeds: the server's own timings when it sends them (llama-server); otherwise measured here, so the
 * prefill speed includes the network's round trip.
 */
export function replyStats(
  usage: { promptTokens: number; completionTokens: number } | undefined,
  deltas: number,
  times: ReplyTimes,
  serverSpeeds?: { prefillTokensPerSecond: number; decodeTokensPerSecond: number },
): ReplyStats {
  const promptTokens = usage?.promptTokens ?? 0;
  const completionTokens = usage?.completionTokens ?? deltas;
  if (serverSpeeds) return { promptTokens, completionTokens, ...serverSpeeds };
  const perSecond = (tokens: number, ms: number) => (ms > 0 ? (tokens * 1000) / ms : 0);
  const first = times.firstMs ?? times.endMs;
  return {
    promptTokens,
    completionTokens,
    prefillTokensPerSecond: perSecond(promptTokens, first - times.startMs),
    // The first token came with the prefill: the decode made the rest.
    decodeTokensPerSecond: perSecond(Math.max(0, completionTokens - 1), times.endMs - first),
  };
}
