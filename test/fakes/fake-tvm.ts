// A fake of tvmjs and of a WebLLM pipeline (WebLLM 0.2.86 llm_chat.ts LLMChatPipeline) that enforces the
// rules pipeline-model.ts must keep (ARCHITECTURE.md, "Invariants") as TVM's KV state does (apache/tvm
// src/runtime/vm/kv_state.cc, paged_kv_cache.cc): scoped results, integers as TVM scalars, the sequence
// grows at begin_forward, popn never inside a forward and bounded as PagedAttentionKVCacheObj::PopN (older
// builds: n < length), clear drops sequence 0 until add_sequence. Logits come from the reference model
// over the fake KV contents; `verifyDrift` makes the verify kernels disagree with decode, as GPUs can.

import type { ReferenceModel } from '../../src/lib/reference/model';
import { argmax } from '../../src/lib/sampling';

interface Scoped {
  disposed: boolean;
  dispose(): void;
}

export class FakeTvm {
  scopes: Scoped[][] = [];
  detached = new Set<Scoped>();
  calls: string[] = [];

  attach<T extends Scoped>(obj: T): T {
    const scope = this.scopes.at(-1);
    if (!scope) throw new Error('Must call beginScope to use functions that returns TVM objects');
    scope.push(obj);
    return obj;
  }
  beginScope(): void {
    this.scopes.push([]);
  }
  endScope(): void {
    const scope = this.scopes.pop();
    if (!scope) throw new Error('endScope without beginScope');
    for (const o of scope) o.dispose();
  }
  detachFromCurrentScope<T>(obj: T): T {
    const scope = this.scopes.at(-1);
    if (!scope) throw new Error('no scope to detach from');
    const i = scope.indexOf(obj as unknown as Scoped);
    if (i < 0) throw new Error('object is not in the current scope');
    scope.splice(i, 1);
    this.detached.add(obj as unknown as Scoped);
    return obj;
  }
  attachToCurrentScope<T>(obj: T): T {
    this.detached.delete(obj as unknown as Scoped);
    return this.attach(obj as unknown as Scoped) as unknown as T;
  }
  scalar(value: number, dtype: 'int32' | 'int64') {
    if (!Number.isInteger(value)) throw new Error('scalar must be an integer');
    return new FakeScalar(value, dtype);
  }
  makeShapeTuple(values: number[]) {
    return this.attach(new FakeShape(values));
  }
  empty(shape: number[], dtype: string, device: unknown) {
    return this.attach(new FakeTensor(this, shape, dtype, device, new Float64Array(shape.reduce((a, b) => a * b, 1))));
  }
  cpu() {
    return 'cpu';
  }
  getGlobalFunc(name: string) {
    const fn = this.globals[name];
    if (!fn) throw new Error(`Cannot find global function ${name}`);
    return this.attach(packed(fn, this));
  }
  globals: Record<string, (...a: unknown[]) => unknown> = {};
}

export class FakeScalar {
  constructor(
    readonly value: number,
    readonly dtype: string,
  ) {}
}

class FakeShape implements Scoped {
  disposed = false;
  constructor(readonly values: number[]) {}
  dispose() {
    this.disposed = true;
  }
}

export class FakeTensor implements Scoped {
  disposed = false;
  constructor(
    readonly tvm: FakeTvm,
    public shape: number[],
    readonly dtype: string,
    readonly device: unknown,
    public data: Float64Array,
  ) {}
  #alive() {
    if (this.disposed) throw new Error('use of a disposed tensor');
  }
  view(shape: number[]) {
    this.#alive();
    return this.tvm.attach(new FakeTensor(this.tvm, shape, this.dtype, this.device, this.data));
  }
  copyFrom(src: FakeTensor | ArrayLike<number>) {
    this.#alive();
    const data = src instanceof FakeTensor ? src.data : Float64Array.from(src as ArrayLike<number>);
    if (data.length !== this.data.length) throw new Error('copyFrom: size mismatch');
    this.data.set(data);
    return this;
  }
  toArray() {
    this.#alive();
    if (this.dtype !== 'float32') throw new Error('toArray: only float32 here');
    return Float32Array.from(this.data);
  }
  dispose() {
    this.disposed = true;
  }
}

type Fn = ((...a: unknown[]) => unknown) & Scoped;
function packed(fn: (...a: unknown[]) => unknown, tvm: FakeTvm): Fn {
  const f = ((...args: unknown[]) => {
    for (const a of args)
      if (typeof a === 'number')
        throw new Error('a plain JS number was passed where a TVM integer is needed (it would be sent as a float)');
    return fn(...args);
  }) as Fn;
  f.disposed = false;
  f.dispose = () => void (f.disposed = true);
  void tvm;
  return f;
}

export class FakeKv {
  /** Sequence 0's positions (a forward in progress included). */
  tokens: number[] = [];
  /** Sequence 0 exists (kv_state_clear removes it, kv_state_add_sequence adds it back). */
  hasSequence = true;
  pending: number | undefined;
}

/**
 * How PopN bounds n. 'last-block' is PagedAttentionKVCacheObj::PopN in apache/tvm before the
 * block-walking rewrite: CHECK_LT(n, block.seq_length), so the whole sequence can never be popped.
 * 'whole' is the current one: CHECK_LE(n, seq_length).
 */
export type PopnBound = 'last-block' | 'whole';

/** A deterministic per-(position, token) offset in [-1, 1). */
function drift(position: number, token: number): number {
  let h = Math.imul(position + 1, 0x9e3779b1) ^ Math.imul(token + 7, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
  return ((h ^ (h >>> 12)) >>> 0) / 2 ** 31 - 1;
}

const asScalar = (v: unknown, dtype: string): number => {
  if (!(v instanceof FakeScalar) || v.dtype !== dtype) throw new Error(`expected a ${dtype} TVM scalar`);
  return v.value;
};

export interface FakePipelineOptions {
  model: ReferenceModel;
  contextWindow?: number;
  prefillChunkSize?: number;
  exports?: ('batch_prefill' | 'batch_verify')[];
  maxBatchSize?: number;
  vocabPadding?: number;
  popnBound?: PopnBound;
  /**
   * How far the verify kernels' logits stray from decode's: each is offset by up to ±amplitude, so
   * the greedy choice flips only where decode's top two are that close (near-ties). 0: identical.
   */
  verifyDrift?: number;
  /** The model library's _metadata.memory_usage (bytes per function). */
  memoryUsage?: Record<string, number>;
}

/** Builds a fake LLMChatPipeline over a fake tvm, with the reference model as its weights. */
export function fakePipeline(o: FakePipelineOptions) {
  const tvm = new FakeTvm();
  const kv = new FakeKv();
  const V = o.model.vocabSize;
  const stride = V + (o.vocabPadding ?? 0);
  const logitsFor = (n: number, positions: number[], amplitude = 0) => {
    const t = tvm.attach(
      new FakeTensor(tvm, [1, positions.length, stride], 'float32', 'gpu', new Float64Array(positions.length * stride).fill(-1e4)),
    );
    const row = new Float32Array(V);
    positions.forEach((p, r) => {
      const at = kv.tokens.length - n + p + 1;
      o.model.logitsInto(kv.tokens, at, row);
      for (let v = 0; v < V; v++) t.data[r * stride + v] = row[v]! + (amplitude ? amplitude * drift(at, v) : 0);
    });
    return t;
  };
  const noSequence = () => new Error('The sequence "0" cannot be found in KV cache.');
  // The forward writes the positions begin_forward reserved (the last `n` of the sequence).
  const forward = (emb: unknown, n: number) => {
    if (kv.pending !== n) throw new Error(`forward of ${n} tokens without a matching begin_forward (${kv.pending})`);
    const ids = Array.from((emb as FakeTensor).data.slice(0, n));
    kv.tokens.splice(kv.tokens.length - n, n, ...ids);
  };
  tvm.globals['vm.builtin.kv_state_begin_forward'] = (...a) => {
    if (a.length !== 3) throw new Error('KVState BeginForward only accepts 3 or 4 arguments');
    if (a[0] !== kv) throw new Error('wrong KV state');
    if (kv.pending !== undefined) throw new Error('begin_forward twice');
    if ((a[1] as FakeShape).values.join() !== '0') throw new Error('WebLLM forwards sequence 0 only');
    if (!kv.hasSequence) throw noSequence();
    const n = (a[2] as FakeShape).values[0]!;
    if (kv.tokens.length + n > pipe.contextWindowSize) throw new Error('The KV cache is full. No page can be allocated.');
    kv.pending = n;
    // As in BeginForward: seq_length += append_length, before the model runs.
    kv.tokens.push(...Array.from({ length: n }, () => -1));
  };
  tvm.globals['vm.builtin.kv_state_end_forward'] = (...a) => {
    if (a[0] !== kv || kv.pending === undefined) throw new Error('end_forward without begin_forward');
    kv.pending = undefined;
  };
  tvm.globals['vm.builtin.kv_state_popn'] = (...a) => {
    if (a[0] !== kv) throw new Error('wrong KV state');
    if (kv.pending !== undefined) throw new Error('popn inside a forward');
    if (asScalar(a[1], 'int64') !== 0) throw new Error('WebLLM uses sequence 0');
    if (!kv.hasSequence) throw noSequence();
    const n = asScalar(a[2], 'int32');
    const len = kv.tokens.length;
    if (n < 0) throw new Error(`The length of popping ${n} cannot be negative.`);
    if ((o.popnBound ?? 'last-block') === 'last-block') {
      if (!(n < len))
        throw new Error(
          `The sequence only has length ${len} in the last block, while the length of pop is ${n} which exceeds the last-block sequence length.`,
        );
    } else if (n > len)
      throw new Error(`The sequence only has length ${len}, while the length of pop is ${n} which exceeds the whole sequence length.`);
    tvm.calls.push(`popn ${n}`);
    kv.tokens.length -= n;
  };
  tvm.globals['vm.builtin.kv_state_clear'] = (...a) => {
    if (a[0] !== kv) throw new Error('wrong KV state');
    if (kv.pending !== undefined) throw new Error('clear inside a forward');
    tvm.calls.push('clear');
    kv.tokens.length = 0;
    kv.hasSequence = false;
  };
  tvm.globals['vm.builtin.kv_state_add_sequence'] = (...a) => {
    if (a[0] !== kv) throw new Error('wrong KV state');
    if (asScalar(a[1], 'int64') !== 0) throw new Error('WebLLM uses sequence 0');
    if (kv.hasSequence) throw new Error('The sequence "0" is already in the KV cache.');
    kv.hasSequence = true;
  };
  const exportsSet = new Set(o.exports ?? ['batch_prefill', 'batch_verify']);
  const vmFns: Record<string, (...a: unknown[]) => unknown> = {
    _metadata: () => ({
      toString: () =>
        JSON.stringify({
          ...(o.maxBatchSize === 0 ? {} : { max_batch_size: o.maxBatchSize ?? 80 }),
          prefill_chunk_size: o.prefillChunkSize ?? 64,
          ...(o.memoryUsage ? { memory_usage: o.memoryUsage } : {}),
        }),
    }),
  };
  if (exportsSet.has('batch_prefill')) {
    vmFns.batch_prefill = (emb, positions, kvArg, _params) => {
      if (kvArg !== kv) throw new Error('wrong KV');
      const pos = Array.from((positions as FakeTensor).data);
      if (pos.length > (o.maxBatchSize === 0 ? 1 : (o.maxBatchSize ?? 80))) throw new Error('batch_size exceeds max_batch_size');
      const n = (emb as FakeTensor).shape[1]!;
      forward(emb, n);
      tvm.calls.push(`batch_prefill ${n}`);
      const out = logitsFor(n, pos, o.verifyDrift);
      return tvm.attach(Object.assign({ disposed: false, dispose() {}, get: (i: number) => (i === 0 ? out : kv) }));
    };
  }
  if (exportsSet.has('batch_verify')) {
    vmFns.batch_verify = (emb, kvArg, _params) => {
      if (kvArg !== kv) throw new Error('wrong KV');
      const n = (emb as FakeTensor).shape[1]!;
      forward(emb, n);
      tvm.calls.push(`batch_verify ${n}`);
      const out = logitsFor(
        n,
        Array.from({ length: n }, (_, i) => i),
        o.verifyDrift,
      );
      return tvm.attach(Object.assign({ disposed: false, dispose() {}, get: (i: number) => (i === 0 ? out : kv) }));
    };
  }
  const vm = {
    getFunction(name: string) {
      const fn = vmFns[name];
      if (!fn) throw new Error(`Cannot find function ${name}`);
      return tvm.attach(packed(fn, tvm));
    },
  };
  const pipe = {
    tvm,
    vm,
    device: { sync: async () => {} },
    params: {},
    kvCache: kv,
    rnnState: undefined,
    kvStateKind: 'kv_cache',
    slidingWindowSize: -1,
    artifact: undefined,
    contextWindowSize: o.contextWindow ?? 4096,
    prefillChunkSize: o.prefillChunkSize ?? 64,
    filledKVCacheLength: 0,
    outputIds: [] as number[],
    curRoundCompletionTotalTokens: 0,
    prefillTotalTokens: 0,
    prefillTotalTime: 0,
    decodingTotalTokens: 0,
    decodingTotalTime: 0,
    curRoundPrefillTotalTokens: 0,
    curRoundPrefillTotalTime: 0,
    curRoundDecodingTotalTokens: 0,
    curRoundDecodingTotalTime: 0,
    tokenizer: {
      getVocabSize: () => V,
      idToToken: (id: number) => `t${id}`,
      encode: (_: string) => Int32Array.from([0, 3, 20, 30, 40, 20, 30, 40, 1, 4]),
    },
    fKVCacheBeginForward: undefined as unknown,
    fKVCacheEndForward: undefined as unknown,
    fclearKVCaches: undefined as unknown,
    fKVCacheAddSequence: undefined as unknown,
    getTokensEmbeddings(ids: number[]) {
      const t = tvm.empty([ids.length, 1], 'float32', 'gpu');
      t.data.set(ids);
      return t;
    },
    async forwardKnownTokens(ids: number[], _isPrefill: boolean) {
      tvm.beginScope();
      let last: FakeTensor | undefined;
      try {
        for (let at = 0; at < ids.length; at += pipe.prefillChunkSize) {
          const chunk = ids.slice(at, at + pipe.prefillChunkSize);
          tvm.beginScope();
          const emb = pipe.getTokensEmbeddings(chunk).view([1, chunk.length, 1]);
          (pipe.fKVCacheBeginForward as (...a: unknown[]) => void)(kv, tvm.makeShapeTuple([0]), tvm.makeShapeTuple([chunk.length]));
          forward(emb, chunk.length);
          (pipe.fKVCacheEndForward as (...a: unknown[]) => void)(kv);
          pipe.filledKVCacheLength += chunk.length;
          const logits = logitsFor(chunk.length, [chunk.length - 1]);
          last = tvm.detachFromCurrentScope(logits);
          tvm.endScope();
        }
      } finally {
        tvm.endScope();
      }
      return last;
    },
    /** WebLLM's plain step: forwards the last output token and samples (greedily: the fakes run at T = 0). */
    async sampleDecodeStep(_genConfig: unknown) {
      const logits = await pipe.forwardKnownTokens([pipe.outputIds.at(-1)!], false);
      const row = logits!.toArray() as Float32Array;
      logits!.dispose();
      return { tokenId: argmax(row, 0, V) };
    },
    commitSamplerState() {},
    processNextToken() {},
    stopped: () => false,
    getFinishReason: () => undefined,
    getMessage: () => '',
    triggerStop() {},
    // As LLMChatPipeline.resetKVCache / resetChat in WebLLM 0.2.86.
    resetKVCache() {
      (pipe.fclearKVCaches as (...a: unknown[]) => void)(kv);
      (pipe.fKVCacheAddSequence as (...a: unknown[]) => void)(kv, tvm.scalar(0, 'int64'));
    },
    resetChat(_keepStats = false) {
      tvm.beginScope();
      pipe.resetKVCache();
      pipe.filledKVCacheLength = 0;
      tvm.endScope();
    },
    setSeed() {},
  };
  tvm.beginScope();
  pipe.fKVCacheBeginForward = tvm.detachFromCurrentScope(tvm.getGlobalFunc('vm.builtin.kv_state_begin_forward'));
  pipe.fKVCacheEndForward = tvm.detachFromCurrentScope(tvm.getGlobalFunc('vm.builtin.kv_state_end_forward'));
  pipe.fclearKVCaches = tvm.detachFromCurrentScope(tvm.getGlobalFunc('vm.builtin.kv_state_clear'));
  pipe.fKVCacheAddSequence = tvm.detachFromCurrentScope(tvm.getGlobalFunc('vm.builtin.kv_state_add_sequence'));
  tvm.endScope();
  return { pipe, tvm, kv };
}
