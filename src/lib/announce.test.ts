// The live region's announcements: one at the start, one at the end of each reply, none in between.
import { describe, expect, it } from 'vitest';
import { MAX_ANNOUNCED_CHARS, announcement, readable, type ReplyView } from './announce';

const reply = (state: ReplyView['state'], content = '', id = 'r1'): ReplyView => ({ id, state, content });

describe('announcement', () => {
  it('says a reply started, then its text once it completes, and nothing while it streams', () => {
    expect(announcement(undefined, reply('streaming'))).toBe('Generating a reply…');
    expect(announcement(reply('streaming'), reply('streaming', 'Hel'))).toBeUndefined();
    expect(announcement(reply('streaming', 'Hel'), reply('streaming', 'Hello'))).toBeUndefined();
    expect(announcement(reply('streaming', 'Hello'), reply('done', 'Hello **world**'))).toBe('Reply: Hello world');
    expect(announcement(reply('done', 'Hello'), reply('done', 'Hello'))).toBeUndefined();
  });

  it('says stopped and failed, with the reason', () => {
    expect(announcement(reply('streaming', 'a'), reply('stopped', 'a'))).toBe('Reply stopped.');
    expect(announcement(reply('streaming'), { ...reply('error'), error: 'The GPU device was lost' })).toBe(
      'Reply failed: The GPU device was lost',
    );
  });

  it('is silent about a finished reply shown again (another conversation opened)', () => {
    expect(announcement(reply('done', 'x', 'a'), reply('done', 'y', 'b'))).toBeUndefined();
    expect(announcement(undefined, reply('done', 'y'))).toBeUndefined();
    expect(announcement(reply('done'), undefined)).toBeUndefined();
  });
});

describe('readable', () => {
  it('drops Markdown markup and fences, and caps a long reply', () => {
    expect(readable('# Title\n\n```ts\nconst a = 1;\n```\n> quoted `code`')).toBe('Title const a = 1; quoted code');
    const long = readable('word '.repeat(500));
    expect(long.length).toBeLessThanOrEqual(MAX_ANNOUNCED_CHARS + 40);
    expect(long).toMatch(/continues in the conversation\)$/);
  });
});
