import { describe, expect, it } from 'vitest';
import { splitThink } from '../markdown/think';
import { ReasoningText } from './reasoning-text';

function join(parts: ['r' | 'c', string][]): string {
  const r = new ReasoningText();
  return parts.map(([k, t]) => (k === 'r' ? r.reasoning(t) : r.content(t))).join('') + r.end();
}

describe('ReasoningText', () => {
  it('writes separate reasoning as the leading think block the renderer folds', () => {
    const text = join([
      ['r', 'The user '],
      ['r', 'greets.'],
      ['c', 'Hello'],
      ['c', '!'],
    ]);
    expect(text).toBe('<think>The user greets.</think>\n\nHello!');
    expect(splitThink(text)).toEqual({ thinking: 'The user greets.', closed: true, answer: 'Hello!' });
  });
  it('leaves a reply without reasoning untouched (and one with inline <think> tags as the model wrote them)', () => {
    expect(
      join([
        ['c', 'Hi'],
        ['c', ' there'],
      ]),
    ).toBe('Hi there');
    expect(
      join([
        ['c', '<think>x</think>'],
        ['c', 'y'],
      ]),
    ).toBe('<think>x</think>y');
  });
  it('closes the reasoning when the reply ends inside it (stopped or cut)', () => {
    const text = join([['r', 'half a thought']]);
    expect(splitThink(text)).toEqual({ thinking: 'half a thought', closed: true, answer: '' });
  });
  it('keeps reasoning that arrives after the answer began, as text', () => {
    expect(
      join([
        ['c', 'A'],
        ['r', 'late'],
        ['c', 'B'],
      ]),
    ).toBe('AlateB');
  });
  it('ignores empty deltas (the role-only first chunk)', () => {
    expect(
      join([
        ['c', ''],
        ['r', ''],
        ['c', 'x'],
      ]),
    ).toBe('x');
  });
});

describe('ReasoningText, empty deltas', () => {
  it('an empty answer delta does not close the reasoning', () => {
    const r = new ReasoningText();
    expect(r.reasoning('hmm')).toBe('<think>hmm');
    expect(r.content('')).toBe('');
    expect(r.reasoning(' more')).toBe(' more');
    expect(r.content('Hi')).toBe('</think>\n\nHi');
    expect(r.end()).toBe('');
  });
});
