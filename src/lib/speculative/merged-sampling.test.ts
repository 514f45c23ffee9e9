import { describe, expect, it } from 'vitest';
import { chatRequestIneligibility } from './eligibility';
import { generationConfigFor, mergeSampling, samplingIneligibility, samplingParams } from './merged-sampling';

const neutralChat = { temperature: 0.7, top_p: 0.95, repetition_penalty: 1, frequency_penalty: 0, presence_penalty: 0 };
const user = [{ role: 'user', content: 'hi' }];

describe('WebLLM sampling merge (request → chat config → defaults)', () => {
  it('takes temperature and top_p from the chat config when the request leaves them unset', () => {
    const m = mergeSampling(generationConfigFor({}), neutralChat);
    expect(samplingParams(m)).toEqual({ temperature: 0.7, topP: 0.95 });
  });
  it('lets the request win, 0 included (unset means undefined or null, not falsy)', () => {
    const m = mergeSampling(generationConfigFor({ temperature: 0, top_p: 0.5, repetition_penalty: 1 }), {
      ...neutralChat,
      repetition_penalty: 1.1,
    });
    expect(m).toMatchObject({ temperature: 0, topP: 0.5, repetitionPenalty: 1 });
    expect(mergeSampling({ temperature: null }, neutralChat).temperature).toBe(0.7);
  });
  it('defaults top_p to 1 and the unset penalties to neutral', () => {
    expect(mergeSampling({}, { temperature: 1, repetition_penalty: 1 })).toEqual({
      temperature: 1,
      topP: 1,
      repetitionPenalty: 1,
      frequencyPenalty: 0,
      presencePenalty: 0,
    });
  });
  it('a frequency penalty alone in the request zeroes the chat config presence penalty (postInit rule)', () => {
    const gen = generationConfigFor({ frequency_penalty: 0.5 });
    expect(gen.presence_penalty).toBe(0);
    expect(mergeSampling(gen, { ...neutralChat, presence_penalty: 0.3 })).toMatchObject({ frequencyPenalty: 0.5, presencePenalty: 0 });
    // Only in the chat config: the other one still comes from it, or 0.
    expect(mergeSampling({}, { ...neutralChat, frequency_penalty: 0.4, presence_penalty: undefined })).toMatchObject({
      frequencyPenalty: 0.4,
      presencePenalty: 0,
    });
  });
  it('copies the request fields WebLLM copies, thinking and latency flags from extra_body', () => {
    const gen = generationConfigFor({ max_tokens: 9, stop: ['x'], logprobs: true, extra_body: { enable_thinking: false } });
    expect(gen).toMatchObject({ max_tokens: 9, stop: ['x'], logprobs: true, top_logprobs: 0, enable_thinking: false });
  });
});

describe('sampling eligibility on the merged config', () => {
  it('a chat config repetition_penalty of 1.1 with the request leaving it unset means plain decoding, and says where it came from', () => {
    const reason = samplingIneligibility(generationConfigFor({ temperature: 0 }), { ...neutralChat, repetition_penalty: 1.1 });
    expect(reason).toMatch(/repetition_penalty 1\.1 \(from the model's chat config\)/);
    expect(chatRequestIneligibility({ messages: user, temperature: 0 }, { ...neutralChat, repetition_penalty: 1.1 }, false)).toBe(reason);
  });
  it('a neutral chat config and request allow speculation; a request penalty is named as such', () => {
    expect(chatRequestIneligibility({ messages: user }, neutralChat, false)).toBeUndefined();
    expect(chatRequestIneligibility({ messages: user, presence_penalty: 0.2 }, neutralChat, false)).toMatch(
      /presence_penalty 0\.2 \(from the request\)/,
    );
    expect(
      chatRequestIneligibility({ messages: user, repetition_penalty: 1 }, { ...neutralChat, repetition_penalty: 1.05 }, false),
    ).toBeUndefined();
  });
  it('values WebLLM itself rejects leave the reply to plain decoding', () => {
    expect(samplingIneligibility({}, { repetition_penalty: 1 })).toMatch(/temperature/);
    expect(samplingIneligibility({ top_p: 0 }, neutralChat)).toMatch(/top_p/);
    expect(samplingIneligibility({}, { temperature: 1 })).toMatch(/repetition_penalty/);
  });
  it('keeps the other request-level reasons', () => {
    expect(chatRequestIneligibility({ messages: user, logit_bias: { 1: 2 } }, neutralChat, false)).toMatch(/logit bias/);
    expect(chatRequestIneligibility({ messages: [{ content: [{ type: 'image_url' }] }] }, neutralChat, false)).toMatch(/images/);
    expect(chatRequestIneligibility({ messages: user }, neutralChat, true)).toMatch(/logit processor/);
  });
});
