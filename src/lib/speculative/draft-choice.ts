// Which draft model a load asks the worker for, given the user's speculation mode. The sizing
// suggests one (lib/gpu/draft.ts) or the user chose one; "auto" must never start a download the
// user did not ask for, so it drafts with a model only when that model is already stored.

import type { SpecMode } from './types';

/** The draft model to load beside the target, or undefined for none. */
export function draftToLoad(mode: SpecMode, suggested: string | undefined, suggestedIsCached: boolean): string | undefined {
  if (mode === 'draft-model') return suggested;
  if (mode === 'auto' && suggestedIsCached) return suggested;
  return undefined;
}

/** Whether the choice depends on the suggested model being stored (the caller then asks the worker). */
export function needsCacheCheck(mode: SpecMode, suggested: string | undefined): suggested is string {
  return mode === 'auto' && suggested !== undefined;
}
