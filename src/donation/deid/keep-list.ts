import type { EntityType } from '../bundle-types';
import { MORE_PUBLIC_FIGURES } from './data/kept-people';
import { KEPT_REGIONS } from './data/kept-regions';
import { normalizeName } from './normalize-name';
import { isBigCity } from './place-gazetteer';
import { placeKey } from './place-key';

/**
 * Names that are kept although the person/place recognizer finds them. "What did Einstein say
 * about Paris?" means nothing as "What did [PERSON_1] say about [PLACE_1]?", and naming them
 * says nothing about who is asking. The list is deliberately short and only holds what millions
 * of people share: countries, continents and oceans, US states (the finest geography HIPAA's
 * Safe Harbor keeps), big world cities, and widely known public and historical figures.
 * A declared term always wins: the user who declares "Paris" gets it redacted.
 */

const CONTINENTS_AND_REGIONS = [
  'Africa', 'Antarctica', 'Asia', 'Australia', 'Europe', 'North America', 'South America', 'Latin America',
  'Central America', 'Oceania', 'Middle East', 'Scandinavia', 'Caribbean', 'Balkans', 'Siberia', 'Sahara',
  'Atlantic', 'Pacific', 'Indian Ocean', 'Arctic', 'Mediterranean', 'Himalayas', 'Alps', 'Amazon',
  'Earth', 'Mars', 'Moon',
];

const COUNTRIES = [
  'Afghanistan', 'Albania', 'Algeria', 'Andorra', 'Angola', 'Argentina', 'Armenia', 'Austria', 'Azerbaijan',
  'Bahamas', 'Bahrain', 'Bangladesh', 'Barbados', 'Belarus', 'Belgium', 'Belize', 'Benin', 'Bhutan', 'Bolivia',
  'Bosnia', 'Bosnia and Herzegovina', 'Botswana', 'Brazil', 'Brunei', 'Bulgaria', 'Burkina Faso', 'Burundi',
  'Cambodia', 'Cameroon', 'Canada', 'Cape Verde', 'Chad', 'Chile', 'China', 'Colombia', 'Comoros', 'Congo',
  'Costa Rica', 'Croatia', 'Cuba', 'Cyprus', 'Czech Republic', 'Czechia', 'Denmark', 'Djibouti', 'Dominica',
  'Dominican Republic', 'Ecuador', 'Egypt', 'El Salvador', 'England', 'Eritrea', 'Estonia', 'Eswatini', 'Ethiopia',
  'Fiji', 'Finland', 'France', 'Gabon', 'Gambia', 'Georgia', 'Germany', 'Ghana', 'Great Britain', 'Greece',
  'Grenada', 'Guatemala', 'Guinea', 'Guyana', 'Haiti', 'Honduras', 'Hong Kong', 'Hungary', 'Iceland', 'India',
  'Indonesia', 'Iran', 'Iraq', 'Ireland', 'Israel', 'Italy', 'Ivory Coast', 'Jamaica', 'Japan', 'Jordan',
  'Kazakhstan', 'Kenya', 'Korea', 'North Korea', 'South Korea', 'Kosovo', 'Kuwait', 'Kyrgyzstan', 'Laos', 'Latvia',
  'Lebanon', 'Lesotho', 'Liberia', 'Libya', 'Liechtenstein', 'Lithuania', 'Luxembourg', 'Madagascar', 'Malawi',
  'Malaysia', 'Maldives', 'Mali', 'Malta', 'Mauritania', 'Mauritius', 'Mexico', 'Moldova', 'Monaco', 'Mongolia',
  'Montenegro', 'Morocco', 'Mozambique', 'Myanmar', 'Namibia', 'Nepal', 'Netherlands', 'Holland', 'New Zealand',
  'Nicaragua', 'Niger', 'Nigeria', 'North Macedonia', 'Northern Ireland', 'Norway', 'Oman', 'Pakistan',
  'Palestine', 'Panama', 'Papua New Guinea', 'Paraguay', 'Peru', 'Philippines', 'Poland', 'Portugal',
  'Puerto Rico', 'Qatar', 'Romania', 'Russia', 'Rwanda', 'Samoa', 'San Marino', 'Saudi Arabia', 'Scotland',
  'Senegal', 'Serbia', 'Seychelles', 'Sierra Leone', 'Singapore', 'Slovakia', 'Slovenia', 'Somalia',
  'South Africa', 'South Sudan', 'Spain', 'Sri Lanka', 'Sudan', 'Suriname', 'Sweden', 'Switzerland', 'Syria',
  'Taiwan', 'Tajikistan', 'Tanzania', 'Thailand', 'Togo', 'Tonga', 'Trinidad and Tobago', 'Tunisia', 'Turkey',
  'Türkiye', 'Turkmenistan', 'Uganda', 'Ukraine', 'United Arab Emirates', 'UAE', 'United Kingdom', 'UK',
  'United States', 'United States of America', 'USA', 'US', 'America', 'Uruguay', 'Uzbekistan', 'Vatican',
  'Venezuela', 'Vietnam', 'Wales', 'Yemen', 'Zambia', 'Zimbabwe', 'Soviet Union', 'USSR', 'European Union', 'EU',
  // As people write them in their own languages
  'Deutschland', 'Nederland', 'España', 'Italia', 'Polska', 'Österreich', 'Schweiz', 'Suisse', 'Svizzera', 'Belgique',
  'België', 'Sverige', 'Norge', 'Danmark', 'Suomi', 'Éire', 'Česko', 'Magyarország', 'Brasil', 'México', 'Perú',
  'Frankreich', 'Großbritannien', 'Niederlande', 'Polen', 'Spanien', 'Italien', 'Russland', 'Türkei', 'Allemagne',
  'Angleterre', 'Royaume-Uni', 'Espagne', 'Italie', 'Pays-Bas', 'Alemania', 'Inglaterra', 'Francia', 'Germania',
  'Inghilterra', 'Niemcy', 'Anglia', 'Francja', 'Duitsland', 'Engeland', 'Frankrijk', 'Bharat',
];

const US_STATES = [
  'Alabama', 'Alaska', 'Arizona', 'Arkansas', 'California', 'Colorado', 'Connecticut', 'Delaware', 'Florida',
  'Hawaii', 'Idaho', 'Illinois', 'Indiana', 'Iowa', 'Kansas', 'Kentucky', 'Louisiana', 'Maine', 'Maryland',
  'Massachusetts', 'Michigan', 'Minnesota', 'Mississippi', 'Missouri', 'Montana', 'Nebraska', 'Nevada',
  'New Hampshire', 'New Jersey', 'New Mexico', 'New York State', 'North Carolina', 'North Dakota', 'Ohio',
  'Oklahoma', 'Oregon', 'Pennsylvania', 'Rhode Island', 'South Carolina', 'South Dakota', 'Tennessee', 'Texas',
  'Utah', 'Vermont', 'Virginia', 'Washington State', 'West Virginia', 'Wisconsin', 'Wyoming',
];

/** Capitals and cities of several million people each. */
const MAJOR_CITIES = [
  'Amsterdam', 'Athens', 'Bangkok', 'Barcelona', 'Beijing', 'Berlin', 'Bogotá', 'Boston', 'Brussels',
  'Buenos Aires', 'Cairo', 'Chicago', 'Delhi', 'New Delhi', 'Dubai', 'Dublin', 'Hanoi', 'Istanbul', 'Jakarta',
  'Jerusalem', 'Johannesburg', 'Karachi', 'Kyiv', 'Kiev', 'Lagos', 'Lima', 'Lisbon', 'London', 'Los Angeles',
  'Madrid', 'Manila', 'Melbourne', 'Mexico City', 'Miami', 'Milan', 'Montreal', 'Moscow', 'Mumbai', 'Nairobi',
  'New York', 'New York City', 'NYC', 'Oslo', 'Ottawa', 'Paris', 'Prague', 'Rio de Janeiro', 'Rome',
  'San Francisco', 'São Paulo', 'Sao Paulo', 'Seoul', 'Shanghai', 'Stockholm', 'Sydney', 'Tehran', 'Tokyo',
  'Toronto', 'Vienna', 'Warsaw', 'Washington', 'Washington D.C.', 'Washington DC', 'Hollywood', 'Silicon Valley',
  'Wall Street',
];

/** Heads of state and government, and historical, scientific and cultural figures most people know. */
const PUBLIC_FIGURES = [
  'Abraham Lincoln', 'Lincoln', 'George Washington', 'Thomas Jefferson', 'Franklin D. Roosevelt',
  'Franklin Roosevelt', 'Theodore Roosevelt', 'John F. Kennedy', 'JFK', 'Kennedy', 'Ronald Reagan', 'Reagan',
  'Bill Clinton', 'Hillary Clinton', 'Clinton', 'George W. Bush', 'George Bush', 'Bush', 'Barack Obama', 'Obama',
  'Michelle Obama', 'Donald Trump', 'Trump', 'Joe Biden', 'Biden', 'Kamala Harris', 'Winston Churchill',
  'Churchill', 'Margaret Thatcher', 'Thatcher', 'Queen Elizabeth', 'Elizabeth II', 'King Charles', 'Napoleon',
  'Napoleon Bonaparte', 'Julius Caesar', 'Caesar', 'Cleopatra', 'Alexander the Great', 'Angela Merkel',
  'Merkel', 'Emmanuel Macron', 'Macron', 'Vladimir Putin', 'Putin', 'Volodymyr Zelensky', 'Zelensky',
  'Xi Jinping', 'Narendra Modi', 'Nelson Mandela', 'Mandela', 'Mahatma Gandhi', 'Gandhi',
  'Martin Luther King', 'Martin Luther King Jr.', 'Martin Luther', 'Adolf Hitler', 'Hitler', 'Joseph Stalin',
  'Stalin', 'Mao Zedong', 'Karl Marx', 'Marx', 'Albert Einstein', 'Einstein', 'Isaac Newton', 'Newton',
  'Charles Darwin', 'Darwin', 'Marie Curie', 'Galileo', 'Galileo Galilei', 'Nikola Tesla', 'Tesla',
  'Stephen Hawking', 'Ada Lovelace', 'Alan Turing', 'Turing', 'Aristotle', 'Plato', 'Socrates', 'Confucius',
  'Jesus', 'Jesus Christ', 'Buddha', 'Muhammad', 'Moses', 'Pope Francis', 'William Shakespeare', 'Shakespeare',
  'Leonardo da Vinci', 'Da Vinci', 'Michelangelo', 'Picasso', 'Pablo Picasso', 'Vincent van Gogh', 'Van Gogh',
  'Mozart', 'Wolfgang Amadeus Mozart', 'Beethoven', 'Ludwig van Beethoven', 'Bach', 'Johann Sebastian Bach',
  'Charles Dickens', 'Jane Austen', 'Mark Twain', 'Tolstoy', 'Leo Tolstoy', 'Homer', 'Dante', 'Sigmund Freud',
  'Freud', 'Elvis', 'Elvis Presley', 'The Beatles', 'Michael Jackson', 'Taylor Swift', 'Beyoncé', 'Madonna',
  'Elon Musk', 'Musk', 'Bill Gates', 'Steve Jobs', 'Mark Zuckerberg', 'Jeff Bezos', 'Warren Buffett',
  'Oprah', 'Oprah Winfrey', 'Michael Jordan', 'Lionel Messi', 'Messi', 'Cristiano Ronaldo', 'Ronaldo',
  'Serena Williams', 'Muhammad Ali', 'Neil Armstrong', 'Santa Claus', 'Harry Potter', 'Sherlock Holmes',
];

const ALWAYS_KEPT_PLACES = new Set([...CONTINENTS_AND_REGIONS, ...COUNTRIES, ...US_STATES, ...KEPT_REGIONS].map(normalizeName));
const KEPT_PLACES = new Set([...ALWAYS_KEPT_PLACES, ...MAJOR_CITIES.map(normalizeName)]);
const KEPT_PEOPLE = new Set([...PUBLIC_FIGURES, ...MORE_PUBLIC_FIGURES].map(normalizeName));

/**
 * Only the recognizers that guess (person and place names) consult the list. A place written
 * as "Paris, France" is kept when every part is. Cities of 500,000+ people in the gazetteer
 * (place-gazetteer.ts: Munich, Kraków, Lagos) count as well known too. A person's name is only checked against the
 * people: a friend called Georgia is not kept because a country is.
 */
export function isWellKnown(type: EntityType, text: string): boolean {
  if (type === 'PERSON') return KEPT_PEOPLE.has(withoutArticle(text));
  if (type === 'PLACE') return text.split(',').every((part) => KEPT_PLACES.has(withoutArticle(part)) || isBigCity(placeKey(part)));
  return false;
}

/** Kept names of more than one word ("taylor swift", "new york"), normalized: see whole-names.ts. */
export const KEPT_MULTI_WORD_NAMES: readonly string[] = [...KEPT_PEOPLE, ...KEPT_PLACES].filter((name) => name.includes(' '));

/**
 * True for a place that is kept even when the user says they live there: a continent, a
 * country, a US state or another country's first-level region ("I'm from Texas" stays).
 */
export function isAlwaysKeptPlace(text: string): boolean {
  return text.split(',').every((part) => ALWAYS_KEPT_PLACES.has(withoutArticle(part)));
}

function withoutArticle(text: string): string {
  return normalizeName(text).replace(/^the /u, '');
}

/** For the documentation and tests: how long each list is (regions: data/kept-regions.ts). */
export const KEEP_LIST_SIZES = {
  places: new Set([...CONTINENTS_AND_REGIONS, ...COUNTRIES, ...US_STATES, ...MAJOR_CITIES].map(normalizeName)).size,
  regions: new Set(KEPT_REGIONS.map(normalizeName)).size,
  people: KEPT_PEOPLE.size,
};
