// Fails loudly when the installed WebLLM no longer has a private field or function that the
// speculative adapter relies on (it is pinned to 0.2.86; an upgrade must pass this first).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { MLCEngine } from '@mlc-ai/web-llm';
import { describe, expect, it } from 'vitest';
import { ENGINE_MEMBERS, PIPELINE_MEMBERS, POPN_FUNC, TVM_MEMBERS, gpuDeviceOf, type PipelineInternals } from './internals';
import { CONVERSATION_MEMBERS, PROMPT_PIPELINE_MEMBERS } from '../webllm-prompt-tokens';

const require = createRequire(import.meta.url);
const pkgPath = require.resolve('@mlc-ai/web-llm/package.json');
const bundle = readFileSync(pkgPath.replace(/package\.json$/, 'lib/index.js'), 'utf8');
const version = (JSON.parse(readFileSync(pkgPath, 'utf8')) as { version: string }).version;

/** The source of `class Name …` up to the next top-level class. */
function classBody(name: string): string {
  const start = bundle.search(new RegExp(`\\bclass ${name}\\b`));
  expect(start, `class ${name} in the WebLLM bundle`).toBeGreaterThanOrEqual(0);
  const next = bundle.slice(start + 10).search(/\n(class |\t*\s*class Instance|export )/);
  return bundle.slice(start, next < 0 ? undefined : start + 10 + next);
}

const defines = (body: string, member: string) => new RegExp(`(this\\.${member}\\s*=|\\n\\s+${member}\\()`).test(body);

describe('WebLLM internals the speculative adapter uses', () => {
  it('is the pinned version', () => {
    expect(version).toBe('0.2.86');
  });

  it('LLMChatPipeline still has every field and method', () => {
    const body = classBody('LLMChatPipeline');
    const missing = PIPELINE_MEMBERS.filter((m) => !defines(body, m));
    expect(missing).toEqual([]);
    // The check can fail: the class body is a bounded slice, and an unknown name is reported.
    expect(body.length).toBeLessThan(bundle.length / 4);
    expect(defines(body, 'surelyNotAPipelineMember')).toBe(false);
  });

  it('MLCEngine still has its model maps, locks, interrupt flag and samplePrefill', () => {
    const engine = new MLCEngine() as unknown as Record<string, unknown>;
    const missing = ENGINE_MEMBERS.filter(
      (m) => !(m in engine) && typeof (MLCEngine.prototype as unknown as Record<string, unknown>)[m] !== 'function',
    );
    expect(missing).toEqual([]);
    expect(engine.loadedModelIdToPipeline).toBeInstanceOf(Map);
    expect(engine.loadedModelIdToLock).toBeInstanceOf(Map);
  });

  it('the tvmjs Instance still offers scopes, scalars, shape tuples and tensors', () => {
    const body = classBody('Instance');
    expect(TVM_MEMBERS.filter((m) => !new RegExp(`\\n\\s+${m}\\(`).test(body))).toEqual([]);
  });

  it('KV forward calls still go through the builtins the adapter calls around', () => {
    expect(bundle).toContain('"vm.builtin.kv_state_begin_forward"');
    expect(bundle).toContain('"vm.builtin.kv_state_end_forward"');
    expect(bundle).toContain('"batch_prefill"');
    expect(bundle).toContain('"_metadata"');
    // popn lives in each model's wasm, not in the bundle: it is looked up at load and its absence
    // turns speculation off for that model (see setup.ts).
    expect(POPN_FUNC).toBe('vm.builtin.kv_state_popn');
  });

  // Continuing a reply (webllm-continue.ts, chat-template.ts) repeats WebLLM's text rendering and goes
  // around its chat API's refusal; both must still hold.
  it('chat refuses an assistant-last conversation; text turns, reply headers and completion prompts render as repeated', () => {
    expect(bundle).toContain('Last message should be from either `user` or `tool`.');
    expect(bundle).toMatch(/ret\.push\(role_prefix \+\s+message_str \+\s+this\.config\.seps\[i % this\.config\.seps\.length\]\)/);
    expect(bundle).toMatch(/ret\.push\(role_str \+ empty_sep\)/);
    // A raw completion starts from an empty KV cache, its template from the loaded chat config.
    expect(bundle).toMatch(
      /inputStr = input\.prompt;\s+pipeline\.resetChat\(\);\s+const newConv = getConversation\(chatConfig\.conv_template, chatConfig\.conv_config, true\);/,
    );
    expect(bundle).toMatch(
      /prompts = this\.conversation\.getPromptArrayTextCompletion\(\);\s+\}\s+else \{\s+\/\/ 1\.2\. Conversation style\s+if \(this\.filledKVCacheLength === 0\) \{\s+if \(this\.conversation\.config\.system_prefix_token_ids/,
    );
  });

  it('processNextToken still takes the processed length, and stops at the context size', () => {
    expect(bundle).toMatch(/processNextToken\(nextToken, genConfig, processedSeqLen = this\.filledKVCacheLength\)/);
    expect(bundle).toMatch(/processedSeqLen == this\.contextWindowSize/);
  });

  // The adapter repeats these rules of WebLLM's (merged-sampling.ts, stream-deltas.ts, kv-record.ts,
  // the statistics in speculative-chat.ts); an upgrade that changes one must fail here first.
  it('the sampler still merges generation config over the chat config, and penalties still trigger on any non-neutral value', () => {
    expect(bundle).toMatch(
      /let temperature = this\.config\.temperature;\s+let top_p = this\.config\.top_p;\s+let repetition_penalty = this\.config\.repetition_penalty;\s+let frequency_penalty = this\.config\.frequency_penalty;\s+let presence_penalty = this\.config\.presence_penalty;/,
    );
    expect(bundle).toMatch(/if \(!_hasValue\(top_p\)\) \{\s+top_p = 1\.0;/);
    expect(bundle).toMatch(/if \(frequency_penalty != 0\.0 \|\|\s+presence_penalty != 0\.0 \|\|\s+repetition_penalty != 1\.0\)/);
    expect(bundle).toMatch(
      /const genConfig = \{\s+frequency_penalty: request\.frequency_penalty,\s+presence_penalty: request\.presence_penalty,\s+repetition_penalty: request\.repetition_penalty,\s+max_tokens: request\.max_tokens,\s+stop: request\.stop,\s+top_p: request\.top_p,\s+temperature: request\.temperature,/,
    );
  });

  it('streaming still holds deltas back while the message ends in U+FFFD, and cuts them by length', () => {
    expect(bundle).toMatch(
      /if \(countTrailingReplacementChar\(curMessage\) % 4 !== 0\) \{\s+return undefined;\s+\}\s+const deltaMessage = curMessage\.slice\(state\.prevMessageLength\);\s+state\.prevMessageLength = curMessage\.length;/,
    );
  });

  it('every text forward still embeds its token ids through getTokensEmbeddings', () => {
    expect(bundle).toMatch(/if \(Array\.isArray\(data\)\) \{\s+embeddings\.push\(this\.getTokensEmbeddings\(data\)\);/);
  });

  it('a plain decode step still counts one decoding token and its time in the totals and the round', () => {
    expect(bundle).toMatch(
      /this\.decodingTotalTime \+= \(tend - tstart\) \/ 1e3;\s+this\.decodingTotalTokens \+= 1;\s+this\.curRoundDecodingTotalTokens \+= 1;\s+this\.curRoundDecodingTotalTime \+= \(tend - tstart\) \/ 1e3;/,
    );
  });

  it('the WebGPU device is still kept at tvm.lib.webGPUContext.device, and a lost device still unloads every model', () => {
    expect(bundle).toContain('this.lib.webGPUContext = webGPUContext;');
    expect(classBody('WebGPUContext')).toMatch(/this\.device = device;/);
    expect(bundle).toMatch(/device\.lost\.then\(\(info\) => \{\s*if \(this\.deviceLostIsError\) \{[\s\S]{0,400}?this\.unload\(\);/);
    const lost = new Promise<undefined>(() => {});
    const pipe = (tvm: unknown) => ({ tvm }) as unknown as PipelineInternals;
    expect(gpuDeviceOf(pipe({ lib: { webGPUContext: { device: { lost } } } }))?.lost).toBe(lost);
    expect(gpuDeviceOf(pipe({ lib: {} }))).toBeUndefined();
    expect(gpuDeviceOf(pipe({ lib: { webGPUContext: { device: {} } } }))).toBeUndefined();
  });

  // webllm-prompt-tokens.ts renders and counts prompts with the pipeline's own Conversation class.
  it('prompts are still rendered by Conversation.getPromptArray and counted part by part, after the system prefix', () => {
    const pipeline = classBody('LLMChatPipeline');
    expect(PROMPT_PIPELINE_MEMBERS.filter((m) => !defines(pipeline, m))).toEqual([]);
    expect(pipeline).toMatch(/this\.conversation = getConversation\(config\.conv_template, config\.conv_config\);/);
    const conversation = classBody('Conversation');
    expect(CONVERSATION_MEMBERS.filter((m) => !defines(conversation, m))).toEqual([]);
    expect(conversation).toMatch(/constructor\(config, isTextCompletion = false\) \{/);
    expect(conversation).toMatch(/getPromptArray\(config\) \{[\s\S]{0,200}?return this\.getPromptArrayInternal\(true, 0, config\);/);
    expect(bundle).toMatch(
      /return new Conversation\(Object\.assign\(Object\.assign\(\{\}, conv_template\), conv_config\), isTextCompletion\);/,
    );
    // A first system message overrides the template's; the reply header closes the prompt.
    expect(bundle).toMatch(
      /if \(message\.role === "system"\) \{\s+if \(i !== 0\) \{\s+throw new SystemMessageOrderError\(\);\s+\}\s+conversation\.override_system_message = message\.content;/,
    );
    expect(bundle).toMatch(/conversation\.appendReplyHeader\(Role\.assistant\);/);
    expect(bundle).toMatch(/Role\["user"\] = "user";\s+Role\["assistant"\] = "assistant";/);
    // getInputData: the prefix ids on an empty cache, then each prompt part encoded alone.
    expect(bundle).toMatch(
      /if \(this\.filledKVCacheLength === 0\) \{\s+if \(this\.conversation\.config\.system_prefix_token_ids !== undefined &&\s+this\.conversation\.config\.system_prefix_token_ids !== null\) \{\s+curTokens = \[\.\.\.this\.conversation\.config\.system_prefix_token_ids\];\s+\}\s+prompts = this\.conversation\.getPromptArray\(this\.config\);/,
    );
    expect(bundle).toMatch(/if \(typeof curPrompt === "string"\) \{\s+const encoded = this\.tokenizer\.encode\(curPrompt\);/);
    expect(bundle).toMatch(
      /numPromptTokens \+ this\.filledKVCacheLength > this\.contextWindowSize\) \{\s+throw new ContextWindowSizeExceededError/,
    );
    expect(defines(conversation, 'surelyNotAConversationMember')).toBe(false);
  });
});
