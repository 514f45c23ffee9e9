// The reference model's chat template: role tags around each message, ending with an open
// assistant turn that the model closes with <|end|> (or, to continue a reply, that reply left open).

import { ASSISTANT_ID, BOS_ID, END_ID, SYSTEM_ID, USER_ID } from './vocab';
import type { ChatMessage } from '../conversation';
import { encode } from './tokenizer';

const ROLE_TAG = { system: SYSTEM_ID, user: USER_ID, assistant: ASSISTANT_ID } as const;

export function renderPrompt(messages: readonly ChatMessage[], continueReply = false): number[] {
  const ids = [BOS_ID];
  const closed = continueReply && messages.at(-1)?.role === 'assistant' ? messages.slice(0, -1) : messages;
  for (const m of closed) ids.push(ROLE_TAG[m.role], ...encode(m.content), END_ID);
  ids.push(ASSISTANT_ID);
  // A reply being continued stays open: the model goes on from its last token.
  if (closed !== messages) ids.push(...encode(messages.at(-1)!.content));
  return ids;
}
