import { describe, expect, it } from 'vitest';
import { buildChatRequest, conversationPatch, describeEffective, effectiveSettings, type AppDefaults } from './chat-request';

const app: AppDefaults = { systemPrompt: 'Be kind.', temperature: 0.7, topP: 0.95 };

describe('effectiveSettings', () => {
  it('uses the app-wide value for every field the conversation does not set', () => {
    expect(effectiveSettings(app)).toEqual({ systemPrompt: 'Be kind.', temperature: 0.7, topP: 0.95, overridden: [] });
    expect(effectiveSettings({ ...app, maxTokens: 300 }, {})).toEqual({ ...app, maxTokens: 300, overridden: [] });
  });

  it("takes the conversation's own values, zero and empty included, and lists them", () => {
    const e = effectiveSettings({ ...app, maxTokens: 300 }, { temperature: 0, topP: 0.5, maxTokens: 20, systemPrompt: 'Pirate.' });
    expect(e).toEqual({
      systemPrompt: 'Pirate.',
      temperature: 0,
      topP: 0.5,
      maxTokens: 20,
      overridden: ['systemPrompt', 'temperature', 'topP', 'maxTokens'],
    });
    expect(effectiveSettings(app, { temperature: 1.2 })).toEqual({ ...app, temperature: 1.2, overridden: ['temperature'] });
  });
});

describe('describeEffective', () => {
  it('says what is in effect and marks what this chat sets', () => {
    expect(describeEffective(effectiveSettings(app))).toBe('temperature 0.7 · top-p 0.95 · max tokens: no limit · default system prompt');
    expect(describeEffective(effectiveSettings({ ...app, systemPrompt: ' ' }, { maxTokens: 64, topP: 0.5 }))).toBe(
      'temperature 0.7 · top-p 0.5 (this chat) · max tokens 64 (this chat) · no system prompt',
    );
    expect(describeEffective(effectiveSettings(app, { systemPrompt: 'x', temperature: 0 }))).toBe(
      'temperature 0 (this chat) · top-p 0.95 · max tokens: no limit · own system prompt',
    );
  });
});

describe('conversationPatch', () => {
  it('empty removes the override; numbers are clamped with the Settings messages', () => {
    expect(conversationPatch('temperature', '')).toEqual({ value: undefined });
    expect(conversationPatch('temperature', '0.2')).toEqual({ value: 0.2 });
    expect(conversationPatch('temperature', '5')).toMatchObject({ value: 2, message: expect.stringMatching(/at most 2/) });
    expect(conversationPatch('topP', '0')).toMatchObject({ value: 0.01, message: expect.any(String) });
    expect(conversationPatch('maxTokens', ' ')).toEqual({ value: undefined });
    expect(conversationPatch('maxTokens', '12.2')).toMatchObject({ value: 12 });
    expect(conversationPatch('systemPrompt', '  ')).toEqual({ value: undefined });
    expect(conversationPatch('systemPrompt', ' Talk like a pirate. ')).toEqual({ value: ' Talk like a pirate. ' });
  });
});

describe('buildChatRequest', () => {
  const path = [
    { role: 'user' as const, content: 'hi' },
    { role: 'assistant' as const, content: 'hello' },
    { role: 'user' as const, content: 'again' },
  ];
  it('puts the effective system prompt first and carries sampling, max tokens and the overflow policy', () => {
    const e = effectiveSettings(app, { temperature: 0.1, maxTokens: 50 });
    expect(buildChatRequest(path, e, 'stop')).toEqual({
      messages: [{ role: 'system', content: 'Be kind.' }, ...path],
      temperature: 0.1,
      topP: 0.95,
      maxTokens: 50,
      overflow: 'stop',
    });
  });
  it('sends no system message for a blank prompt and no max tokens when there is no limit', () => {
    const r = buildChatRequest(path, effectiveSettings({ ...app, systemPrompt: '  \n' }), 'drop-oldest');
    expect(r).toEqual({ messages: path, temperature: 0.7, topP: 0.95, overflow: 'drop-oldest' });
    expect(r.messages).not.toBe(path);
  });
});
