// The recorded server streams in test/fixtures/openai-streams are well-formed SSE in the framing
// each server uses, and all tell the same story (reasoning, reply, one finish, usage, [DONE]), so
// parser tests built on them fail for the parser's sake, not the data's.
import { describe, expect, it } from 'vitest';
import { RECORDED_REASONING, RECORDED_REPLY, RECORDED_STREAMS, readRecordedStream } from '../fixtures/openai-streams';

interface Chunk {
  id: string;
  object: string;
  choices: { delta: Record<string, string | null>; finish_reason: string | null }[];
  usage?: unknown;
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

describe.each(RECORDED_STREAMS)('recorded stream $file', ({ file, reasoningField, usage }) => {
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
});
