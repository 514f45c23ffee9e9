import { describe, expect, it } from 'vitest';
import { catalogIneligibility, modelIneligibility, requestIneligibility } from './eligibility';

const ok = { kvStateKind: 'kv_cache', slidingWindow: false, manifest: false, canVerify: true, canRollback: true };

describe('speculation eligibility', () => {
  it('allows a plain KV-cache model with verify and popn', () => {
    expect(modelIneligibility(ok)).toBeUndefined();
  });
  it('names every model-level fallback', () => {
    expect(modelIneligibility({ ...ok, kvStateKind: 'hybrid' })).toMatch(/hybrid/);
    expect(modelIneligibility({ ...ok, kvStateKind: 'rnn_state' })).toMatch(/rnn_state/);
    expect(modelIneligibility({ ...ok, slidingWindow: true })).toMatch(/sliding-window/);
    expect(modelIneligibility({ ...ok, manifest: true })).toMatch(/manifest/);
    expect(modelIneligibility({ ...ok, canVerify: false })).toMatch(/batch_verify/);
    expect(modelIneligibility({ ...ok, canRollback: false })).toMatch(/kv_state_popn/);
  });
  it('names every request-level fallback', () => {
    expect(requestIneligibility({})).toBeUndefined();
    expect(requestIneligibility({ jsonMode: true })).toMatch(/JSON/);
    expect(requestIneligibility({ logitBias: true })).toMatch(/logit bias/);
    expect(requestIneligibility({ logprobs: true })).toMatch(/log-prob/);
    expect(requestIneligibility({ sampling: 'repetition_penalty 1.1 depends on every earlier token' })).toMatch(/repetition_penalty/);
    expect(requestIneligibility({ images: true })).toMatch(/images/);
    expect(requestIneligibility({ logitProcessor: true })).toMatch(/logit processor/);
  });
  it('flags catalog entries that can never speculate', () => {
    expect(catalogIneligibility({ kind: 'llm', recurrentState: false, slidingWindow: false })).toBeUndefined();
    expect(catalogIneligibility({ kind: 'llm', recurrentState: true, slidingWindow: false })).toMatch(/recurrent/);
    expect(catalogIneligibility({ kind: 'vlm', recurrentState: false, slidingWindow: false })).toMatch(/vision/);
    expect(catalogIneligibility({ kind: 'embedding', recurrentState: false, slidingWindow: false })).toMatch(
      /embedding models do not generate/,
    );
    expect(catalogIneligibility({ kind: 'llm', recurrentState: false, slidingWindow: true })).toMatch(/sliding-window/);
  });
});
