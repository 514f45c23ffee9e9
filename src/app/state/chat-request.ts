// The engine request for the next reply of a conversation: the prompt turns of its visible path
// (ending with the reply to continue, when continuing), the system prompt and the sampling
// settings. The one place a ChatRequest is built, so prompt policy changes land here.

import { promptMessages, type Conversation } from '../../lib/conversation';
import type { ChatRequest, SpecRequest } from '../../engine/protocol';
import type { Settings } from '../../lib/settings';

export function chatRequest(
  c: Conversation,
  modelId: string,
  settings: Pick<Settings, 'systemPrompt' | 'temperature' | 'topP'>,
  speculative: SpecRequest,
  continueReply = false,
): ChatRequest {
  const history = promptMessages(c);
  const system = settings.systemPrompt.trim();
  const messages = system ? [{ role: 'system' as const, content: system }, ...history] : history;
  return {
    modelId,
    messages,
    temperature: settings.temperature,
    topP: settings.topP,
    speculative,
    ...(continueReply && { continueReply }),
  };
}
