/**
 * Made-up conversations for loading the donation preview: chat-like paragraphs, most with
 * nothing personal, some with names, e-mail addresses, phone numbers, towns and employers, so
 * the de-identifier and the remaining-risk scan have real work. Seeded: the same size and seed
 * give the same text on every run.
 */
import { mulberry32 } from '../../scripts/onnx/rng';

export interface CorpusConversation {
  title: string;
  /** In reading order, alternating user and assistant. */
  messages: { role: 'user' | 'assistant'; content: string }[];
}

const FIRST = ['Sarah', 'James', 'Maria', 'Wei', 'Kwame', 'Priya', 'Lukas', 'Aisha', 'Tom', 'Emily', 'Mateo', 'Olga'];
const LAST = ['Smith', 'Garcia', 'Okafor', 'Nguyen', 'Kowalski', 'Haddad', 'Johnson', 'Tanaka', 'Rossi', 'Patel'];
const TOWNS = ['Springfield', 'Riverton', 'Fairview', 'Leeds', 'Toulouse', 'Kingston', 'Oakland'];
const EMPLOYERS = ['Globex', 'Initech', 'Umbrella Labs', 'Stark Freight', 'Acme Bakery'];
const TOPICS = ['sourdough bread', 'a trip to the coast', 'TypeScript generics', 'houseplants', 'a job interview', 'marathon training', 'tax forms', 'a birthday party'];

const PLAIN = [
  'I have been thinking about {topic} for a while and I am not sure where to start.',
  'Could you explain the first step again, in simpler words this time?',
  'That makes sense, but what should I do when it goes wrong halfway through?',
  'Here is what I tried yesterday, and it did not work as I hoped.',
  'Thanks, that helps a lot. One more question about {topic} before I go.',
  'Start small, keep notes, and change one thing at a time so you can tell what helped.',
  'A common mistake is to rush the early part; give it more time than feels necessary.',
  'If you share what you tried, I can point out where it may have gone differently.',
  'Most people find that a short daily routine works better than a long weekly one.',
];

const PERSONAL = [
  'My name is {first} {last} and I live in {town}.',
  'You can write to me at {first}.{last}@example.com if that is easier.',
  'My mobile is 07700 9{digits} if you need to reach me.',
  'I work at {employer} in {town}, so weekdays are busy.',
  'My sister {first} said the same thing last week.',
  'Call me on +1 415 555 {four} after six.',
];

function fill(template: string, topic: string, random: () => number): string {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 10)).join('');
  return template
    .replaceAll('{topic}', topic)
    .replaceAll('{first}', pick(FIRST))
    .replaceAll('{last}', pick(LAST))
    .replaceAll('{town}', pick(TOWNS))
    .replaceAll('{employer}', pick(EMPLOYERS))
    .replaceAll('{digits}', digits(5))
    .replaceAll('{four}', digits(4));
}

/** About `targetChars` characters of message text, in conversations of `messagesPerConversation`. */
export function donationCorpus(targetChars: number, options: { seed?: number; messagesPerConversation?: number; messageChars?: number } = {}): CorpusConversation[] {
  const random = mulberry32(options.seed ?? 1);
  const perConversation = options.messagesPerConversation ?? 24;
  const messageChars = options.messageChars ?? 1000;
  const conversations: CorpusConversation[] = [];
  let total = 0;
  while (total < targetChars) {
    const topic = TOPICS[conversations.length % TOPICS.length]!;
    const messages: CorpusConversation['messages'] = [];
    for (let m = 0; m < perConversation && total < targetChars; m++) {
      const role = m % 2 === 0 ? 'user' : 'assistant';
      let content = '';
      while (content.length < messageChars) {
        // One sentence in ten carries something personal, and only in what the user wrote.
        const list = role === 'user' && random() < 0.1 ? PERSONAL : PLAIN;
        content += `${fill(list[Math.floor(random() * list.length)]!, topic, random)} `;
      }
      content = content.trim();
      messages.push({ role, content });
      total += content.length;
    }
    conversations.push({ title: `Help with ${topic} #${conversations.length + 1}`, messages });
  }
  return conversations;
}
