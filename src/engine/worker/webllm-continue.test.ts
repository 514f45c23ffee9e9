// Continuing a reply with WebLLM: the prompt from the loaded model's chat config, through the raw
// completions API, against a stand-in engine holding what MLCEngine 0.2.86 holds after a load.
import { describe, expect, it } from 'vitest';
import type { MLCEngine } from '@mlc-ai/web-llm';
import { CONTINUE_REASON, continueChat, continuationPrompt } from './webllm-continue';
import type { ChatEvent, ChatRequest } from '../protocol';

const convTemplate = {
  system_template: '<|im_start|>system\n{system_message}<|im_end|>\n',
  system_message: 'default',
  roles: { user: '<|im_start|>user', assistant: '<|im_start|>assistant' },
  seps: ['<|im_end|>\n'],
  role_content_sep: '\n',
  role_empty_sep: '\n',
  system_prefix_token_ids: [7],
};

function fakeEngine(chunks: object[]) {
  const requests: Record<string, unknown>[] = [];
  const engine = {
    loadedModelIdToChatConfig: new Map([['m', { conv_template: convTemplate, conv_config: { system_message: 'configured' } }]]),
    loadedModelIdToPipeline: new Map([['m', { tokenizer: { idToToken: (id: number) => (id === 7 ? '<s>' : undefined) } }]]),
    // engineInternals checks that every member the speculative adapter uses is there.
    loadedModelIdToLock: new Map(),
    interruptSignal: false,
    samplePrefill: () => {},
    completions: {
      async create(r: Record<string, unknown>) {
        requests.push(r);
        return (async function* () {
          yield* chunks;
        })();
      },
    },
  };
  return { engine: engine as unknown as MLCEngine, requests };
}

const request: ChatRequest = {
  modelId: 'm',
  messages: [
    { role: 'user', content: 'count' },
    { role: 'assistant', content: '1 2' },
  ],
  temperature: 0.3,
  topP: 0.8,
  maxTokens: 2,
  continueReply: true,
};

describe('WebLLM continuation', () => {
  it('renders the open reply from the chat config, BOS first, conv_config over the template', () => {
    const { engine } = fakeEngine([]);
    expect(continuationPrompt(engine, request)).toBe(
      '<s><|im_start|>system\nconfigured<|im_end|>\n<|im_start|>user\ncount<|im_end|>\n<|im_start|>assistant\n1 2',
    );
    expect(() => continuationPrompt(engine, { ...request, modelId: 'other' })).toThrow(/no chat config/);
  });

  it('streams the added text through completions with the request settings, and reports "length" again', async () => {
    const { engine, requests } = fakeEngine([
      { choices: [{ text: ' 3', finish_reason: null }] },
      { choices: [{ text: ' 4', finish_reason: 'length' }] },
      { choices: [], usage: { prompt_tokens: 12, completion_tokens: 2, extra: { decode_tokens_per_s: 9 } } },
    ]);
    const events: ChatEvent[] = [];
    const result = await continueChat(engine, request, (e) => events.push(e));
    expect(requests[0]).toMatchObject({ model: 'm', stream: true, temperature: 0.3, top_p: 0.8, max_tokens: 2 });
    expect(requests[0]!.prompt).toMatch(/assistant\n1 2$/);
    expect(events).toEqual([{ delta: ' 3' }, { delta: ' 4' }]);
    expect(result).toMatchObject({ text: ' 3 4', finishReason: 'length' });
    expect(result.usage).toMatchObject({ promptTokens: 12, completionTokens: 2, decodeTokensPerSecond: 9 });
    expect(result.speculation.reason).toBe(CONTINUE_REASON);
  });
});
