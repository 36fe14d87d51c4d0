/**
 * A conversation's title, by rule, from its first message: what the user asked, without the
 * greeting and the "could you please" around it, short enough for the conversation list.
 */

export const FALLBACK_TITLE = 'New conversation';
export const TITLE_MAX_CHARS = 40;

// Matched at the start, longest first, repeatedly ("Hey, could you please …"). Phrases that carry
// the request itself ("help me", "tell me a joke", "what is") are kept.
const byLength = (phrases: string[]) => phrases.sort((a, b) => b.length - a.length);

// Greetings and interjections go only when punctuation or another opener follows: "Hi, …",
// "hey can you …", "so what is …" — but "Hello again" and "Well water" are what the user means.
const INTERJECTIONS = byLength([
  'good morning', 'good afternoon', 'good evening', 'hello there', 'hi there', 'hey there', 'hiya', 'hello', 'hey', 'hi', 'yo',
  'greetings', 'dear bot', 'dear assistant', 'ok so', 'okay so', 'ok', 'okay', 'so', 'well', 'um', 'umm', 'uh',
  'quick question', 'i have a question',
]);

// Framing of a request: it goes whenever it is a whole phrase ("can you explain" → "explain").
const FRAMING = byLength([
  'can you please', 'could you please', 'would you please', 'will you please', 'can you', 'could you', 'would you', 'will you',
  'can u', 'could u', 'pls', 'please', 'kindly',
  'i would like you to', "i'd like you to", 'i want you to', 'i need you to',
  'i would like to', "i'd like to", 'i want to', 'i need to', 'i wanna', "i'm trying to", 'i am trying to',
  'tell me about', 'explain to me',
]);

/** Words that start a question: after one, a greeting before it was only a greeting. */
const QUESTION_START = /^(?:what|what's|whats|how|why|when|where|who|which|is|are|do|does|did|should)(?=$|[\s,.!:;?])/iu;

// What a cut title should not end on: punctuation, or a small word that leads into the part cut off.
const DANGLING_END = /(?:[\s,;:.!?-]+(?:a|an|the|and|or|of|for|to|in|on|with|at|by|from|my|your|about|is|are))?[\s,;:.!?-]*$/iu;

const TRAILING_FILLER = /[\s,]+(?:thank you|thanks|thx|please|pls)[\s,.!?]*$/iu;

/** The title a conversation gets from its first message. */
export function titleFromMessage(message: string): string {
  const sentences = sentencesOf(plainText(message));
  for (const sentence of sentences) {
    const trimmed = withoutFiller(sentence);
    if (hasWords(trimmed)) return shortenTitle(capitalise(trimmed));
  }
  // Only filler ("Hi!"): that greeting is still a better title than none.
  const first = sentences.find(hasWords);
  return first ? shortenTitle(capitalise(first.replace(/[.!]+$/u, ''))) : FALLBACK_TITLE;
}

/** Markdown markup and whitespace runs out: the title is read as plain words. */
function plainText(message: string): string {
  return message
    .replace(/```[^\n]*\n?/g, ' ')
    .replace(/^\s*(?:[#>]+|[-*+]|\d+[.)])\s+/gm, '')
    .replace(/[*`~]+/g, '')
    .trim();
}

/** Sentences in order: split after . ! ? followed by a space, and at line breaks. */
function sentencesOf(text: string): string[] {
  return text
    .split(/(?<=[.!?…])\s+|\n+/u)
    .map((s) => s.replace(/\s+/g, ' ').trim())
    .filter((s) => s.length > 0);
}

function withoutFiller(sentence: string): string {
  let rest = sentence;
  for (let before = ''; before !== rest; ) {
    before = rest;
    rest = withoutOpener(rest);
  }
  for (let before = ''; before !== rest; ) {
    before = rest;
    rest = rest.replace(TRAILING_FILLER, '');
  }
  // A statement's full stop adds nothing to a title; a question mark says what it is.
  return rest.replace(/[\s,;:.!-]+$/u, '').trim();
}

/** `text` without the greeting or request framing it starts with, if any. */
function withoutOpener(text: string): string {
  const interjection = leadingPhrase(text, INTERJECTIONS);
  if (interjection !== null) {
    const after = text.slice(interjection.length);
    const next = after.replace(/^\s+/u, '');
    const punctuated = /^\s*(?:$|[,.!:;?])/u.test(after);
    const opensMore = leadingPhrase(next, INTERJECTIONS) !== null || leadingPhrase(next, FRAMING) !== null || QUESTION_START.test(next);
    if (punctuated || opensMore) return after.replace(/^[\s,.!:;-]+/u, '');
  }
  const framing = leadingPhrase(text, FRAMING);
  return framing === null ? text : text.slice(framing.length).replace(/^[\s,.!:;-]+/u, '');
}

/** The phrase of `phrases` that `text` starts with as whole words ("so " but not "show", "well-known"). */
function leadingPhrase(text: string, phrases: string[]): string | null {
  // Typographic apostrophes ("I’d") match too; the replacement keeps every index in place.
  const lower = text.toLowerCase().replace(/’/g, "'");
  return phrases.find((phrase) => lower.startsWith(phrase) && /^(?:$|[\s,.!:;?])/u.test(text.slice(phrase.length))) ?? null;
}

/** Letters or digits: an emoji or punctuation alone says nothing. */
function hasWords(text: string): boolean {
  return /[\p{L}\p{N}]/u.test(text);
}

/** First letter up, unless the first word is written with capitals inside ("iPhone", "eBay"). */
function capitalise(text: string): string {
  const firstWord = text.split(' ', 1)[0] ?? '';
  if (/\p{Lu}/u.test(firstWord.slice(1))) return text;
  return text.charAt(0).toLocaleUpperCase() + text.slice(1);
}

/** At most TITLE_MAX_CHARS, cut at a word boundary, with an ellipsis only when something was cut. */
export function shortenTitle(text: string): string {
  const chars = [...text];
  if (chars.length <= TITLE_MAX_CHARS) return text;
  const head = chars.slice(0, TITLE_MAX_CHARS).join('');
  const space = head.lastIndexOf(' ');
  // A word longer than half the room (a URL) is cut inside rather than leaving a stub.
  const cut = space >= TITLE_MAX_CHARS / 2 ? head.slice(0, space) : chars.slice(0, TITLE_MAX_CHARS - 1).join('');
  let end = cut;
  for (let before = ''; before !== end; ) {
    before = end;
    end = end.replace(DANGLING_END, '');
  }
  return `${end || cut}…`;
}
