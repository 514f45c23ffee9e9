// WebLLM's load failures, seen through our error classes: WebLLM does not export its error classes,
// so the backend maps them once (toAirgapError) and the page gets ours. MLCEngine is replaced by a
// stand-in whose reload throws what WebLLM 0.2.86 throws (lib/index.js, class ...Error).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DeviceLostError, ModelLoadError, ShaderF16UnsupportedError, WebGPUUnavailableError } from '../errors';

const reloads: unknown[] = [];
let failWith: (ids: unknown) => Error = () => new Error('unset');

vi.mock('@mlc-ai/web-llm', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@mlc-ai/web-llm')>()),
  MLCEngine: class {
    async reload(ids: unknown): Promise<void> {
      reloads.push(ids);
      throw failWith(ids);
    }
  },
}));

/** An error shaped like WebLLM's own: a plain Error subclass that sets its name. */
function webllmError(name: string): Error {
  const err = new Error(`${name} from WebLLM`);
  err.name = name;
  return err;
}

const { WebLLMBackend } = await import('./webllm-backend');
const { prebuiltAppConfig } = await import('@mlc-ai/web-llm');
const [target, draft] = prebuiltAppConfig.model_list.map((r) => r.model_id);

describe('WebLLMBackend.load failures', () => {
  beforeEach(() => {
    reloads.length = 0;
    vi.stubGlobal('navigator', { gpu: {} });
  });
  afterEach(() => vi.unstubAllGlobals());

  it("turns WebLLM's WebGPU, shader-f16 and device-lost errors into ours", async () => {
    const cases: [string, new (m: string) => Error][] = [
      ['WebGPUNotAvailableError', WebGPUUnavailableError],
      ['WebGPUNotFoundError', WebGPUUnavailableError],
      ['ShaderF16SupportError', ShaderF16UnsupportedError],
      ['DeviceLostError', DeviceLostError],
    ];
    for (const [name, Cls] of cases) {
      failWith = () => webllmError(name);
      await expect(new WebLLMBackend().load(target!, {}, () => {})).rejects.toBeInstanceOf(Cls);
    }
  });

  it('wraps any other failure in a ModelLoadError carrying its message', async () => {
    failWith = () => new Error('out of memory');
    const failure = await new WebLLMBackend().load(target!, {}, () => {}).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(ModelLoadError);
    expect((failure as Error).message).toBe('out of memory');
  });

  it('does not retry the target alone when the pair failed for want of a GPU', async () => {
    failWith = () => webllmError('DeviceLostError');
    await expect(new WebLLMBackend().load(target!, { draftModelId: draft! }, () => {})).rejects.toBeInstanceOf(DeviceLostError);
    expect(reloads).toEqual([[target, draft]]);
  });
});

describe('WebLLMBackend records', () => {
  const site = (id: string) => ({ model_id: id, model: `https://ai.corp/models/${id}/`, model_lib: 'https://ai.corp/models/libs/x.wasm' });

  it("a custom source's record of a built-in id is ignored; the site's own record replaces it in place", async () => {
    const b = new WebLLMBackend();
    const before = b.records().findIndex((r) => r.model_id === target);
    b.addRecords([site(target!)]);
    expect(b.records()[before]!.model).not.toBe(site(target!).model);
    b.addRecords([site(target!)], 'site');
    expect(b.records()[before]!.model).toBe(site(target!).model);
    expect(b.records().filter((r) => r.model_id === target)).toHaveLength(1);
    expect((await b.catalog()).find((e) => e.id === target)?.source).toBe('prebuilt');
  });
});
