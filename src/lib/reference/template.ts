// The reference model's chat template: role tags around each message, ending with an open
// assistant turn that the model closes with <|end|>.

import { ASSISTANT_ID, BOS_ID, END_ID, SYSTEM_ID, USER_ID } from './vocab';
import type { ChatMessage } from '../conversation';
import { encode } from './tokenizer';

const ROLE_TAG = { system: SYSTEM_ID, user: USER_ID, assistant: ASSISTANT_ID } as const;

export function renderPrompt(messages: readonly ChatMessage[]): number[] {
  const ids = [BOS_ID];
  for (const m of messages) ids.push(ROLE_TAG[m.role], ...encode(m.content), END_ID);
  ids.push(ASSISTANT_ID);
  return ids;
}
