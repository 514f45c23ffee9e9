import { describe, expect, it } from 'vitest';
import { splitThink, thinkLabel, thinkingEnded } from './think';

describe('splitThink', () => {
  it('splits closed reasoning from the answer', () => {
    expect(splitThink('<think>\nhmm, 2+2\n</think>\n\nIt is **4**.')).toEqual({
      thinking: 'hmm, 2+2',
      closed: true,
      answer: 'It is **4**.',
    });
  });
  it('an unclosed tag while streaming is reasoning still going on', () => {
    expect(splitThink('  <think>let me see', true)).toEqual({ thinking: 'let me see', closed: false, answer: '' });
  });
  it('hides a half-arrived tag while streaming, shows it as text once done', () => {
    expect(splitThink('<thi', true)).toEqual({ closed: false, answer: '' });
    expect(splitThink('<thi')).toEqual({ closed: false, answer: '<thi' });
  });
  it('takes a reply that only closes the tag (the template opened it) as reasoning first', () => {
    expect(splitThink('weighing it</think>Yes.')).toEqual({ thinking: 'weighing it', closed: true, answer: 'Yes.' });
  });
  it('leaves a reply without reasoning, or with the tag later in the text, as it is', () => {
    expect(splitThink('Use <think> tags like <think>x</think>.')).toEqual({
      closed: false,
      answer: 'Use <think> tags like <think>x</think>.',
    });
    expect(splitThink('plain')).toEqual({ closed: false, answer: 'plain' });
  });
  it('knows when the reasoning ended, and labels it', () => {
    expect(thinkingEnded('<think>a')).toBe(false);
    expect(thinkingEnded('<think>a</think>')).toBe(true);
    expect(thinkingEnded('no reasoning')).toBe(false);
    expect(thinkLabel(splitThink('<think>a', true), undefined)).toBe('Thinking…');
    expect(thinkLabel(splitThink('<think>a</think>b'), 4_400)).toBe('Thought for 4 s');
    expect(thinkLabel(splitThink('<think>a</think>b'), 80)).toBe('Thought for 1 s');
    expect(thinkLabel(splitThink('<think>a</think>b'), undefined)).toBe('Thought');
  });
});
