// The sampling parameters WebLLM 0.2.86 uses for one request, merged exactly as it merges them:
// the request's fields become a generation config (chatCompletion, normalised by
// postInitAndCheckGenerationConfigValues), and the sampler takes each field from it when set,
// otherwise from the loaded model's chat config (mlc-chat-config.json + record overrides), then
// WebLLM's defaults (sampleFromRawLogits). Speculation samples with, and decides eligibility on, the
// result, so turning it on never changes which distribution a token is drawn from.

import type { SamplingParams } from '../sampling';

/** Sampling fields as they appear in a request, a generation config or a chat config. */
export interface SamplingFields {
  temperature?: number | null;
  top_p?: number | null;
  repetition_penalty?: number | null;
  frequency_penalty?: number | null;
  presence_penalty?: number | null;
}

/** The fields a request and its generation config share, under the same names. */
interface GenerationFields extends SamplingFields {
  max_tokens?: number | null;
  stop?: string | string[] | null;
  logit_bias?: Record<string, number> | null;
  logprobs?: boolean | null;
  top_logprobs?: number | null;
  response_format?: unknown;
  ignore_eos?: boolean | null;
}

/** Flags a request sets in extra_body and the generation config carries at its top level. */
interface GenerationFlags {
  enable_thinking?: boolean | null;
  enable_latency_breakdown?: boolean | null;
}

/** The request fields WebLLM copies into the generation config of a chat completion. */
export interface GenerationRequestFields extends GenerationFields {
  extra_body?: GenerationFlags | null;
}

export interface GenerationConfig extends GenerationFields, GenerationFlags {}

export interface MergedSampling {
  temperature: number;
  topP: number;
  repetitionPenalty: number;
  frequencyPenalty: number;
  presencePenalty: number;
}

const has = (v: unknown): v is number => v !== undefined && v !== null;

/** The generation config WebLLM's chatCompletion builds from a request, after its normalisation. */
export function generationConfigFor(r: GenerationRequestFields): GenerationConfig {
  const g: GenerationConfig = {
    frequency_penalty: r.frequency_penalty,
    presence_penalty: r.presence_penalty,
    repetition_penalty: r.repetition_penalty,
    max_tokens: r.max_tokens,
    stop: r.stop,
    top_p: r.top_p,
    temperature: r.temperature,
    logit_bias: r.logit_bias,
    logprobs: r.logprobs,
    top_logprobs: r.top_logprobs,
    response_format: r.response_format,
    ignore_eos: r.ignore_eos,
    enable_thinking: r.extra_body?.enable_thinking,
    enable_latency_breakdown: r.extra_body?.enable_latency_breakdown,
  };
  // postInitAndCheckGenerationConfigValues: one penalty set makes the other 0 for this request,
  // so the chat config's value for the other one no longer applies.
  if (has(g.frequency_penalty) && !has(g.presence_penalty)) g.presence_penalty = 0;
  if (has(g.presence_penalty) && !has(g.frequency_penalty)) g.frequency_penalty = 0;
  if (g.logprobs && !has(g.top_logprobs)) g.top_logprobs = 0;
  return g;
}

/** What sampleFromRawLogits samples with; NaN where WebLLM has no value (it then throws). */
export function mergeSampling(gen: SamplingFields, chat: SamplingFields | undefined): MergedSampling {
  const pick = (g: number | null | undefined, c: number | null | undefined): number | undefined => (has(g) ? g : has(c) ? c : undefined);
  const temperature = pick(gen.temperature, chat?.temperature);
  const topP = pick(gen.top_p, chat?.top_p) ?? 1;
  const repetitionPenalty = pick(gen.repetition_penalty, chat?.repetition_penalty);
  let frequencyPenalty = pick(gen.frequency_penalty, chat?.frequency_penalty);
  let presencePenalty = pick(gen.presence_penalty, chat?.presence_penalty);
  if (frequencyPenalty !== undefined && presencePenalty === undefined) presencePenalty = 0;
  if (presencePenalty !== undefined && frequencyPenalty === undefined) frequencyPenalty = 0;
  return {
    temperature: temperature ?? NaN,
    topP,
    repetitionPenalty: repetitionPenalty ?? NaN,
    frequencyPenalty: frequencyPenalty ?? 0,
    presencePenalty: presencePenalty ?? 0,
  };
}

/** The CPU sampler's parameters for a merged config (WebLLM's temperature floor 1e-6 is greedy). */
export function samplingParams(m: MergedSampling): SamplingParams {
  return { temperature: m.temperature, topP: m.topP };
}

/**
 * Why speculation cannot reproduce WebLLM's sampling for this request, in words: values WebLLM
 * rejects (plain decoding then reports WebLLM's own error), or penalties, which WebLLM applies
 * whenever any of them is not neutral and which depend on every token sampled before.
 */
export function samplingIneligibility(gen: SamplingFields, chat: SamplingFields | undefined): string | undefined {
  const m = mergeSampling(gen, chat);
  if (!(m.temperature >= 0)) return 'WebLLM has no valid temperature for this request';
  if (!(m.topP > 0 && m.topP <= 1)) return 'WebLLM has no valid top_p for this request';
  if (!(m.repetitionPenalty > 0)) return 'WebLLM has no valid repetition_penalty for this request';
  const active: string[] = [];
  const source = (g: number | null | undefined) => (has(g) ? 'the request' : "the model's chat config");
  if (m.repetitionPenalty !== 1) active.push(`repetition_penalty ${m.repetitionPenalty} (from ${source(gen.repetition_penalty)})`);
  if (m.frequencyPenalty !== 0) active.push(`frequency_penalty ${m.frequencyPenalty} (from ${source(gen.frequency_penalty)})`);
  if (m.presencePenalty !== 0) active.push(`presence_penalty ${m.presencePenalty} (from ${source(gen.presence_penalty)})`);
  if (active.length) return `${active.join(', ')} depends on every earlier token`;
  return undefined;
}
