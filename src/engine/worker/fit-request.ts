// Fits a chat request into the loaded model's context window before either backend prefills it:
// the backend counts with its own tokenizer and chat template, lib/context-fit.ts decides what goes.
// Runs in the engine worker. A request that cannot be fitted is refused with the reason in words
// (ContextFitError), before anything reaches the model.

import { fitToWindow, type TokenCounter } from '../../lib/context-fit';
import { ContextFitError } from '../errors';
import type { ChatRequest } from '../protocol';

export function fitRequest(request: ChatRequest, count: TokenCounter, window: number): { request: ChatRequest; dropped: number } {
  // A sliding-window model has no limit to fit.
  if (!Number.isFinite(window)) return { request, dropped: 0 };
  const fit = fitToWindow(request.messages, count, {
    contextWindow: window,
    maxTokens: request.maxTokens,
    policy: request.overflow ?? 'drop-oldest',
  });
  if (!fit.ok) throw new ContextFitError(fit.message);
  return { request: fit.dropped ? { ...request, messages: fit.messages } : request, dropped: fit.dropped };
}
