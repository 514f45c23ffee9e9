// A chat template in WebLLM's conversation-template format (mlc-chat-config.json `conv_template`),
// rendered as text the way WebLLM 0.2.86's Conversation.getPromptArray renders text-only messages,
// except that the last message, an assistant reply being continued, stays open: its role header as
// WebLLM writes it before generating (role + role_empty_sep) followed by its text, with no separator,
// so the model goes on from its last token. WebLLM's chat API refuses a conversation ending with an
// assistant message; this prompt goes through its raw completions API instead.

import type { ChatMessage } from './conversation';

/** The fields of WebLLM's ConvTemplateConfig that text-only rendering reads. */
export interface ConvTemplate {
  system_template: string;
  system_message: string;
  roles: Record<string, string>;
  role_templates?: Partial<Record<string, string>>;
  seps: string[];
  role_content_sep?: string;
  role_empty_sep?: string;
  add_role_after_system_message?: boolean;
  render_empty_system_message?: boolean;
}

const PLACEHOLDER: Record<string, string> = {
  system: '{system_message}',
  user: '{user_message}',
  assistant: '{assistant_message}',
};

/** WebLLM's rule for an absent separator: ": ", but an explicit "" is kept. */
const sepOr = (sep: string | undefined) => sep ?? ': ';

/** The prompt text for continuing the last message of `messages` (an assistant reply). */
export function renderOpenReply(t: ConvTemplate, messages: readonly ChatMessage[]): string {
  const reply = messages.at(-1);
  if (reply?.role !== 'assistant') throw new Error('the last message must be the assistant reply to continue');
  const system = messages[0]?.role === 'system' ? messages[0].content : t.system_message;
  const systemPrompt =
    system === '' && t.render_empty_system_message === false ? '' : t.system_template.replace(PLACEHOLDER.system!, system);
  const turns = messages.slice(messages[0]?.role === 'system' ? 1 : 0, -1);
  let out = systemPrompt;
  turns.forEach((m, i) => {
    const templated = t.role_templates?.[m.role]?.replace(PLACEHOLDER[m.role]!, m.content).replace('{function_string}', '');
    const prefix =
      t.add_role_after_system_message === false && systemPrompt !== '' && i === 0 ? '' : t.roles[m.role]! + sepOr(t.role_content_sep);
    out += prefix + (templated ?? m.content) + t.seps[i % t.seps.length]!;
  });
  return out + t.roles.assistant! + sepOr(t.role_empty_sep) + reply.content;
}
