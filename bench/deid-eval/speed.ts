/**
 * The speed half of `npm run bench:deid`: the de-identifier on seeded, chat-like text. Prints
 * figures; it asserts nothing about speed.
 *
 *   npm run bench:deid -- --speed-only                ~2.5 MB of messages, seed 1
 *   npm run bench:deid -- --speed-only --mb 1 --seed 7 a smaller corpus, another seed
 *
 * The corpus is generated, not downloaded: user and assistant messages of 200–1000 characters
 * built from sentence templates, most with no personal data, some with names, e-mails,
 * phones, cards and IBANs (valid and with checksum typos), IPs, links, SSNs, dates of birth,
 * plain dates, street addresses, and well-known people and places that are kept on purpose.
 * One de-identifier redacts every message, as for one donation bundle. A second, smaller pass
 * times each recognizer alone on the first messages, to show where the time goes. (How much
 * the de-identifier finds is measured on the hand-labelled set instead: see ../deid-bench.ts.)
 */
import { composeIBAN } from 'ibantools';
import type { EntityType } from '../../src/donation/bundle-types';
import { createDeidentifier } from '../../src/donation/deid';
import type { Recognizer } from '../../src/donation/deid/found-entity';
import { findCreditCards } from '../../src/donation/deid/recognizers/credit-card';
import { findDatesOfBirth } from '../../src/donation/deid/recognizers/date-of-birth';
import { findEmails } from '../../src/donation/deid/recognizers/email';
import { findIbans } from '../../src/donation/deid/recognizers/iban';
import { findIpAddresses } from '../../src/donation/deid/recognizers/ip-address';
import { findNameIntroductions } from '../../src/donation/deid/recognizers/name-introductions';
import { findPeopleAndPlaces } from '../../src/donation/deid/recognizers/people-and-places';
import { findPhones } from '../../src/donation/deid/recognizers/phone';
import { findStreetAddresses } from '../../src/donation/deid/recognizers/street-address';
import { findUrls } from '../../src/donation/deid/recognizers/url';
import { findUsSsns } from '../../src/donation/deid/recognizers/us-ssn';
import { mulberry32 } from '../../scripts/onnx/rng';

const MB = 1024 * 1024;
const WARM_UP_MESSAGES = 40;
/** The per-recognizer pass looks at this much text only; compromise alone would take as long as the main pass. */
const BREAKDOWN_BYTES = 256 * 1024;

type Random = () => number;

// ---------------------------------------------------------------- values

const FIRST_NAMES = ['Sarah', 'James', 'Maria', 'Wei', 'Kwame', 'Priya', 'Lukas', 'Aisha', 'Tom', 'Emily', 'Mateo', 'Olga', 'Hiroshi', 'Fatima', 'Noah', 'Chloe'];
const LAST_NAMES = ['Smith', 'Garcia', 'Okafor', 'Nguyen', 'Müller', 'Kowalski', 'Haddad', 'Johnson', 'Tanaka', 'Rossi', 'Brown', 'Patel'];
const STREETS = ['Oak', 'Maple', 'Main', 'Cedar', 'Elm', 'Highland', 'Washington', 'Lake', 'Park', 'Sunset'];
const SUFFIXES = ['Street', 'St', 'Avenue', 'Ave', 'Road', 'Lane', 'Drive', 'Blvd', 'Court'];
const TOWNS = ['Springfield', 'Riverton', 'Fairview', 'Leeds', 'Toulouse', 'Bakersfield', 'Kingston', 'Oakland'];
const DOMAINS = ['example.com', 'mail.example.org', 'example.net', 'uni-example.edu'];
const KEPT_PEOPLE = ['Einstein', 'Barack Obama', 'Shakespeare', 'Marie Curie', 'Napoleon', 'Taylor Swift'];
const KEPT_PLACES = ['Paris', 'Japan', 'London', 'Brazil', 'New York', 'Africa', 'Texas', 'Berlin'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const digits = (random: Random, n: number) => Array.from({ length: n }, () => Math.floor(random() * 10)).join('');
const int = (random: Random, low: number, high: number) => low + Math.floor(random() * (high - low + 1));

function luhnCheckDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i += 1) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

function card(random: Random, valid: boolean): string {
  const body = `4${digits(random, 14)}`;
  const check = (luhnCheckDigit(body) + (valid ? 0 : 1)) % 10;
  return `${body}${check}`.replace(/(\d{4})(?=\d)/g, '$1 ');
}

function iban(random: Random, valid: boolean): string {
  const composed = composeIBAN({ countryCode: 'DE', bban: digits(random, 18) }) ?? 'DE89370400440532013000';
  const typo = valid ? composed : `${composed.slice(0, -1)}${(Number(composed.at(-1)) + 1) % 10}`;
  return typo.replace(/(.{4})(?=.)/g, '$1 ');
}

const name = (random: Random) => `${pick(random, FIRST_NAMES)} ${pick(random, LAST_NAMES)}`;
const email = (random: Random) => `${pick(random, FIRST_NAMES).toLowerCase()}.${pick(random, LAST_NAMES).toLowerCase().replace('ü', 'u')}${int(random, 1, 99)}@${pick(random, DOMAINS)}`;
const usPhone = (random: Random) => `(${int(random, 201, 989)}) ${int(random, 200, 999)}-${digits(random, 4)}`;
const intlPhone = (random: Random) => pick(random, [`+44 20 7946 0${digits(random, 3)}`, `+49 151 ${digits(random, 8)}`, `+33 6 ${digits(random, 2)} ${digits(random, 2)} ${digits(random, 2)} ${digits(random, 2)}`]);
const ssn = (random: Random) => `${int(random, 100, 665)}-${int(random, 10, 99)}-${int(random, 1000, 9999)}`;
const ipv4 = (random: Random) => `${int(random, 11, 223)}.${int(random, 0, 255)}.${int(random, 0, 255)}.${int(random, 1, 254)}`;
const address = (random: Random) => `${int(random, 1, 9999)} ${pick(random, STREETS)} ${pick(random, SUFFIXES)}`;
const longDate = (random: Random) => `${pick(random, MONTHS)} ${int(random, 1, 28)}, ${int(random, 1940, 2005)}`;
const isoDate = (random: Random) => `${int(random, 1940, 2005)}-0${int(random, 1, 9)}-${int(random, 10, 28)}`;

// ---------------------------------------------------------------- sentences

/** Sentences without personal data: most of any conversation. */
const PLAIN = [
  'Can you help me rewrite this paragraph so it sounds more professional?',
  'Sure! Here is a shorter version that keeps the main point.',
  'I think the second option is better because it is easier to maintain.',
  'The function returns a promise, so you need to await it before reading the value.',
  'Thanks, that worked. Could you also explain why the first approach failed?',
  'In short, the cache was never invalidated after the update.',
  'Here are three ideas for a birthday present for a ten-year-old who loves science.',
  'Make sure to drink water and take a short walk every hour.',
  'That is a great question, and the answer depends on your budget.',
  'I tried that but the build still fails with the same error.',
  '```ts\nconst total = items.reduce((sum, item) => sum + item.price, 0);\n```',
  '1. Preheat the oven to 200 degrees.\n2. Mix the flour and butter.\n3. Bake for 25 minutes.',
  'The report is due on Friday, and we still need the figures for Q3.',
  'Version 3.10 of the library changed the default timeout to 30 seconds.',
  'Between 2019 and 2023 the number of users grew by 40 percent.',
  'Honestly, I am not sure this is the right approach for a small team.',
];

/** Sentences with personal data or with things that are kept on purpose. */
const WITH_DATA: Array<(random: Random) => string> = [
  (r) => `My name is ${name(r)} and I need help with a cover letter.`,
  (r) => `Please send the draft to ${email(r)} before noon.`,
  (r) => `You can reach me at ${usPhone(r)} or on my mobile ${intlPhone(r)}.`,
  (r) => `My card number is ${card(r, true)}, expiry 09/27.`,
  (r) => `I typed ${card(r, false)} but the shop says the card is invalid.`,
  (r) => `Transfer it to ${iban(r, true)} please.`,
  (r) => `Is ${iban(r, false)} a valid account? The bank rejected it.`,
  (r) => `The server at ${ipv4(r)} keeps timing out; the IPv6 one is 2001:db8::${int(r, 1, 9999).toString(16)}.`,
  (r) => `Here is the link: https://www.example.com/orders/${digits(r, 6)}?ref=mail.`,
  (r) => `My SSN is ${ssn(r)}, is it safe to put it on this form?`,
  (r) => `I was born on ${longDate(r)} in ${pick(r, TOWNS)}.`,
  (r) => `DOB: ${isoDate(r)}.`,
  (r) => `The appointment is on ${longDate(r)} at 10am.`,
  (r) => `I live at ${address(r)}, ${pick(r, TOWNS)}, and the heating is broken.`,
  (r) => `Yesterday ${pick(r, FIRST_NAMES)} and I argued about the rent again.`,
  (r) => `Write an email to ${name(r)} saying I will be late.`,
  (r) => `What did ${pick(r, KEPT_PEOPLE)} think about ${pick(r, KEPT_PLACES)}?`,
  (r) => `We are moving from ${pick(r, TOWNS)} to ${pick(r, KEPT_PLACES)} next year.`,
];

function message(random: Random): string {
  const length = int(random, 200, 1000);
  let text = '';
  while (text.length < length) {
    const sentence = random() < 0.22 ? pick(random, WITH_DATA)(random) : pick(random, PLAIN);
    text += (text === '' ? '' : random() < 0.15 ? '\n\n' : ' ') + sentence;
  }
  return text;
}

function corpus(seed: number, bytes: number): string[] {
  const random = mulberry32(seed);
  const messages: string[] = [];
  let size = 0;
  while (size < bytes) {
    const text = message(random);
    messages.push(text);
    size += text.length;
  }
  return messages;
}

// ---------------------------------------------------------------- timing

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

function mainPass(messages: readonly string[]): void {
  const warmUp = createDeidentifier();
  for (const text of messages.slice(0, WARM_UP_MESSAGES)) warmUp.redact(text);

  const deidentifier = createDeidentifier();
  const msPerKb: number[] = [];
  let chars = 0;
  const started = performance.now();
  for (const text of messages) {
    const t0 = performance.now();
    deidentifier.redact(text);
    msPerKb.push(((performance.now() - t0) * 1024) / text.length);
    chars += text.length;
  }
  const seconds = (performance.now() - started) / 1000;
  msPerKb.sort((a, b) => a - b);
  const counts = deidentifier.report().counts;
  const total = Object.values(counts).reduce((sum, n) => sum + n, 0);

  console.log(`corpus      ${messages.length} messages, ${(chars / MB).toFixed(2)} MB (UTF-16 code units), 200–1000 chars each`);
  console.log(`throughput  ${(chars / MB / seconds).toFixed(3)} MB/s (${seconds.toFixed(1)} s in all)`);
  console.log(`latency     ${percentile(msPerKb, 50).toFixed(2)} ms per 1 KB message p50, ${percentile(msPerKb, 99).toFixed(2)} ms p99`);
  console.log(`entities    ${total} replaced:`);
  for (const [type, n] of Object.entries(counts) as Array<[EntityType, number]>) console.log(`  ${type.padEnd(15)} ${n}`);
}

function breakdown(messages: readonly string[]): void {
  const sample: string[] = [];
  let size = 0;
  for (const text of messages) {
    if (size >= BREAKDOWN_BYTES) break;
    sample.push(text);
    size += text.length;
  }
  const recognizers: Array<[string, Recognizer]> = [
    ['email', findEmails], ['url', findUrls], ['credit card', findCreditCards], ['iban', findIbans],
    ['us ssn', findUsSsns], ['phone', findPhones], ['ip address', findIpAddresses],
    ['date of birth', findDatesOfBirth], ['street address', findStreetAddresses],
    ['people & places (compromise)', findPeopleAndPlaces], ['name introductions', findNameIntroductions],
  ];
  console.log(`per recognizer, alone, on the first ${(size / 1024).toFixed(0)} KB:`);
  for (const [label, recognize] of recognizers) {
    const t0 = performance.now();
    for (const text of sample) recognize(text);
    const seconds = (performance.now() - t0) / 1000;
    console.log(`  ${label.padEnd(29)} ${(size / MB / seconds).toFixed(2).padStart(8)} MB/s`);
  }
}

export interface SpeedOptions {
  /** Size of the generated corpus in MB (UTF-16 code units). */
  mb: number;
  seed: number;
}

export const DEFAULT_SPEED_OPTIONS: SpeedOptions = { mb: 2.5, seed: 1 };

export function measureSpeed(options: SpeedOptions): void {
  const messages = corpus(options.seed, options.mb * MB);
  console.log(`deid speed: seed ${options.seed}, Node ${process.version}`);
  mainPass(messages);
  breakdown(messages);
}
