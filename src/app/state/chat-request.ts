// The engine request for the next reply of a conversation: the prompt turns of its visible path
// (ending with the reply to continue, when continuing), the system prompt and the sampling
// settings in effect for it (its own over the app-wide ones), the retrieved passages (in the system
// message, so the context fitting counts them and prompt lookup drafts from them), and the overflow
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
  /** Retrieved passages, numbered, with how to cite them: they follow the system prompt in the system message. */
  sources?: string,
): ChatRequest {
  const e = effectiveSettings(settings, c.settings);
  const system = sources ? [e.systemPrompt.trim(), sources].filter(Boolean).join('\n\n') : e.systemPrompt;
  const prompt = buildChatRequest(promptMessages(c), { ...e, systemPrompt: system }, settings.overflow);
  return { modelId, ...prompt, speculative, ...(continueReply && { continueReply }) };
}
