// A tiny prefix-dependent model with scripted drafters and a recording controller, for the speculative
// loop's unit tests (src/lib/speculative/loop*.test.ts).
import { stopPolicy } from '../../src/lib/decoding';
import { argmax } from '../../src/lib/sampling';
import type { DraftLengthPolicy } from '../../src/lib/speculative/controller';
import type { Drafter, Proposal } from '../../src/lib/speculative/types';
import { prefixLogits } from './reference-sessions';

export const VOCAB = 5;
export const logits = prefixLogits(VOCAB, 11, 2);
export const greedy = { temperature: 0, topP: 1 };
export const PROMPT = [1, 2, 3];

/** The target's greedy continuation of `context`. */
export function greedyChain(context: readonly number[], k: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < k; i++) out.push(argmax(logits([...context, ...out])));
  return out;
}

/** Proposes the target's greedy continuation, wrong from position `wrongAt` on; records contexts. */
export class ScriptedDrafter implements Drafter {
  readonly kind = 'prompt-lookup' as const;
  readonly contexts: number[][] = [];
  constructor(readonly wrongAt = Infinity) {}
  propose(context: readonly number[], k: number): Proposal {
    this.contexts.push([...context]);
    return { tokens: greedyChain(context, k).map((t, i) => (i >= this.wrongAt ? (t + 1) % VOCAB : t)) };
  }
}

/** A fixed k that records what the loop tells it. */
export class Recorder implements DraftLengthPolicy {
  readonly decodes: number[] = [];
  readonly verifies: [number, number, number, number][] = [];
  offReason: string | undefined;
  constructor(public k: number) {}
  observeDecode(ms: number) {
    this.decodes.push(ms);
  }
  observeVerify(drafted: number, accepted: number, verifyMs: number, draftMs: number) {
    this.verifies.push([drafted, accepted, verifyMs, draftMs]);
  }
}

export const upTo = (n: number) => stopPolicy({ stopTokenIds: [], maxTokens: n });
