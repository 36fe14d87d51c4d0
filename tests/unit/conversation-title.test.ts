/**
 * Issue 17 (5): a conversation was titled with its first message cut at 40 characters
 * ("Hey, could you please help me write a c…"). Titles now say what was asked, like other chat apps.
 */
import { describe, expect, it } from 'vitest';
import { FALLBACK_TITLE, TITLE_MAX_CHARS, titleFromMessage } from '../../src/chat/conversation-title';

describe('the title a conversation gets from its first message', () => {
  it('drops greetings and request framing, and capitalises what is left', () => {
    expect(titleFromMessage('hey, could you please help me write a cover letter for a nursing job')).toBe('Help me write a cover letter…');
    expect(titleFromMessage('Hi! Can you explain how photosynthesis works?')).toBe('Explain how photosynthesis works?');
    expect(titleFromMessage('I want to learn Rust. Where should I start?')).toBe('Learn Rust');
    expect(titleFromMessage('Good morning! I’d like to plan a trip to Lisbon in May.')).toBe('Plan a trip to Lisbon in May');
    expect(titleFromMessage('please summarize this article for me thanks')).toBe('Summarize this article for me');
    expect(titleFromMessage('Tell me about the French Revolution')).toBe('The French Revolution');
    expect(titleFromMessage('ok so um what is a monad?')).toBe('What is a monad?');
  });

  it('keeps words that only start like filler, and requests that carry the meaning', () => {
    expect(titleFromMessage('Show me a recipe for pancakes')).toBe('Show me a recipe for pancakes');
    expect(titleFromMessage('well-known sorting algorithms')).toBe('Well-known sorting algorithms');
    expect(titleFromMessage('Tell me a joke')).toBe('Tell me a joke');
    expect(titleFromMessage('history of the Ottoman empire')).toBe('History of the Ottoman empire');
    expect(titleFromMessage('iPhone battery drains overnight')).toBe('iPhone battery drains overnight');
    expect(titleFromMessage('fix my_function in Python')).toBe('Fix my_function in Python');
  });

  it('uses the first sentence only (a line break ends one too)', () => {
    expect(titleFromMessage('Translate this to French.\nThe cat sleeps on the mat.')).toBe('Translate this to French');
    expect(titleFromMessage('Hello there.\n\nWhy is the sky blue? My kid asked me.')).toBe('Why is the sky blue?');
    expect(titleFromMessage('Version 3.5 of the API changed. What broke?')).toBe('Version 3.5 of the API changed');
  });

  it('reads markdown as plain words', () => {
    expect(titleFromMessage('## **Refactor** this `useEffect` hook')).toBe('Refactor this useEffect hook');
    expect(titleFromMessage('- buy milk\n- buy eggs')).toBe('Buy milk');
  });

  it('cuts a long request at a word boundary, with an ellipsis only when cut', () => {
    const long = titleFromMessage('Could you compare the economic policies of Keynes and Hayek in detail');
    expect(long).toBe('Compare the economic policies of Keynes…');
    expect([...long].length).toBeLessThanOrEqual(TITLE_MAX_CHARS);
    expect(titleFromMessage('Compare Keynes and Hayek')).toBe('Compare Keynes and Hayek');
    const exactly = 'a'.repeat(TITLE_MAX_CHARS);
    expect(titleFromMessage(exactly)).toBe(`A${'a'.repeat(TITLE_MAX_CHARS - 1)}`);
    // One long word (a URL) is cut inside rather than left as a stub.
    const url = titleFromMessage('https://example.com/a/very/long/path/that/goes/on/and/on');
    expect(url.endsWith('…')).toBe(true);
    expect([...url].length).toBe(TITLE_MAX_CHARS);
  });

  it('falls back to "New conversation" for an empty or emoji-only message, and keeps a bare greeting', () => {
    expect(titleFromMessage('')).toBe(FALLBACK_TITLE);
    expect(titleFromMessage('   \n ')).toBe(FALLBACK_TITLE);
    expect(titleFromMessage('👋😀🎉')).toBe(FALLBACK_TITLE);
    expect(titleFromMessage('?!')).toBe(FALLBACK_TITLE);
    expect(titleFromMessage('hi!')).toBe('Hi');
    expect(titleFromMessage('hey there 👋')).toBe('Hey there 👋');
  });
});

describe('greetings at the start of a title', () => {
  it('go when punctuation or another opener follows them, and stay when they are part of what was said', () => {
    expect(titleFromMessage('hey what is the capital of Peru')).toBe('What is the capital of Peru');
    expect(titleFromMessage('hi can you recommend a sci-fi book')).toBe('Recommend a sci-fi book');
    expect(titleFromMessage('Hello again')).toBe('Hello again');
    expect(titleFromMessage('Hello from a plane')).toBe('Hello from a plane');
    expect(titleFromMessage('well water safety tips')).toBe('Well water safety tips');
    expect(titleFromMessage('So, what do zebras eat?')).toBe('What do zebras eat?');
  });
});
