import type { FoundEntity } from '../found-entity';
import { isPlaceholderWord, tokenValueAt, type ValueSpan } from './cue-values';
import { findSecretShapes } from './secret-shapes';
import { wordStarts } from './word-starts';

/**
 * "is", ":", "=" and their translations between a cue and its value, with the closing quote of
 * a JSON key before it ("password": "…"). Named, because a value without one must look more
 * like a secret ("password hunter2" yes, "password manager" no).
 */
const CONNECTOR = String.raw`(?:["']?[ \t]*(?<connector>[:=]|->|=>|\b(?:is|was|ist|est|es|era|jest)\b(?:[ \t]+(?:now|still|just|actually))?))?[ \t]*(?:\n[ \t]*)?`;

/**
 * "for the wifi", "to my bank account", "du wifi", "für das WLAN": what the secret opens,
 * between the cue and "is". Its words are never a connector, so "password for my bank is
 * sunshine" keeps its "is".
 */
const OPENS_WORD = String.raw`(?!(?:is|was|ist|est|es|era|jest)(?![\p{L}]))[\p{L}\p{N}-]{1,20}`;
const PREPOSITION = String.raw`(?:for|to|of|on|du|de|des|pour|für|vom|zum|del|para|van|voor|dla|do|per|di)`;
const ARTICLE = String.raw`(?:the|my|our|your|this|la|le|l['’]|das|den|die|dem|mein(?:e|en|em)?|el|mi|het|de|mijn|il|mio|moj[ae]?)`;
const WHAT_IT_OPENS = String.raw`(?:\s+${PREPOSITION}\s+(?:${ARTICLE}\s*)?${OPENS_WORD}(?:\s+${OPENS_WORD})?)?`;

const PASSWORD_WORDS = [
  String.raw`pass\s?words?`, 'passwd', String.raw`pass\s?phrase`, 'passcode', 'pw', 'pwd', 'passwort', 'kennwort',
  String.raw`mot\s+de\s+passe`, 'mdp', 'contraseña', 'contrasena', 'wachtwoord',
  // Polish "hasło to …" ("the password is …"): "to" is the connector only here.
  String.raw`has[łl]o(?:\s+to(?=\s))?`,
  String.raw`(?:network|wpa2?|wlan|wi-?fi|security)[\s-]?(?:key|schlüssel)`,
  // "pass" alone is also a verb and a ticket; with what it opens in front it is a password.
  String.raw`(?:wi-?fi|wlan|router|network|admin|login|account|e-?mail)\s+pass`,
];

/** "wifi password is …", "pw: …", "Passwort ist …", "DB_PASSWORD=…" (the `_` before is allowed). */
const PASSWORD_CUE = new RegExp(
  String.raw`(?:${PASSWORD_WORDS.join('|')})(?![\p{L}\p{N}])(?:['’]s)?${WHAT_IT_OPENS}${CONNECTOR}`,
  'giu',
);

/**
 * "PIN is 4821", "the pin for the garage door is 2580", "door code: 1234", "CVV 123": digits
 * only, three to eight, so "pin 13" on a board is left alone.
 */
const PIN_CUE = new RegExp(
  String.raw`(?:pin(?:[\s-]?(?:code|number|no\.?|nummer))?|puk|geheimzahl|cvv2?|cvc|(?:door|gate|alarm|lock|safe|entry|access|security|garage)\s+code)` +
    String.raw`(?:['’]s)?${WHAT_IT_OPENS}\s*(?:[:=#]|\b(?:is|was|ist|est)\b)?\s*(?<pin>\d{3,8})(?![\p{L}\p{N}])`,
  'giu',
);

/** "user admin pass Router!2024x", "login: bob / pw: …": "pass" alone is a password only after a user name. */
const USER_THEN_PASS = /(?<![\p{L}\p{N}])(?:user(?:\s?name)?|login)\s*[:=]?\s*[^\s,;/|]{1,40}\s*[,;/|]?\s*(?:pass|pw|p)(?![\p{L}])\s*[:=]?\s*/giu;

const KEY_WORDS = [
  String.raw`api[\s_-]?(?:key|token|secret)`, 'apikey', String.raw`access[\s_-]?(?:key(?:[\s_-]?id)?|token)`,
  String.raw`secret(?:[\s_-]?access)?[\s_-]?key`, String.raw`private[\s_-]?key`, String.raw`client[\s_-]?secret`,
  String.raw`auth(?:entication|orization)?[\s_-]?(?:token|key)`, String.raw`bearer(?:\s+token)?`,
  String.raw`session[\s_-]?(?:id|token|key|cookie)`, String.raw`refresh[\s_-]?token`, String.raw`personal\s+access\s+token`,
  'tokens?', String.raw`(?:licen[cs]e|product|activation|recovery|backup|encryption)\s+(?:key|code)`,
  // The value after plain "secret" must look like a key: "the secret is patience" has none.
  'secret',
];

/** "my API key is …", "token: …", "client_secret = …". */
const KEY_CUE = new RegExp(`(?:${KEY_WORDS.join('|')})(?![\\p{L}\\p{N}])(?:['’]s)?${WHAT_IT_OPENS}${CONNECTOR}`, 'giu');

/** "seed phrase: apple banana …": twelve to twenty-four words, all of them the secret. */
const SEED_PHRASE = /(?<![\p{L}\p{N}])(?:seed|recovery|mnemonic|secret\s+recovery)\s+(?:phrase|words)\s*(?:is|:)?\s*["“]?(?<phrase>(?:[a-z]+\s+){11,23}[a-z]+)/giu;

/** Keys are long: fewer characters than this after "token" is a count or a word. */
const MIN_KEY_LENGTH = 8;
/** The characters keys are written in (base64, base64url, hex, dashes, dots of a JWT). */
const KEY_CHARACTERS = /^[A-Za-z0-9+/=_.~-]+$/u;
const MAX_SECRET_LENGTH = 256;

/**
 * Secrets: passwords, PINs, keys and tokens, found after a cue or by their shape. They are
 * always replaced, whatever else the text says: a leaked password is worth more to an attacker
 * than any sentence is to a model. Only the value is replaced; the cue stays, so the
 * conversation still reads "my wifi password is [SECRET_1]".
 */
export function findSecrets(text: string): FoundEntity[] {
  const spans: FoundEntity[] = [...findSecretShapes(text)];
  for (const match of wordStarts(text, PASSWORD_CUE)) {
    const value = valueAfter(text, match);
    if (value !== undefined && isPassword(text.slice(value.start, value.end), match.groups?.connector !== undefined)) {
      spans.push({ type: 'SECRET', ...value });
    }
  }
  for (const match of text.matchAll(USER_THEN_PASS)) {
    const value = valueAfter(text, match);
    if (value !== undefined && isPassword(text.slice(value.start, value.end), false)) spans.push({ type: 'SECRET', ...value });
  }
  for (const match of wordStarts(text, KEY_CUE)) {
    const value = valueAfter(text, match);
    if (value !== undefined && isKey(text.slice(value.start, value.end))) spans.push({ type: 'SECRET', ...value });
  }
  for (const match of wordStarts(text, PIN_CUE)) spans.push(namedGroupSpan(match, 'pin'));
  for (const match of text.matchAll(SEED_PHRASE)) spans.push(namedGroupSpan(match, 'phrase'));
  return spans;
}

function valueAfter(text: string, match: RegExpExecArray | RegExpMatchArray): ValueSpan | undefined {
  const value = tokenValueAt(text, (match.index ?? 0) + match[0].length);
  return value !== undefined && value.end - value.start <= MAX_SECRET_LENGTH ? value : undefined;
}

/**
 * Any word but the ones that describe a password ("is wrong"). Without "is" or ":" it must start
 * with a letter or digit and hold a digit or a symbol: "password hunter2" is one, "password
 * manager", "url.password !== ''" and "$PWD/dist" are not.
 */
function isPassword(value: string, afterConnector: boolean): boolean {
  if (isPlaceholderWord(value)) return false;
  return afterConnector || (/^[\p{L}\p{N}]/u.test(value) && /[^\p{L}]/u.test(value));
}

/**
 * Letters and digits, eight or more, in the characters keys are written in: "token: 5", "API key
 * is wrong" and "token = tokenizer.encode(text)" in code are not keys.
 */
function isKey(value: string): boolean {
  if (isPlaceholderWord(value) || !KEY_CHARACTERS.test(value)) return false;
  return value.length >= MIN_KEY_LENGTH && /[A-Za-z]/u.test(value) && /\d/u.test(value);
}

function namedGroupSpan(match: RegExpMatchArray, group: string): FoundEntity {
  const value = match.groups?.[group] ?? '';
  const end = (match.index ?? 0) + match[0].length;
  return { type: 'SECRET', start: end - value.length, end };
}
