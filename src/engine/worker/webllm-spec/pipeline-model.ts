// One loaded WebLLM model as the StepModel the speculative loop drives: verify through the function
// planVerify chose (batch_prefill with every logit position, or batch_verify), rollback through
// vm.builtin.kv_state_popn (emptying the cache through WebLLM's resetKVCache: older TVM builds
// refuse to pop the whole sequence), integers as TVM scalars, every TVM object disposed or scoped.
// WebLLM's own bookkeeping (filledKVCacheLength) moves with every call. A plain step can also run
// as WebLLM's own (GPU sampling), the baseline speculation is measured against. Runs in the engine worker.

import type { StepModel } from '../../../lib/decoding';
import { POPN_FUNC, type GenerationConfigLike, type PackedFunc, type PipelineInternals, type TvmTensor } from './internals';

export interface VerifyFunctions {
  popn: PackedFunc;
  batchPrefill?: PackedFunc;
  batchVerify?: PackedFunc;
  /** Largest number of logit positions batch_prefill accepts (compile-time max_batch_size). */
  maxBatchSize: number;
  vocabSize: number;
  /** The verify function planVerify chose and the drafts per pass it allows (absent: cannot verify). */
  use?: 'batch_prefill' | 'batch_verify';
  maxDraftTokens?: number;
}

/** What findVerifyFunctions reads from the library; `maxBatchSize` is undefined when not stated. */
type FoundFunctions = Partial<Omit<VerifyFunctions, 'maxBatchSize'>> & {
  maxBatchSize?: number;
  /** metadata.memory_usage.batch_verify, in bytes. */
  batchVerifyBytes?: number;
  metadata?: Record<string, unknown>;
};

/** Calls `get` inside a scope and keeps its result beyond it. */
function grab<T>(p: PipelineInternals, get: () => T): T {
  p.tvm.beginScope();
  try {
    return p.tvm.detachFromCurrentScope(get());
  } finally {
    p.tvm.endScope();
  }
}

function tryVmFunction(p: PipelineInternals, name: string): PackedFunc | undefined {
  try {
    const f = grab(p, () => p.vm.getFunction(name));
    return typeof f === 'function' ? f : undefined;
  } catch {
    return undefined;
  }
}

/** Looks up what verification needs; undefined members mean the library lacks them. */
export function findVerifyFunctions(p: PipelineInternals): FoundFunctions {
  let popn: PackedFunc | undefined;
  try {
    popn = grab(p, () => p.tvm.getGlobalFunc(POPN_FUNC));
  } catch {
    popn = undefined;
  }
  let metadata: Record<string, unknown> | undefined;
  try {
    p.tvm.beginScope();
    metadata = JSON.parse(String((p.vm.getFunction('_metadata') as () => { toString(): string })())) as Record<string, unknown>;
  } catch {
    metadata = undefined;
  } finally {
    p.tvm.endScope();
  }
  const out: FoundFunctions = {};
  if (popn) out.popn = popn;
  const bp = tryVmFunction(p, 'batch_prefill');
  const bv = tryVmFunction(p, 'batch_verify');
  if (bp) out.batchPrefill = bp;
  if (bv) out.batchVerify = bv;
  if (metadata) out.metadata = metadata;
  const maxBatch = Number(metadata?.max_batch_size);
  if (Number.isFinite(maxBatch) && maxBatch > 0) out.maxBatchSize = maxBatch;
  const workspace = Number((metadata?.memory_usage as Record<string, unknown> | undefined)?.batch_verify);
  if (Number.isFinite(workspace) && workspace >= 0) out.batchVerifyBytes = workspace;
  return out;
}

export class PipelineModel implements StepModel {
  readonly pipe: PipelineInternals;
  readonly #f: VerifyFunctions;

  constructor(pipe: PipelineInternals, functions: VerifyFunctions) {
    this.pipe = pipe;
    this.#f = functions;
  }

  get vocabSize(): number {
    return this.#f.vocabSize;
  }
  get contextWindow(): number {
    return this.pipe.contextWindowSize;
  }
  get length(): number {
    return this.pipe.filledKVCacheLength;
  }
  /** Drafts one verify pass may carry (the loop caps K with it). */
  get maxDraftTokens(): number {
    return this.#f.maxDraftTokens ?? 0;
  }

  /** Appends tokens (chunked by WebLLM) and returns the logits after the last one. */
  async prefill(tokens: readonly number[]): Promise<Float32Array> {
    const logits = await this.pipe.forwardKnownTokens([...tokens], false);
    if (!logits) throw new Error('forwardKnownTokens returned no logits');
    try {
      return await this.#toHost(logits, 1);
    } finally {
      logits.dispose();
    }
  }

  decodeOne(token: number): Promise<Float32Array> {
    return this.prefill([token]);
  }

  /**
   * A plain decode step exactly as WebLLM runs it with speculation off: its forward of the last
   * output token (`token`) and its own sampling on the GPU. The token is returned uncommitted.
   */
  async samplePlain(token: number, genConfig: GenerationConfigLike): Promise<number> {
    const last = this.pipe.outputIds.at(-1);
    if (last !== token) throw new Error(`WebLLM would decode token ${last}, not the pending ${token}`);
    return (await this.pipe.sampleDecodeStep(genConfig)).tokenId;
  }

  /** One forward pass over `tokens`, returning a logits row for every position. */
  async verify(tokens: readonly number[]): Promise<Float32Array> {
    const p = this.pipe;
    const n = tokens.length;
    if (n > p.prefillChunkSize) throw new RangeError(`cannot verify ${n} tokens in one pass (prefill chunk ${p.prefillChunkSize})`);
    const useBatchPrefill = this.#f.use === 'batch_prefill';
    if (useBatchPrefill && n > this.#f.maxBatchSize)
      throw new RangeError(`cannot verify ${n} tokens in one pass (max_batch_size ${this.#f.maxBatchSize})`);
    const fn = useBatchPrefill ? this.#f.batchPrefill : this.#f.use === 'batch_verify' ? this.#f.batchVerify : undefined;
    if (!fn) throw new Error('no verify function was chosen for this model');
    p.tvm.beginScope();
    try {
      const embedded = p.getTokensEmbeddings([...tokens]);
      const embeddings = embedded.view([1, n, embedded.shape[1]!]);
      p.fKVCacheBeginForward(p.kvCache, p.tvm.makeShapeTuple([0]), p.tvm.makeShapeTuple([n]));
      let out: unknown;
      try {
        if (useBatchPrefill) {
          const positions = p.tvm
            .empty([n], 'int32', (p as unknown as { device: unknown }).device)
            .copyFrom(Int32Array.from({ length: n }, (_, i) => i));
          out = fn(embeddings, positions, p.kvCache, p.params);
        } else out = fn(embeddings, p.kvCache, p.params);
      } finally {
        p.fKVCacheEndForward(p.kvCache);
      }
      p.filledKVCacheLength += n;
      const logits = (out as { get(i: number): TvmTensor }).get(0);
      return await this.#toHost(logits, n);
    } finally {
      p.tvm.endScope();
    }
  }

  /** Drops the last n positions from the KV cache (after a forward pass, never inside one). */
  rollback(n: number): void {
    if (n === 0) return;
    const p = this.pipe;
    if (!Number.isInteger(n) || n < 0 || n > p.filledKVCacheLength) {
      throw new RangeError(`cannot pop ${n} of ${p.filledKVCacheLength} KV positions`);
    }
    if (n === p.filledKVCacheLength) {
      // PopN in older TVM builds checks n < seq_length; clearing is what WebLLM does for a new chat.
      p.tvm.beginScope();
      try {
        p.resetKVCache();
      } finally {
        p.tvm.endScope();
      }
      p.filledKVCacheLength = 0;
      return;
    }
    p.tvm.beginScope();
    try {
      this.#f.popn(p.kvCache, p.tvm.scalar(0, 'int64'), p.tvm.scalar(n, 'int32'));
    } finally {
      p.tvm.endScope();
    }
    p.filledKVCacheLength -= n;
  }

  /** Copies rows × vocab float32 logits to the CPU. */
  async #toHost(t: TvmTensor, rows: number): Promise<Float32Array> {
    const p = this.pipe;
    p.tvm.beginScope();
    try {
      const host = p.tvm.empty(t.shape, 'float32', p.tvm.cpu());
      host.copyFrom(t);
      await p.device.sync();
      const all = host.toArray() as Float32Array;
      const v = this.#f.vocabSize;
      if (all.length < rows * v) throw new Error(`expected ${rows}×${v} logits, got ${all.length}`);
      // Rows can be padded past the tokenizer's vocabulary; keep the first `v` of each.
      const stride = all.length / rows;
      if (stride === v) return all.slice(0, rows * v);
      const out = new Float32Array(rows * v);
      for (let r = 0; r < rows; r++) out.set(all.subarray(r * stride, r * stride + v), r * v);
      return out;
    } finally {
      p.tvm.endScope();
    }
  }
}
