import type { FoundEntity } from '../found-entity';
import { isPlaceholderWord, tokenValueAt } from './cue-values';
import { wordStarts } from './word-starts';

/**
 * "@name" as on X, Instagram, TikTok, Mastodon ("@name@mastodon.social" is one handle): not
 * after a letter, digit or dot (an e-mail address) or "{" (Svelte's "{@render …}"), not before
 * "/" (an npm scope such as "@types/node") or "(" (a decorator call). Dots may join parts
 * ("@jane.doe") but not end it.
 */
const AT_HANDLE = /(?<![\p{L}\p{N}_.@/\\{])@(?<name>[\p{L}\p{N}_](?:[\p{L}\p{N}_-]|\.(?=[\p{L}\p{N}_])){0,38})(?:@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+)?(?![\p{L}\p{N}_(/@-]|\.[\p{L}\p{N}_])/gu;

/**
 * At-words of code and chat that name no one: decorators, JSDoc and CSS at-rules, Slack's
 * group mentions. Lower-cased.
 */
const CODE_AT_WORDS = new Set([
  'override', 'component', 'injectable', 'input', 'output', 'param', 'params', 'returns', 'return', 'throws', 'type',
  'typedef', 'property', 'deprecated', 'example', 'see', 'since', 'version', 'author', 'link', 'inheritdoc', 'todo',
  'media', 'import', 'keyframes', 'font-face', 'supports', 'layer', 'apply', 'tailwind', 'use', 'forward', 'mixin',
  'include', 'extend', 'each', 'if', 'else', 'echo', 'interface', 'end', 'implementation', 'synthesize', 'objc',
  'dataclass', 'staticmethod', 'classmethod', 'abstractmethod', 'test', 'before', 'after', 'beforeeach', 'aftereach',
  'mock', 'patch', 'fixture', 'get', 'post', 'put', 'delete', 'route', 'autowired', 'entity', 'table', 'column', 'id',
  'json', 'nullable', 'suppresswarnings', 'functionalinterface', 'everyone', 'here', 'channel', 'all', 'html', 'click',
  'submit', 'change', 'bind', 'const', 'debug', 'latest', 'next', 'types', 'home', 'work', 'vite-ignore',
  'ts-ignore', 'ts-expect-error', 'ts-nocheck', 'ts-check', 'jsx', 'jsximportsource', 'license', 'preserve', 'flow',
  // Python decorators, by their first dotted part ("@app.route", "@pytest.fixture").
  'app', 'pytest', 'router', 'bot', 'client', 'tree', 'functools', 'torch', 'unittest', 'dataclasses', 'contextlib',
  'jit', 'njit', 'cache', 'lru_cache', 'wraps', 'validator', 'field_validator', 'celery', 'task', 'api', 'server',
  'event', 'commands', 'command', 'overload', 'final', 'setter', 'getter', 'contextmanager', 'asynccontextmanager',
]);

/** Reddit's "u/name" and "/u/name"; "r/subreddit" names a community, not a person. */
const REDDIT_USER = /(?<![\p{L}\p{N}_/])\/?u\/[A-Za-z0-9_-]{3,20}(?![\p{L}\p{N}_/-])/gu;

/**
 * Discord's old "name#1234"; not "issue#1234", "PR#12", "C#". Found from the "#" and four
 * digits back to the name, which is rare text, rather than from every word.
 */
const DISCRIMINATOR = /#\d{4}(?![\p{L}\p{N}])/gu;
const NAME_BEFORE = /(?<![\p{L}\p{N}_.])[\p{L}\p{N}_.]{2,32}$/u;
const MAX_NAME = 32;
const NOT_A_DISCORD_NAME = /^(?:issues?|pr|bug|ticket|item|order|case|no|nr|number|invoice|room|step|task|story|commit|line|page|version|build|rev|ref|id|colou?r|post|comment|ch|chapter|section|part)$/iu;

/**
 * Profile links written without https:// ("instagram.com/name", "tiktok.com/@name",
 * "linkedin.com/in/name"). With a scheme or "www." the URL recognizer already takes them.
 */
const PROFILE_SITES = String.raw`(?:instagram\.com|twitter\.com|x\.com|tiktok\.com|facebook\.com|fb\.com|threads\.net|youtube\.com|twitch\.tv|snapchat\.com/add|linkedin\.com/in|reddit\.com/(?:u|user)|t\.me|github\.com|gitlab\.com|medium\.com|pinterest\.com|soundcloud\.com|vk\.com|bsky\.app/profile|patreon\.com|onlyfans\.com|mastodon\.social)`;
const PROFILE_LINK = new RegExp(String.raw`(?:www\.)?${PROFILE_SITES}/@?(?<name>[\p{L}\p{N}_.-]*[\p{L}\p{N}_])(?<more>/[\p{L}\p{N}_.-])?`, 'giu');

/** First path segments that are pages of the site, not people. */
const SITE_PAGES = new Set([
  'about', 'help', 'explore', 'settings', 'login', 'signup', 'p', 'reel', 'reels', 'watch', 'features', 'pricing', 'home',
  'search', 'hashtag', 'i', 'intent', 'share', 'privacy', 'terms', 'topics', 'marketplace', 'groups', 'events', 'jobs',
  'results', 'shorts', 'playlist', 'channel', 'c', 'tag', 'trending', 'notifications', 'messages', 'stories', 'legal',
]);

/**
 * "my instagram is jane_doe88", "my username is jdoe", "username: jdoe", "gamertag = x".
 * With "is" the cue needs its possessive ("the handle is broken" names no one); a colon or "="
 * is enough alone. "how to handle errors" has neither.
 */
const HANDLE_WORDS = String.raw`user\s?name|user\s?id|handle|gamer\s?tag|screen\s?name|nick(?:name)?`;
const PLATFORMS = 'instagram|insta|ig|twitter|tiktok|snapchat|snap|discord|reddit|telegram|twitch|steam|xbox|psn|github|threads|bluesky|mastodon';
const HANDLE_CUE = new RegExp(
  String.raw`(?:(?:my|his|her|their|your|our)\s+(?:${HANDLE_WORDS}|(?:${PLATFORMS})(?:\s+(?:handle|name|username|account|id|tag))?)(?:['’]s)?\s*(?:is\b|:|=|-)` +
    String.raw`|(?:${HANDLE_WORDS})\s*[:=]|add\s+me\s+on\s+(?:${PLATFORMS})\s*[:-])\s*@?`,
  'giu',
);
const HANDLE_VALUE = /^[\p{L}\p{N}_.-]{2,39}$/u;

/**
 * "snap me at jakob_w.23", "add me on discord: j.doe#…", "dm me on insta jane_88": the value
 * must look like a handle, starting with a letter and holding a digit, "_" or ".", as "find me
 * at the park" and "hit me up at 5pm" have none. ("text me at" is followed by a phone number.)
 */
const LOOSE_HANDLE_CUE = /(?:snap|dm|message|msg|add|follow|find|hit)\s+me\s+(?:at|on|up\s+on)\s+(?:(?:insta(?:gram)?|ig|snap(?:chat)?|tiktok|discord|telegram|twitter|x|threads|reddit|twitch|steam)\s*[:-]?\s*)?@?/giu;
const HANDLE_LIKE = /^(?=.*[\d_.])[\p{L}_][\p{L}\p{N}_.-]{2,38}$/u;

/**
 * User handles and profile links: "@name", "u/name", "name#1234", "instagram.com/name", and
 * a name after "my username is". A handle is as identifying as a name and often more so.
 */
export function findUserHandles(text: string): FoundEntity[] {
  const spans: FoundEntity[] = [];
  for (const match of text.matchAll(AT_HANDLE)) {
    const name = match.groups?.name ?? '';
    if (CODE_AT_WORDS.has(name.toLowerCase().split('.')[0] ?? '') || !/\p{L}/u.test(name) || /^\d+x$/u.test(name)) continue;
    if (isDecoratorLine(text, match.index, match.index + match[0].length)) continue;
    spans.push(spanOf(match));
  }
  for (const match of text.matchAll(REDDIT_USER)) spans.push(spanOf(match));
  for (const match of text.matchAll(DISCRIMINATOR)) {
    const name = NAME_BEFORE.exec(text.slice(Math.max(0, match.index - MAX_NAME), match.index))?.[0];
    if (name === undefined || NOT_A_DISCORD_NAME.test(name)) continue;
    spans.push({ type: 'USER_HANDLE', start: match.index - name.length, end: match.index + match[0].length });
  }
  // Not inside a longer link or address ("https://instagram.com/…" is the URL recognizer's).
  const startsLink = (match: RegExpExecArray) => !/[_./@-]/u.test(match.input[match.index - 1] ?? '');
  for (const match of wordStarts(text, PROFILE_LINK, startsLink)) {
    const name = (match.groups?.name ?? '').toLowerCase();
    const isRepository = /^(?:github|gitlab)/iu.test(match[0].replace(/^www\./iu, '')) && match.groups?.more !== undefined;
    if (SITE_PAGES.has(name) || isRepository) continue;
    // The span ends at the name: a "/" and whatever follows it are not part of the profile.
    spans.push({ type: 'USER_HANDLE', start: match.index, end: match.index + match[0].length - (match.groups?.more?.length ?? 0) });
  }
  for (const [cue, shape] of [[HANDLE_CUE, HANDLE_VALUE], [LOOSE_HANDLE_CUE, HANDLE_LIKE]] as const) {
    for (const match of wordStarts(text, cue)) {
      const value = tokenValueAt(text, match.index + match[0].length);
      if (value === undefined) continue;
      const handle = text.slice(value.start, value.end);
      if (shape.test(handle) && !isPlaceholderWord(handle)) spans.push({ type: 'USER_HANDLE', ...value });
    }
  }
  return spans;
}

/**
 * "@app.route" or "@pytest.fixture" alone on its line is a decorator: an at-word that opens its
 * line and has a dot in it or nothing after it. "@jane thanks!" opening a line is a mention.
 */
function isDecoratorLine(text: string, start: number, end: number): boolean {
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  if (text.slice(lineStart, start).trim() !== '') return false;
  const restOfLine = text.slice(end, text.indexOf('\n', end) === -1 ? undefined : text.indexOf('\n', end));
  return text.slice(start, end).includes('.') || restOfLine.trim() === '';
}

function spanOf(match: RegExpMatchArray): FoundEntity {
  const start = match.index ?? 0;
  return { type: 'USER_HANDLE', start, end: start + match[0].length };
}
