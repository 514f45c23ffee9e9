// Harness for speculativeChat tests against the fake WebLLM: engines prepared as the adapter prepares
// them, a speculative reply with its streamed deltas, and requests built turn by turn. `pair` gives two
// engines alike, one decoding as WebLLM does and one speculating, so every test compares the two.
// `preparedPipeline` is a bare fake TVM pipeline prepared the same way.

import type { ChatEvent } from '../../src/engine/protocol';
import type { PipelineInternals } from '../../src/engine/worker/webllm-spec/internals';
import { prepareModel } from '../../src/engine/worker/webllm-spec/setup';
import { speculativeChat } from '../../src/engine/worker/webllm-spec/speculative-chat';
import { REFERENCE_TINY, ReferenceModel } from '../../src/lib/reference/model';
import { FixedDraftLength, type DraftLengthPolicy } from '../../src/lib/speculative/controller';
import { generationConfigFor } from '../../src/lib/speculative/merged-sampling';
import type { Drafter } from '../../src/lib/speculative/types';
import { fakePipeline } from './fake-tvm';
import { fakeWebLLM, type FakeChatConfig, type FakeMessage, type FakeRequest, type FakeWebLLMOptions } from './fake-webllm';

export const NEUTRAL: FakeChatConfig = { temperature: 0, top_p: 1, repetition_penalty: 1, frequency_penalty: 0, presence_penalty: 0 };

export function setup(o: FakeWebLLMOptions) {
  const w = fakeWebLLM(o);
  const model = prepareModel(w.internals, o.model.vocabSize).model!;
  return { ...w, model };
}

export type Setup = ReturnType<typeof setup>;
/** Two engines alike: `plain` decodes as WebLLM does, `fast` speculates. */
export const pair = (o: FakeWebLLMOptions) => ({ plain: setup(o), fast: setup(o) });
export const tiny = (): FakeWebLLMOptions => ({ model: new ReferenceModel(REFERENCE_TINY), chatConfig: NEUTRAL, bos: true });
export const deltasOf = (events: ChatEvent[]) => events.filter((e): e is { delta: string; fromDraft?: boolean } => 'delta' in e);

export async function spec(
  w: Setup,
  request: FakeRequest,
  drafter: Drafter,
  k = 4,
  controller: DraftLengthPolicy = new FixedDraftLength(k),
) {
  const events: ChatEvent[] = [];
  const out = await speculativeChat({
    engine: w.engine,
    request,
    targetId: 't',
    target: w.model,
    genConfig: generationConfigFor(request),
    drafter,
    controller,
    locks: [w.engine.loadedModelIdToLock.get('t')!],
    emit: (e) => events.push(e),
    clock: w.clock,
    ...(request.seed !== undefined ? { seed: request.seed } : {}),
  });
  return { out, events, deltas: deltasOf(events).map((d) => d.delta) };
}

export const ask = (history: FakeMessage[], content: string, extra: Partial<FakeRequest> = {}): FakeRequest => ({
  messages: [...history, { role: 'user', content }],
  ...extra,
});

/** A fake pipeline prepared as the adapter prepares a loaded model; throws the reason when it refuses. */
export function preparedPipeline(o: Parameters<typeof fakePipeline>[0], prep: Parameters<typeof prepareModel>[2] = {}) {
  const f = fakePipeline(o);
  const r = prepareModel(f.pipe as unknown as PipelineInternals, o.model.vocabSize, prep);
  if (!r.model) throw new Error(r.reason);
  return { ...f, model: r.model };
}
