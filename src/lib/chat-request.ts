// What a reply is asked with: the app-wide settings overridden field by field by the conversation's
// own (ConversationSettings; an absent field uses the app-wide value), and the request fields built
// from them and the visible path. Pure; the page adds the model id and speculation, the worker fits
// the messages into the context window (context-fit.ts).

import type { OverflowPolicy } from './context-fit';
import type { ChatMessage, ConversationSettings } from './conversation';
import { clampMaxTokens, clampTemperature, clampTopP, type Settings } from './settings';

export type AppDefaults = Pick<Settings, 'systemPrompt' | 'temperature' | 'topP' | 'maxTokens'>;
/** The prompt and sampling fields (retrieval has its own settings, read where documents are searched). */
type Field = Exclude<keyof ConversationSettings, 'retrieval' | 'passages' | 'collections'>;

export interface EffectiveSettings {
  systemPrompt: string;
  temperature: number;
  topP: number;
  /** Absent: no limit. */
  maxTokens?: number;
  /** The fields this conversation sets itself. */
  overridden: Field[];
}

const FIELDS: readonly Field[] = ['systemPrompt', 'temperature', 'topP', 'maxTokens'];

export function effectiveSettings(app: AppDefaults, own: ConversationSettings = {}): EffectiveSettings {
  const overridden = FIELDS.filter((f) => own[f] !== undefined);
  const e: EffectiveSettings = {
    systemPrompt: own.systemPrompt ?? app.systemPrompt,
    temperature: own.temperature ?? app.temperature,
    topP: own.topP ?? app.topP,
    overridden,
  };
  const maxTokens = own.maxTokens ?? app.maxTokens;
  if (maxTokens !== undefined) e.maxTokens = maxTokens;
  return e;
}

/** One line of what is in effect, each conversation-set value marked. */
export function describeEffective(e: EffectiveSettings): string {
  const mark = (f: Field, text: string) => (e.overridden.includes(f) ? `${text} (this chat)` : text);
  const system = e.systemPrompt.trim()
    ? e.overridden.includes('systemPrompt')
      ? 'own system prompt'
      : 'default system prompt'
    : 'no system prompt';
  return [
    mark('temperature', `temperature ${e.temperature}`),
    mark('topP', `top-p ${e.topP}`),
    mark('maxTokens', e.maxTokens === undefined ? 'max tokens: no limit' : `max tokens ${e.maxTokens}`),
    system,
  ].join(' · ');
}

/**
 * A conversation field as typed: empty removes the override (the app-wide value applies again);
 * numbers are clamped as in Settings, with the same messages.
 */
export function conversationPatch(field: Field, input: string): { value: string | number | undefined; message?: string } {
  if (field === 'systemPrompt') return { value: input.trim() ? input : undefined };
  if (input.trim() === '') return { value: undefined };
  const clamp = field === 'temperature' ? clampTemperature : field === 'topP' ? clampTopP : clampMaxTokens;
  return clamp(input);
}

/** The request fields of a reply: system prompt first (when set), then the path's messages. */
export interface PromptRequest {
  messages: ChatMessage[];
  temperature: number;
  topP: number;
  maxTokens?: number;
  overflow: OverflowPolicy;
}

export function buildChatRequest(path: readonly ChatMessage[], e: EffectiveSettings, overflow: OverflowPolicy): PromptRequest {
  const system = e.systemPrompt.trim();
  const messages = system ? [{ role: 'system' as const, content: system }, ...path] : [...path];
  const r: PromptRequest = { messages, temperature: e.temperature, topP: e.topP, overflow };
  if (e.maxTokens !== undefined) r.maxTokens = e.maxTokens;
  return r;
}
