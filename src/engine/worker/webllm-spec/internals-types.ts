// Re-exports the structural WebLLM types, so modules that only need types import nothing else.
export type { PipelineInternals, WebLLMTokenizer } from './internals';
export type { VerifyFunctions } from './pipeline-model';
