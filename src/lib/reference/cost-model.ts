// Simulated GPU step costs for the reference engine, so the adaptive controller meets realistic
// cost ratios: at batch size 1 decoding is bound by memory bandwidth, so verifying n tokens costs
// little more than decoding one, and a small draft model steps several times faster than the target.

import type { StepModel } from '../decoding';

export interface StepCosts {
  /** One decode step of this model. */
  decodeMs: number;
  /** Each extra token in a verify pass, as a fraction of a decode. */
  verifyMarginal: number;
  /** Prefill, per prompt token. */
  prefillMsPerToken: number;
}

/** A mid-size target on a discrete GPU: 25 ms per token, +8% per extra verified token. */
export const TARGET_COSTS: StepCosts = { decodeMs: 25, verifyMarginal: 0.08, prefillMsPerToken: 0.5 };
/** A draft model about a quarter of the target's step time. */
export const DRAFT_COSTS: StepCosts = { decodeMs: 6, verifyMarginal: 0.08, prefillMsPerToken: 0.15 };

type Charge = (ms: number) => void | Promise<void>;

/** Wraps a model and charges each call's simulated cost (to a virtual clock, or as a real sleep). */
export class CostedModel implements StepModel {
  readonly inner: StepModel;
  readonly #costs: StepCosts;
  readonly #charge: Charge;

  constructor(inner: StepModel, costs: StepCosts, charge: Charge) {
    this.inner = inner;
    this.#costs = costs;
    this.#charge = charge;
  }

  get vocabSize(): number {
    return this.inner.vocabSize;
  }
  get contextWindow(): number {
    return this.inner.contextWindow;
  }
  get length(): number {
    return this.inner.length;
  }

  async prefill(tokens: readonly number[]): Promise<Float32Array> {
    const out = await this.inner.prefill(tokens);
    await this.#charge(tokens.length === 1 ? this.#costs.decodeMs : this.#costs.prefillMsPerToken * tokens.length + this.#costs.decodeMs);
    return out;
  }

  async decodeOne(token: number): Promise<Float32Array> {
    const out = await this.inner.decodeOne(token);
    await this.#charge(this.#costs.decodeMs);
    return out;
  }

  async verify(tokens: readonly number[]): Promise<Float32Array> {
    const out = await this.inner.verify(tokens);
    await this.#charge(this.#costs.decodeMs * (1 + this.#costs.verifyMarginal * (tokens.length - 1)));
    return out;
  }

  async rollback(n: number): Promise<void> {
    await this.inner.rollback(n);
  }
}

export class VirtualClock {
  #t = 0;
  readonly now = (): number => this.#t;
  readonly charge = (ms: number): void => {
    this.#t += ms;
  };
}
