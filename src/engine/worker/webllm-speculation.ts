// What the product backend keeps about a loaded model for speculation, and how it is prepared at
// load and described to the planner per request: the webllm-spec/ pieces (prepareModel, selfCheck,
// the draft model's drafter) assembled for WebLLMBackend. Runs in the engine worker.

import type { ChatCompletionRequestStreaming, MLCEngine } from '@mlc-ai/web-llm';
import { messageOf } from '../../lib/message';
import { createRng } from '../../lib/rng';
import { DraftModelDrafter } from '../../lib/speculative/draft-model';
import { chatRequestIneligibility } from '../../lib/speculative/eligibility';
import { mergeSampling, samplingParams, type GenerationConfig, type SamplingFields } from '../../lib/speculative/merged-sampling';
import type { PlanInput, SpeculationTarget } from '../../lib/speculative/planner';
import type { ChatRequest, LoadOptions } from '../protocol';
import { engineInternals, type PipelineInternals } from './webllm-spec/internals';
import type { PipelineModel } from './webllm-spec/pipeline-model';
import { prepareModel, selfCheck } from './webllm-spec/setup';
import { sameTokenizer } from './webllm-spec/traits';

/** What the worker keeps about the loaded model(s); the page is told only the LoadResult built from it. */
export interface Loaded {
  modelId: string;
  draftModelId?: string;
  draftNote?: string;
  target?: PipelineModel;
  targetReason?: string;
  /** The loaded draft model and the tokens in its cache (kept across replies). */
  draft?: { model: PipelineModel; kv: number[] };
}

export function prepareSpeculation(
  engine: MLCEngine | undefined,
  loaded: Loaded,
  ids: string[],
  options: LoadOptions,
  note: (s: string) => void,
): void {
  let internals;
  try {
    internals = engineInternals(engine);
  } catch (err) {
    loaded.targetReason = messageOf(err);
    return;
  }
  const pipeOf = (id: string) => internals.loadedModelIdToPipeline.get(id) as PipelineInternals | undefined;
  const vocabOf = (id: string) => (internals.loadedModelIdToChatConfig.get(id) as { vocab_size?: number } | undefined)?.vocab_size;
  const t = prepareModel(pipeOf(loaded.modelId), vocabOf(loaded.modelId), { memory: options.verifyMemory });
  if (t.model) loaded.target = t.model;
  if (t.reason) loaded.targetReason = t.reason;
  const draftId = ids[1];
  if (!draftId || !t.model) return;
  const d = prepareModel(pipeOf(draftId), vocabOf(draftId), { drafting: true });
  const mismatch = d.model ? sameTokenizer(t.model.pipe.tokenizer, d.model.pipe.tokenizer) : undefined;
  if (!d.model || mismatch) {
    note(`the draft model cannot be used: ${d.reason ?? mismatch}`);
    return;
  }
  // The draft's cache starts empty after a load; the drafter mirrors it from here on.
  if (d.model.length > 0) d.model.rollback(d.model.length);
  loaded.draft = { model: d.model, kv: [] };
}

/** What the planner needs to know about this engine, its loaded models and this request. */
export function planInput(
  engine: MLCEngine | undefined,
  request: ChatRequest,
  w: ChatCompletionRequestStreaming,
  genConfig: GenerationConfig,
  loaded: Loaded,
): PlanInput {
  const { target, draft } = loaded;
  const input = { modelId: request.modelId, speculative: request.speculative, draftNote: loaded.draftNote };
  if (!target) return { ...input, target: loaded.targetReason ?? 'unknown' };
  const internals = engineInternals(engine);
  const chatConfig = internals.loadedModelIdToChatConfig.get(request.modelId) as SamplingFields | undefined;
  const spec: SpeculationTarget = {
    requestReason: () => chatRequestIneligibility(w, chatConfig, internals.logitProcessorRegistry?.has(request.modelId) ?? false),
    selfCheck: (k) => selfCheck(target, k, draft),
  };
  // The draft model samples from the target's merged parameters: p and q must use one transform.
  if (draft) {
    const sampling = samplingParams(mergeSampling(genConfig, chatConfig));
    spec.draftModel = () => new DraftModelDrafter(draft.model, sampling, createRng(request.seed ?? Date.now()), draft.kv);
  }
  return { ...input, target: spec };
}
