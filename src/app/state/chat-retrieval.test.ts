// Retrieval in the reply flow, with stand-ins for the engine, settings, storage and documents: the
// passages go into the system message after the system prompt and onto the reply; a continued reply
// is given the same passages without a new search; a failed search is reported and the reply goes on.
import { describe, expect, it, vi } from 'vitest';
import type { ChatRequest, ChatResult } from '../../engine/protocol';
import type { MessageSource } from '../../lib/conversation';
import { ChatState } from './chat.svelte';
import type { EngineState } from './engine.svelte';
import type { ErrorState } from './errors.svelte';
import type { Retrieval } from './retrieval';
import type { SettingsState } from './settings.svelte';

vi.mock('../../user-data/conversations', () => ({
  ConversationSaver: class {
    schedule() {}
    forget() {}
    flush() {
      return Promise.resolve();
    }
  },
  deleteConversation: async () => {},
  loadConversations: async () => [],
  saveConversation: async () => {},
  saveConversations: async () => {},
}));

const SOURCE: MessageSource = { n: 1, docId: 'd', docName: 'lease.md', passageId: 'p1', text: 'The deposit is returned within 60 days.' };

function setup(o: { fails?: boolean; finish?: ChatResult['finishReason'] } = {}) {
  const requests: ChatRequest[] = [];
  const reported: unknown[] = [];
  const engine = {
    loaded: { modelId: 'm', contextWindow: 4096 },
    chat: async (request: ChatRequest): Promise<ChatResult> => {
      requests.push(request);
      return {
        text: 'Within 60 days [1].',
        finishReason: o.finish ?? 'stop',
        usage: { promptTokens: 1, completionTokens: 1, prefillTokensPerSecond: 1, decodeTokensPerSecond: 1 },
        speculation: { used: 'off', drafted: 0, accepted: 0, targetPasses: 1, passTokens: 1 },
      } as ChatResult;
    },
    interrupt: async () => {},
  } as unknown as EngineState;
  const errors = { report: (e: unknown) => reported.push(e), resolve: () => {} } as unknown as ErrorState;
  const settings = { value: { systemPrompt: 'Be brief.', temperature: 0.7, topP: 1, overflow: 'drop-oldest' } } as unknown as SettingsState;
  const finds: string[] = [];
  const retrieval: Retrieval = {
    find: async (_c, query) => {
      finds.push(query);
      if (o.fails) throw new Error('the documents worker failed');
      return { sources: [SOURCE], prompt: 'SOURCES [1]' };
    },
    prompt: (sources) => `AGAIN ${sources.map((s) => s.n).join(',')}`,
    forget: async () => {},
  };
  const chat = new ChatState(engine, errors, settings, () => ({ mode: 'off' }) as never, undefined, retrieval);
  return { chat, requests, reported, finds };
}

describe('a reply with retrieval', () => {
  it('puts the passages after the system prompt and stores them on the reply', async () => {
    const { chat, requests, finds } = setup();
    await chat.send('When is the deposit returned?');
    expect(finds).toEqual(['When is the deposit returned?']);
    expect(requests[0]!.messages[0]).toEqual({ role: 'system', content: 'Be brief.\n\nSOURCES [1]' });
    expect(chat.path.at(-1)).toMatchObject({ role: 'assistant', state: 'done', sources: [SOURCE] });
  });

  it('gives a continued reply the same passages without searching again', async () => {
    const { chat, requests, finds } = setup({ finish: 'length' });
    await chat.send('When is the deposit returned?');
    await chat.continueReply(chat.path.at(-1)!.id);
    expect(finds).toHaveLength(1);
    expect(requests[1]!.messages[0]).toEqual({ role: 'system', content: 'Be brief.\n\nAGAIN 1' });
  });

  it('reports a failed search and replies without sources', async () => {
    const { chat, requests, reported } = setup({ fails: true });
    await chat.send('When is the deposit returned?');
    expect(reported).toHaveLength(1);
    expect(requests[0]!.messages[0]).toEqual({ role: 'system', content: 'Be brief.' });
    expect(chat.path.at(-1)).toMatchObject({ state: 'done' });
    expect(chat.path.at(-1)!.sources).toBeUndefined();
  });
});
