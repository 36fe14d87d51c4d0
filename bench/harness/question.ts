/** The benchmark's question: about 110 words, ~128 prompt tokens for a SmolLM2-style tokenizer with the chat template. */
export const QUESTION = [
  'I am planning a long weekend walking along the coast with two friends and a dog.',
  'We will carry our own food, sleep in small guest houses, and walk about twenty kilometres a day.',
  'The weather in spring can change quickly there, with rain in the morning and strong wind after noon.',
  'Could you suggest what each of us should pack, how to share the weight fairly,',
  'what to do if one of us gets a blister on the second day, how to keep the dog safe near cliffs and cattle,',
  'and which simple meals are easy to cook on a small stove without much washing up afterwards?',
  'Please keep the answer practical and short, as a list we can print and take with us.',
].join(' ');

/** The smoke run's question: a few tokens, so the harness is proven in seconds. */
export const SMOKE_QUESTION = 'Pack for a coastal walk: what should we bring?';
