import { describe, expect, it } from 'vitest';
import { renderOpenReply, type ConvTemplate } from './chat-template';

// Shapes of two prebuilt templates (mlc-chat-config.json conv_template): Llama 3 and ChatML (Qwen).
const llama3: ConvTemplate = {
  system_template: '<|start_header_id|>system<|end_header_id|>\n\n{system_message}<|eot_id|>',
  system_message: 'You are helpful.',
  roles: { user: '<|start_header_id|>user', assistant: '<|start_header_id|>assistant' },
  seps: ['<|eot_id|>'],
  role_content_sep: '<|end_header_id|>\n\n',
  role_empty_sep: '<|end_header_id|>\n\n',
};
const chatml: ConvTemplate = {
  system_template: '<|im_start|>system\n{system_message}<|im_end|>\n',
  system_message: 'You are Qwen.',
  roles: { user: '<|im_start|>user', assistant: '<|im_start|>assistant' },
  seps: ['<|im_end|>\n'],
  role_content_sep: '\n',
  role_empty_sep: '\n',
};

describe('continuation prompts from a conversation template', () => {
  it('renders earlier turns closed and the reply open, as the model saw it while generating', () => {
    const p = renderOpenReply(chatml, [
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: 'Hello! How' },
    ]);
    expect(p).toBe('<|im_start|>system\nYou are Qwen.<|im_end|>\n<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\nHello! How');
  });

  it('a system message replaces the template default; separators cycle per turn', () => {
    const p = renderOpenReply({ ...llama3, seps: [' ', '</s>'] }, [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'q1' },
      { role: 'assistant', content: 'a1' },
      { role: 'user', content: 'q2' },
      { role: 'assistant', content: 'a2 so' },
    ]);
    const h = (r: string) => `<|start_header_id|>${r}<|end_header_id|>\n\n`;
    expect(p).toBe(
      `<|start_header_id|>system<|end_header_id|>\n\nBe brief.<|eot_id|>${h('user')}q1 ${h('assistant')}a1</s>${h('user')}q2 ${h('assistant')}a2 so`,
    );
  });

  it('follows role templates, absent separators (": "), an empty system prompt and no role after the system prompt', () => {
    const t: ConvTemplate = {
      system_template: '{system_message}',
      system_message: '',
      roles: { user: 'USER', assistant: 'ASSISTANT' },
      role_templates: { user: '[{user_message}]{function_string}' },
      seps: ['\n'],
    };
    expect(
      renderOpenReply(t, [
        { role: 'user', content: 'x' },
        { role: 'assistant', content: 'y' },
      ]),
    ).toBe('USER: [x]\nASSISTANT: y');
    expect(
      renderOpenReply({ ...t, system_message: 'S', add_role_after_system_message: false, role_empty_sep: '' }, [
        { role: 'user', content: 'x' },
        { role: 'assistant', content: 'y' },
      ]),
    ).toBe('S[x]\nASSISTANTy');
    expect(
      renderOpenReply({ ...t, render_empty_system_message: false, system_template: '<s>{system_message}</s>' }, [
        { role: 'assistant', content: 'y' },
      ]),
    ).toBe('ASSISTANT: y');
    expect(() => renderOpenReply(t, [{ role: 'user', content: 'x' }])).toThrow(/assistant/);
  });
});
