// WebLLM's Conversation and tokenizer as the prompt counter meets them, for the reference model's
// template (role tags, <|end|> after each message, BOS as system_prefix_token_ids): a class with
// WebLLM 0.2.86's members (messages as [role, role string, content] tuples, override_system_message,
// appendMessage, appendReplyHeader with role_empty_sep, getPromptArray with seps[i % n]) and a
// tokenizer that reads the tags as the reference model's special tokens. `promptPipeline` puts them
// beside a fake WebLLM pipeline, whose samplePrefill renders the same prompt by its own rules.

import type { PromptPipeline } from '../../src/engine/worker/webllm-prompt-tokens';
import { encode } from '../../src/lib/reference/tokenizer';
import { ASSISTANT_ID, BOS_ID, END_ID, SYSTEM_ID, USER_ID } from '../../src/lib/reference/vocab';

const TAGS: Record<string, number> = { '<|system|>': SYSTEM_ID, '<|user|>': USER_ID, '<|assistant|>': ASSISTANT_ID, '<|end|>': END_ID };

interface Template {
  system_template: string;
  system_message: string;
  roles: Record<string, string>;
  seps: string[];
  role_content_sep: string;
  role_empty_sep: string;
  system_prefix_token_ids?: number[];
}

export const REFERENCE_TEMPLATE: Template = {
  system_template: '<|system|>{system_message}<|end|>',
  system_message: '',
  roles: { user: '<|user|>', assistant: '<|assistant|>' },
  seps: ['<|end|>'],
  role_content_sep: '',
  role_empty_sep: '',
  system_prefix_token_ids: [BOS_ID],
};

export class FakeConversation {
  messages: [string, string, string | undefined][] = [];
  override_system_message: string | undefined = undefined;
  constructor(
    readonly config: Template,
    readonly isTextCompletion = false,
  ) {}
  appendMessage(role: string, message: string): void {
    if (this.messages.at(-1)?.[2] === undefined && this.messages.length) throw new Error('Have unfinished reply');
    if (!(role in this.config.roles)) throw new Error(`Role is not supported: ${role}`);
    this.messages.push([role, this.config.roles[role]!, message]);
  }
  appendReplyHeader(role: string): void {
    this.messages.push([role, this.config.roles[role]!, undefined]);
  }
  getPromptArray(_config: unknown): string[] {
    const system = this.override_system_message ?? this.config.system_message;
    const out = system === '' ? [] : [this.config.system_template.replace('{system_message}', system)];
    this.messages.forEach(([, roleStr, content], i) => {
      if (content === undefined) out.push(roleStr + this.config.role_empty_sep);
      else out.push(roleStr + this.config.role_content_sep + content + this.config.seps[i % this.config.seps.length]);
    });
    return out;
  }
}

/** The reference tokenizer, with the template's tags read as special tokens. */
export function tagEncode(text: string): Int32Array {
  const ids: number[] = [];
  for (const piece of text.split(/(<\|(?:system|user|assistant|end)\|>)/)) {
    if (piece in TAGS) ids.push(TAGS[piece]!);
    else if (piece) ids.push(...encode(piece));
  }
  return Int32Array.from(ids);
}

/** What the prompt counter reads of a loaded pipeline, for a fake pipeline's window. */
export function promptPipeline(pipe: { contextWindowSize: number; slidingWindowSize: number }, bos = true): PromptPipeline {
  const template = bos ? REFERENCE_TEMPLATE : { ...REFERENCE_TEMPLATE, system_prefix_token_ids: undefined };
  return {
    conversation: new FakeConversation(template) as unknown as PromptPipeline['conversation'],
    config: {},
    tokenizer: { encode: tagEncode },
    get contextWindowSize() {
      return pipe.contextWindowSize;
    },
    get slidingWindowSize() {
      return pipe.slidingWindowSize;
    },
  };
}
