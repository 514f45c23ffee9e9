// The recorded server streams in test/fixtures/openai-streams are well-formed SSE in the framing
// each server uses, and all tell the same story (reasoning, reply, one finish, usage, [DONE]), so
// parser tests built on them fail for the parser's sake, not the data's.
import { describe, expect, it } from 'vitest';
import { RECORDED_REASONING, RECORDED_REPLY, RECORDED_STREAMS, cutRecordedStream, readRecordedStream } from '../fixtures/openai-streams';

interface Chunk {
  id: string;
  object: string;
  choices: { delta: Record<string, string | null>; finish_reason: string | null }[];
  usage?: unknown;
  timings?: { prompt_per_second: number; predicted_per_second: number };
}

/** SSE events as the spec splits them: blank-line separated; comment lines (":") carry no data. */
function dataOf(text: string): string[] {
  return text
    .split('\n\n')
    .map((block) =>
      block
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice('data:'.length).trimStart())
        .join('\n'),
    )
    .filter((data) => data !== '');
}

describe.each(RECORDED_STREAMS)('recorded stream $file', ({ file, reasoningField, usage, timings }) => {
  const text = readRecordedStream(file);
  const data = dataOf(text);
  const chunks = data.slice(0, -1).map((d) => JSON.parse(d) as Chunk);
  const joined = (field: string) => chunks.map((c) => c.choices[0]?.delta[field] ?? '').join('');

  it('is SSE events of one JSON chunk each, ending with [DONE]', () => {
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
    expect(data.at(-1)).toBe('[DONE]');
    expect(new Set(chunks.map((c) => `${c.object} ${c.id}`)).size).toBe(1);
    expect(chunks[0]!.object).toBe('chat.completion.chunk');
  });

  it(`carries the reasoning in delta.${reasoningField} and the reply in delta.content`, () => {
    expect(joined(reasoningField)).toBe(RECORDED_REASONING);
    expect(joined('content')).toBe(RECORDED_REPLY);
    expect(chunks[0]!.choices[0]!.delta.role).toBe('assistant');
  });

  it('finishes once with "stop", then sends usage with empty choices', () => {
    expect(chunks.flatMap((c) => c.choices.map((ch) => ch.finish_reason)).filter((f) => f !== null)).toEqual(['stop']);
    expect(chunks.at(-1)!.choices).toEqual([]);
    expect(chunks.at(-1)!.usage).toEqual(usage);
  });

  it('states the speeds of its last timings, if it has any', () => {
    const last = chunks.findLast((c) => c.timings !== undefined)?.timings;
    expect(last && { prefillTokensPerSecond: last.prompt_per_second, decodeTokensPerSecond: last.predicted_per_second }).toEqual(timings);
  });
});

describe('cutRecordedStream', () => {
  it('keeps whole events up to the chunk that carries the token', () => {
    for (const { file, reasoningField } of RECORDED_STREAMS) {
      const cut = cutRecordedStream(file, 'content', ' of');
      expect(readRecordedStream(file).startsWith(cut)).toBe(true);
      expect(cut.endsWith('\n\n')).toBe(true);
      expect(
        dataOf(cut)
          .map((d) => (JSON.parse(d) as Chunk).choices[0]?.delta.content ?? '')
          .join(''),
      ).toBe(RECORDED_REPLY.slice(0, RECORDED_REPLY.indexOf(' of')));
      const reasoning = dataOf(cutRecordedStream(file, reasoningField, ' of')).map(
        (d) => (JSON.parse(d) as Chunk).choices[0]?.delta[reasoningField] ?? '',
      );
      expect(reasoning.join('')).toBe('The user asks for the capital');
    }
    expect(() => cutRecordedStream(RECORDED_STREAMS[0]!.file, 'content', 'absent')).toThrow(/no delta content "absent"/);
  });
});
