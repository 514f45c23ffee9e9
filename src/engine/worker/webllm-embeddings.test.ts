// Fails loudly when the installed WebLLM no longer embeds as the engine's `embed` expects
// (embed-batches.ts, WebLLMBackend.load with an embedding model): pinned 0.2.86, lib/index.js.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { MLCEngine, ModelType, prebuiltAppConfig } from '@mlc-ai/web-llm';
import { describe, expect, it } from 'vitest';
import { maxBatchOf } from './embed-batches';

const require = createRequire(import.meta.url);
const bundle = readFileSync(require.resolve('@mlc-ai/web-llm/package.json').replace(/package\.json$/, 'lib/index.js'), 'utf8');

describe('WebLLM embeddings as the engine uses them', () => {
  it('MLCEngine still offers embeddings.create', () => {
    const engine = new MLCEngine() as unknown as { embeddings?: { create?: unknown } };
    expect(typeof engine.embeddings?.create).toBe('function');
    expect(bundle).toMatch(/create\(request\) \{\s+return this\.engine\.embedding\(request\);/);
  });

  it('the built-in catalog still has arctic-embed models typed as embedding models, their max batch in the id', () => {
    const embedders = prebuiltAppConfig.model_list.filter((r) => r.model_type === ModelType.embedding);
    expect(embedders.map((r) => r.model_id)).toContain('snowflake-arctic-embed-m-q0f32-MLC-b4');
    expect(bundle).toContain('-b means max_batch_size this model allows');
    for (const r of embedders) expect(maxBatchOf(r.model_id), r.model_id).toBe(Number(/batch(\d+)-webgpu\.wasm$/.exec(r.model_lib)![1]));
  });

  it('reload still loads every id in turn with its own chat options, an embedding record as an EmbeddingPipeline', () => {
    expect(bundle).toMatch(/yield this\.reloadInternal\(modelId\[i\], chatOpts \? chatOpts\[i\] : undefined\);/);
    expect(bundle).toMatch(
      /if \(modelRecord\.model_type === ModelType\.embedding\) \{\s+newPipeline = new EmbeddingPipeline\(tvm, tokenizer, curModelConfig\);/,
    );
  });

  it('embedStep still batches by maxBatchSize, refuses over-long inputs by name, and answers each input with its index', () => {
    expect(bundle).toMatch(/for \(let begin = 0; begin < batchSize; begin \+= this\.maxBatchSize\)/);
    expect(bundle).toMatch(/this\.name = "EmbeddingExceedContextWindowSizeError";/);
    expect(bundle).toMatch(/embedding: embedResult\[i\],\s+index: i,\s+object: "embedding",/);
  });

  // Why embed-batches.ts wraps arctic-embed inputs in [CLS] … [SEP]: nothing else puts [CLS] first.
  it('the tokenizer still encodes without special tokens, and embedStep still keeps the first position of each input', () => {
    expect(bundle).toMatch(/tokenizedInputs = \[Array\.from\(this\.tokenizer\.encode\(input\)\)\];/);
    expect(bundle).toMatch(/Tokenizer\.prototype\.encode = function \(text\) \{\s+var ids = this\.handle\.Encode\(text\);/);
    expect(bundle).toMatch(
      /const b = i \* maxInputSize \* hidden_size;\s+const e = b \+ hidden_size;\s+result\.push\(Array\.from\(logitsCurBatchOnCPUArray\.slice\(b, e\)\)\);/,
    );
  });
});
