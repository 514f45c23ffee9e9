// Test hooks read from the page URL (see ui-contract.md): ?engine=reference, &tps=N, ?models=URL.

import type { EngineKind } from '../engine/protocol';

interface UrlHooks {
  engine: EngineKind;
  tokensPerSecond?: number;
  /** Reference engine only: the speculation self-check sees a GPU that disagrees with itself. */
  corruptSelfCheck?: boolean;
  /** Reference engine only: the simulated GPU device is lost right after the first load. */
  deviceLostForTest?: 'after-load';
  modelSources: string[];
}

export function readHooks(search: string): UrlHooks {
  const params = new URLSearchParams(search);
  const engine: EngineKind = params.get('engine') === 'reference' ? 'reference' : 'webllm';
  const tps = Number(params.get('tps'));
  const hooks: UrlHooks = { engine, modelSources: params.getAll('models').filter(Boolean) };
  if (engine === 'reference' && Number.isFinite(tps) && tps > 0) hooks.tokensPerSecond = tps;
  if (engine === 'reference' && params.get('selfcheck') === 'corrupt') hooks.corruptSelfCheck = true;
  if (engine === 'reference' && params.get('devicelost') === 'after-load') hooks.deviceLostForTest = 'after-load';
  return hooks;
}
