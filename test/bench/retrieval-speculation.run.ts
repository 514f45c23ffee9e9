// Prompt-lookup drafting with and without retrieved passages in the prompt, on the reference engine
// (simulated GPU step costs, virtual clock): question answering over the test documents in
// qa-docs.ts, the top 3 passages by the reference embedder put numbered into the system message as
// the page does. Two targets: reference-tiny, which never looks at the question (so the passages
// change nothing but the prompt's length), and reference-reader, which quotes the prompt sentence
// that best matches the question before going on in its own words, as grounded answers do.
import { expect, test } from 'vitest';
import { decodePlain, stopPolicy } from '../../src/lib/decoding';
import type { ChatMessage } from '../../src/lib/conversation';
import { createRng } from '../../src/lib/rng';
import { dot, referenceEmbedding } from '../../src/lib/reference/embedder';
import { REFERENCE_READER, REFERENCE_TINY, ReferenceModel, type ReferenceModelSpec } from '../../src/lib/reference/model';
import { CostedModel, TARGET_COSTS, VirtualClock } from '../../src/lib/reference/cost-model';
import { ReferenceSession } from '../../src/lib/reference/session';
import { renderPrompt } from '../../src/lib/reference/template';
import { END_ID } from '../../src/lib/reference/vocab';
import { AdaptiveDraftLength } from '../../src/lib/speculative/controller';
import { decodeSpeculative } from '../../src/lib/speculative/loop';
import { PromptLookupDrafter } from '../../src/lib/speculative/prompt-lookup';
import { QUESTIONS, passages } from './qa-docs';

const TOP_K = 3;
const MAX_TOKENS = 120;
const MAX_K = 6;
const SEEDS = 20;
const PASSAGES = passages();
const VECTORS = PASSAGES.map((p) => referenceEmbedding(p.text));

function retrieve(question: string) {
  const q = referenceEmbedding(question);
  return VECTORS.map((v, i) => ({ i, score: dot(q, v) }))
    .sort((a, b) => b.score - a.score)
    .slice(0, TOP_K)
    .map(({ i }) => PASSAGES[i]!);
}

function messages(question: string, withPassages: boolean): ChatMessage[] {
  const system = withPassages
    ? `Answer from the numbered passages below and cite them as [n].\n\n${retrieve(question)
        .map((p, i) => `[${i + 1}] (${p.doc}) ${p.text}`)
        .join('\n\n')}`
    : 'Answer the question.';
  return [
    { role: 'system', content: system },
    { role: 'user', content: question },
  ];
}

/** Reply tokens covered by a 4-token run that also occurs in the prompt. */
function copied(prompt: readonly number[], reply: readonly number[]): number {
  const key = (a: readonly number[], i: number) => `${a[i]},${a[i + 1]},${a[i + 2]},${a[i + 3]}`;
  const grams = new Set<string>();
  for (let i = 0; i + 4 <= prompt.length; i++) grams.add(key(prompt, i));
  const covered = new Uint8Array(reply.length);
  for (let i = 0; i + 4 <= reply.length; i++) if (grams.has(key(reply, i))) covered.fill(1, i, i + 4);
  return covered.reduce((n, c) => n + c, 0);
}

async function run(spec: ReferenceModelSpec, prompt: number[], sampling: { temperature: number; topP: number }, seed: number) {
  const model = new ReferenceModel(spec);
  const commit = () => stopPolicy({ stopTokenIds: [END_ID], maxTokens: MAX_TOKENS });
  const plainClock = new VirtualClock();
  const plain = await decodePlain(new CostedModel(new ReferenceSession(model), TARGET_COSTS, plainClock.charge), prompt, {
    sampling,
    rng: createRng(seed),
    commit: commit(),
  });
  const clock = new VirtualClock();
  const r = await decodeSpeculative(new CostedModel(new ReferenceSession(model), TARGET_COSTS, clock.charge), prompt, {
    sampling,
    rng: createRng(seed),
    commit: commit(),
    drafter: new PromptLookupDrafter(),
    controller: new AdaptiveDraftLength({ maxK: MAX_K }),
    clock: clock.now,
  });
  // Greedy speculation changes the speed, never the reply (sampled, it keeps the distribution, not the draws).
  if (sampling.temperature === 0) expect(r.tokens, `${spec.id} seed ${seed}`).toEqual(plain.tokens);
  // The virtual clock's decode time: everything after the prefill, which both runs pay alike.
  const prefillMs = TARGET_COSTS.prefillMsPerToken * prompt.length + TARGET_COSTS.decodeMs;
  return {
    tokens: r.tokens.length,
    passes: r.stats.targetPasses + 1,
    drafted: r.stats.drafted,
    accepted: r.stats.accepted,
    copied: copied(prompt, r.tokens),
    promptTokens: prompt.length,
    plainMs: plainClock.now() - prefillMs,
    specMs: clock.now() - prefillMs,
    replyMs: clock.now(),
  };
}

test('prompt lookup with and without the retrieved passages in the prompt', async () => {
  const hits = QUESTIONS.filter((q) => retrieve(q.question).some((p) => p.text.includes(q.answer))).length;
  const lines = [
    '',
    '| target | passages in prompt | sampling | prompt tokens | reply tokens | copied from prompt | acceptance | tokens/pass | decode speed-up | ms/token, prefill included |',
    '|---|---|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  const samplings = [
    { label: 'greedy', sampling: { temperature: 0, topP: 1 }, seeds: 1 },
    { label: `T=0.7, top-p 0.95 (${SEEDS} seeds)`, sampling: { temperature: 0.7, topP: 0.95 }, seeds: SEEDS },
  ];
  for (const spec of [REFERENCE_TINY, REFERENCE_READER]) {
    for (const { label, sampling, seeds } of samplings) {
      for (const withPassages of [false, true]) {
        const sum = {
          tokens: 0,
          passes: 0,
          drafted: 0,
          accepted: 0,
          copied: 0,
          promptTokens: 0,
          plainMs: 0,
          specMs: 0,
          replyMs: 0,
          runs: 0,
        };
        for (const q of QUESTIONS) {
          const prompt = renderPrompt(messages(q.question, withPassages));
          for (let seed = 0; seed < seeds; seed++) {
            const r = await run(spec, prompt, sampling, seed);
            for (const k of Object.keys(r) as (keyof typeof r)[]) sum[k] += r[k];
            sum.runs++;
          }
        }
        lines.push(
          `| ${spec.id} | ${withPassages ? `top ${TOP_K}` : 'none'} | ${label} | ${Math.round(sum.promptTokens / sum.runs)} | ${(sum.tokens / sum.runs).toFixed(1)} | ${((100 * sum.copied) / sum.tokens).toFixed(0)}% | ${sum.drafted ? (sum.accepted / sum.drafted).toFixed(2) : '—'} | ${(sum.tokens / sum.passes).toFixed(2)} | ${(sum.plainMs / sum.specMs).toFixed(2)}× | ${(sum.replyMs / sum.tokens).toFixed(1)} |`,
        );
      }
    }
  }
  console.log(lines.join('\n'));
  console.log(
    `(${QUESTIONS.length} questions over ${PASSAGES.length} passages of 3 documents; the passage holding the answer is in the top ${TOP_K} for ${hits} of ${QUESTIONS.length}; ` +
      `prompt lookup, adaptive K up to ${MAX_K}, ${MAX_TOKENS} tokens max; tokens/pass counts the prefill's token as one pass; ` +
      `decode speed-up is plain decode time over speculative decode time, prefill excluded; ms/token is the whole speculative reply, prefill included, ` +
      `on the simulated costs: target decode ${TARGET_COSTS.decodeMs} ms, prefill ${TARGET_COSTS.prefillMsPerToken} ms per prompt token)`,
  );
});

test('CPU cost of one prompt-lookup proposal as retrieved passages lengthen the prompt', () => {
  const lines = [
    '',
    '| prompt tokens | µs per proposal (no match: full scans for n = 3, 2, 1) | µs per proposal (match at the very start: one full scan) |',
    '|---:|---:|---:|',
  ];
  for (const size of [1_000, 8_000, 32_000, 128_000]) {
    const rng = createRng(size);
    // Random word-level tokens: no 1- to 3-gram repeats the suffix, so every proposal scans it all.
    const miss = Array.from({ length: size }, () => 100_000 + Math.floor(rng() * 1e9));
    const hit = [7, 8, 9, 10, ...miss.slice(4), 7, 8, 9];
    const drafter = new PromptLookupDrafter();
    const time = (ctx: number[]) => {
      for (let i = 0; i < 3; i++) drafter.propose(ctx, 6);
      const t0 = performance.now();
      const n = 20;
      for (let i = 0; i < n; i++) drafter.propose(ctx, 6);
      return ((performance.now() - t0) / n) * 1000;
    };
    expect(drafter.propose(hit, 6).tokens).toEqual([10, ...miss.slice(4, 9)]);
    lines.push(`| ${size.toLocaleString('en')} | ${time(miss).toFixed(0)} | ${time(hit).toFixed(0)} |`);
  }
  console.log(lines.join('\n'));
});
