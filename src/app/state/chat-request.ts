// The engine request for the next reply of a conversation: the prompt turns of its visible path
// (ending with the reply to continue, when continuing), the system prompt and the sampling
// settings in effect for it (its own over the app-wide ones), and the overflow
// policy. The one place a ChatRequest is built, so prompt policy changes land here.

import { buildChatRequest, effectiveSettings } from '../../lib/chat-request';
import { promptMessages, type Conversation } from '../../lib/conversation';
import type { ChatRequest, SpecRequest } from '../../engine/protocol';
import type { Settings } from '../../lib/settings';

export function chatRequest(
  c: Conversation,
  modelId: string,
  settings: Pick<Settings, 'systemPrompt' | 'temperature' | 'topP' | 'maxTokens' | 'overflow'>,
  speculative: SpecRequest,
  continueReply = false,
): ChatRequest {
  const prompt = buildChatRequest(promptMessages(c), effectiveSettings(settings, c.settings), settings.overflow);
  return { modelId, ...prompt, speculative, ...(continueReply && { continueReply }) };
}
