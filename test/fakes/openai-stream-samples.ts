// Streamed chat completions as vLLM, llama-server and Ollama send them (shapes from their
// documentation and OpenAI-compatible server code; ids and timestamps shortened), for the unit tests.

const sse = (...payloads: string[]) => payloads.map((p) => `data: ${p}\n\n`).join('');

/** vLLM with a reasoning parser (e.g. DeepSeek-R1, `--reasoning-parser deepseek_r1`) and `stream_options.include_usage`. */
export const VLLM_REASONING = sse(
  '{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"deepseek-ai/DeepSeek-R1-Distill-Llama-70B","choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}],"usage":null}',
  '{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"deepseek-ai/DeepSeek-R1-Distill-Llama-70B","choices":[{"index":0,"delta":{"reasoning_content":"The user says hi."},"logprobs":null,"finish_reason":null}],"usage":null}',
  '{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"deepseek-ai/DeepSeek-R1-Distill-Llama-70B","choices":[{"index":0,"delta":{"reasoning_content":" Greet back."},"logprobs":null,"finish_reason":null}],"usage":null}',
  '{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"deepseek-ai/DeepSeek-R1-Distill-Llama-70B","choices":[{"index":0,"delta":{"content":"Hello"},"logprobs":null,"finish_reason":null}],"usage":null}',
  '{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"deepseek-ai/DeepSeek-R1-Distill-Llama-70B","choices":[{"index":0,"delta":{"content":" there!"},"logprobs":null,"finish_reason":"stop","stop_reason":null}],"usage":null}',
  '{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"deepseek-ai/DeepSeek-R1-Distill-Llama-70B","choices":[],"usage":{"prompt_tokens":12,"total_tokens":20,"completion_tokens":8}}',
  '[DONE]',
);

/** llama-server: the last chunk carries usage and its own `timings`. */
export const LLAMA_SERVER = sse(
  '{"choices":[{"finish_reason":null,"index":0,"delta":{"role":"assistant","content":null}}],"created":1,"id":"chatcmpl-2","model":"gpt-3.5-turbo","system_fingerprint":"b6000-abc","object":"chat.completion.chunk"}',
  '{"choices":[{"finish_reason":null,"index":0,"delta":{"content":"Héllo"}}],"created":1,"id":"chatcmpl-2","model":"gpt-3.5-turbo","system_fingerprint":"b6000-abc","object":"chat.completion.chunk"}',
  '{"choices":[{"finish_reason":null,"index":0,"delta":{"content":" 👋"}}],"created":1,"id":"chatcmpl-2","model":"gpt-3.5-turbo","system_fingerprint":"b6000-abc","object":"chat.completion.chunk"}',
  '{"choices":[{"finish_reason":"length","index":0,"delta":{}}],"created":1,"id":"chatcmpl-2","model":"gpt-3.5-turbo","system_fingerprint":"b6000-abc","object":"chat.completion.chunk","usage":{"completion_tokens":3,"prompt_tokens":9,"total_tokens":12},"timings":{"prompt_n":9,"prompt_ms":10.5,"prompt_per_token_ms":1.17,"prompt_per_second":857.1,"predicted_n":3,"predicted_ms":45.3,"predicted_per_token_ms":15.1,"predicted_per_second":66.2}}',
  '[DONE]',
);

/** Ollama's /v1/chat/completions with a thinking model (`reasoning` field) and include_usage. */
export const OLLAMA = sse(
  '{"id":"chatcmpl-3","object":"chat.completion.chunk","created":1,"model":"qwen3:32b","system_fingerprint":"fp_ollama","choices":[{"index":0,"delta":{"role":"assistant","content":"","reasoning":"Short answer."},"finish_reason":null}]}',
  '{"id":"chatcmpl-3","object":"chat.completion.chunk","created":1,"model":"qwen3:32b","system_fingerprint":"fp_ollama","choices":[{"index":0,"delta":{"role":"assistant","content":"Hi!"},"finish_reason":null}]}',
  '{"id":"chatcmpl-3","object":"chat.completion.chunk","created":1,"model":"qwen3:32b","system_fingerprint":"fp_ollama","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":"stop"}]}',
  '{"id":"chatcmpl-3","object":"chat.completion.chunk","created":1,"model":"qwen3:32b","system_fingerprint":"fp_ollama","choices":[],"usage":{"prompt_tokens":11,"completion_tokens":4,"total_tokens":15}}',
  '[DONE]',
);

/** A reply whose connection dropped after two deltas: no finish_reason, no [DONE]. */
export const CUT = VLLM_REASONING.split('\n\n').slice(0, 4).join('\n\n') + '\n\n';
