// Error classes shared by page and worker. Errors cross the worker boundary as {name, message,
// cause} and are rebuilt here into named classes, each with a message meant for the user, so the
// UI branches on classes, never on strings. Foreign errors (WebLLM's, which it does not export, and
// the DOM's QuotaExceededError) are recognised by name here and nowhere else.

import type { SerializedError } from './protocol';

export class AirgapError extends Error {
  override name = 'AirgapError';
  /** What to tell the user. */
  get userMessage(): string {
    return this.message;
  }
}

export class WebGPUUnavailableError extends AirgapError {
  override name = 'WebGPUUnavailableError';
  override get userMessage(): string {
    return 'This browser does not offer WebGPU, which Airgap needs to run models on your GPU. Use a recent Chrome or Edge on desktop (113 or later) or Chrome on Android (121 or later).';
  }
}

export class EngineCrashedError extends AirgapError {
  override name = 'EngineCrashedError';
  override get userMessage(): string {
    return 'The engine stopped unexpectedly. Your conversation is safe: restart the engine to continue.';
  }
}

export class ModelNotLoadedError extends AirgapError {
  override name = 'ModelNotLoadedError';
  override get userMessage(): string {
    return 'No model is loaded yet. Choose a model and press Load, then send your message again.';
  }
}

export class UnknownModelError extends AirgapError {
  override name = 'UnknownModelError';
}

export class ModelLoadError extends AirgapError {
  override name = 'ModelLoadError';
  override get userMessage(): string {
    return `The model could not be loaded: ${this.message}`;
  }
}

export class DeviceLostError extends AirgapError {
  override name = 'DeviceLostError';
  override get userMessage(): string {
    return 'The GPU device was lost, most often because the model or its context did not fit in GPU memory. Try a smaller model or a smaller context window.';
  }
}

export class ShaderF16UnsupportedError extends AirgapError {
  override name = 'ShaderF16UnsupportedError';
  override get userMessage(): string {
    return 'This model needs the WebGPU feature shader-f16, which this GPU or browser does not offer. Choose the q4f32 variant of the same model.';
  }
}

export class ContextWindowExceededError extends AirgapError {
  override name = 'ContextWindowExceededError';
  override get userMessage(): string {
    return "The conversation no longer fits in the model's context window. Start a new conversation or load the model with a larger context.";
  }
}

export class EngineBusyError extends AirgapError {
  override name = 'EngineBusyError';
  override get userMessage(): string {
    return 'The engine is busy with another request. Wait for it to finish or press Stop.';
  }
}

export class StorageFullError extends AirgapError {
  override name = 'StorageFullError';
  override get userMessage(): string {
    return `The browser ran out of storage while saving the model (${this.message}). Nothing half-written was kept. Free space (delete other models in Storage) or ask for persistent storage, then resume.`;
  }
}

/** A download would not fit the storage quota; the message carries the figures. */
export class QuotaPreflightError extends AirgapError {
  override name = 'QuotaPreflightError';
  override get userMessage(): string {
    return `This download will probably not fit: ${this.message}. Free space first, or download anyway.`;
  }
}

export class DownloadError extends AirgapError {
  override name = 'DownloadError';
  override get userMessage(): string {
    return `The download failed: ${this.message}. Files already complete are kept; resume to continue.`;
  }
}

export class ModelSourceError extends AirgapError {
  override name = 'ModelSourceError';
  override get userMessage(): string {
    return `The model source could not be added: ${this.message}.`;
  }
}

export class EngineError extends AirgapError {
  override name = 'EngineError';
}

type ErrorClass = new (message: string) => AirgapError;

const BY_NAME: Record<string, ErrorClass> = {
  WebGPUUnavailableError,
  EngineCrashedError,
  ModelNotLoadedError,
  UnknownModelError,
  ModelLoadError,
  DeviceLostError,
  ShaderF16UnsupportedError,
  ContextWindowExceededError,
  EngineBusyError,
  EngineError,
  StorageFullError,
  QuotaPreflightError,
  DownloadError,
  ModelSourceError,
  QuotaExceededError: StorageFullError,
  // WebLLM's own names, mapped onto ours.
  WebGPUNotAvailableError: WebGPUUnavailableError,
  WebGPUNotFoundError: WebGPUUnavailableError,
  ShaderF16SupportError: ShaderF16UnsupportedError,
  ContextWindowSizeExceededError: ContextWindowExceededError,
  ModelNotFoundError: UnknownModelError,
  WorkerEngineModelNotLoadedError: ModelNotLoadedError,
};

export function serializeError(err: unknown): SerializedError {
  if (err instanceof Error) {
    const cause = err.cause instanceof Error ? `${err.cause.name}: ${err.cause.message}` : undefined;
    return cause ? { name: err.name, message: err.message, cause } : { name: err.name, message: err.message };
  }
  return { name: 'EngineError', message: String(err) };
}

export function rehydrateError(e: SerializedError): AirgapError {
  const Cls = BY_NAME[e.name] ?? EngineError;
  const err = new Cls(e.message);
  if (e.cause) err.cause = e.cause;
  return err;
}

/** The browser refused to store more: DOMException has no subclasses, so its name is all there is. */
export function isQuotaExceeded(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'QuotaExceededError';
}

/** Any thrown value as an AirgapError (same-context errors pass through unchanged). */
export function toAirgapError(err: unknown): AirgapError {
  return err instanceof AirgapError ? err : rehydrateError(serializeError(err));
}
