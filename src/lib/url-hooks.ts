// Test hooks read from the page URL (ARCHITECTURE.md, "Tests"): ?engine=reference, &tps=N, &maxtokens=N, ?models=URL,
// &maxdocbytes=N.
// The engine kind and its hooks are what the page sends the worker at hello (HelloParams).

export type EngineKind = 'webllm' | 'reference';

/** Which engine runs, and the reference engine's test hooks. */
export interface EngineHooks {
  engine: EngineKind;
  /** Reference engine only: tokens per second to stream at. */
  tokensPerSecond?: number;
  /** Reference engine only: the speculation self-check sees a GPU that disagrees with itself. */
  corruptSelfCheck?: boolean;
  /** Reference engine only: the simulated GPU device is lost right after the first load. */
  deviceLostForTest?: 'after-load';
  /** Reference engine only: no reply is longer than this many tokens (then it ends with "length"). */
  maxTokensForTest?: number;
  /** Any engine: a model import waits this long before each file (so a test can pause or cancel it midway). */
  importDelayMsForTest?: number;
}

export interface UrlHooks extends EngineHooks {
  modelSources: string[];
  /** Reference engine only: documents larger than this are refused (a test's stand-in for a 200 MB file). */
  maxDocBytes?: number;
}

export function readHooks(search: string): UrlHooks {
  const params = new URLSearchParams(search);
  const engine: EngineKind = params.get('engine') === 'reference' ? 'reference' : 'webllm';
  const tps = Number(params.get('tps'));
  const hooks: UrlHooks = { engine, modelSources: params.getAll('models').filter(Boolean) };
  if (engine === 'reference' && Number.isFinite(tps) && tps > 0) hooks.tokensPerSecond = tps;
  if (engine === 'reference' && params.get('selfcheck') === 'corrupt') hooks.corruptSelfCheck = true;
  if (engine === 'reference' && params.get('devicelost') === 'after-load') hooks.deviceLostForTest = 'after-load';
  const maxTokens = Number(params.get('maxtokens'));
  if (engine === 'reference' && Number.isInteger(maxTokens) && maxTokens > 0) hooks.maxTokensForTest = maxTokens;
  const maxDocBytes = Number(params.get('maxdocbytes'));
  if (engine === 'reference' && Number.isInteger(maxDocBytes) && maxDocBytes > 0) hooks.maxDocBytes = maxDocBytes;
  const importDelay = Number(params.get('importdelay'));
  if (Number.isInteger(importDelay) && importDelay > 0) hooks.importDelayMsForTest = importDelay;
  return hooks;
}
