import { describe, expect, it } from 'vitest';
import { findEntities } from '../../../src/donation/deid';
import { isWellKnown } from '../../../src/donation/deid/keep-list';
import { isBigCity, isGazetteerPlace } from '../../../src/donation/deid/place-gazetteer';
import { placeKey } from '../../../src/donation/deid/place-key';
import { findGazetteerPlaces } from '../../../src/donation/deid/recognizers/places-gazetteer';

const found = (text: string) => findEntities(text).map((entity) => [entity.type, text.slice(entity.start, entity.end)]);
const places = (text: string) => found(text).filter(([type]) => type === 'PLACE').map(([, place]) => place);

describe('the place gazetteer', () => {
  it('looks names up folded: accents, ł, ß, hyphens and case do not matter', () => {
    expect(placeKey('Kraków')).toBe('krakow');
    expect(placeKey('Stoke-on-Trent')).toBe('stoke on trent');
    expect(placeKey('Łódź')).toBe('lodz');
    expect(isGazetteerPlace(placeKey('Krakow'))).toBe(true);
    expect(isGazetteerPlace(placeKey('Castrop-Rauxel'))).toBe(true);
    expect(isGazetteerPlace(placeKey('Zorblattville'))).toBe(false);
  });

  it('holds the hand-kept other names of places (München, Bangalore)', () => {
    expect(isGazetteerPlace(placeKey('München'))).toBe(true);
    expect(isGazetteerPlace(placeKey('Bangalore'))).toBe(true);
  });

  it('counts cities of 500,000+ people as well known, smaller towns not', () => {
    expect(isBigCity(placeKey('Kraków'))).toBe(true);
    expect(isWellKnown('PLACE', 'Munich')).toBe(true);
    expect(isWellKnown('PLACE', 'Dayton')).toBe(false);
  });
});

describe('places after a personal cue', () => {
  it.each([
    ['im from Dayton originally', 'Dayton'],
    ['I live in London now', 'London'],
    ['We moved to Berlin last year.', 'Berlin'],
    ['i live in bristol with two cats', 'bristol'],
    ['I grew up in Reading', 'Reading'],
    ['I was born on 12 May 1990 in Leeds', 'Leeds'],
    ['back home in Kumasi we ate this', 'Kumasi'],
    ['my fam is from Mirpur originally', 'Mirpur'],
    ['Geburtsort: Castrop-Rauxel', 'Castrop-Rauxel'],
    ['je suis née le 3 mars 1994 à Villeurbanne', 'Villeurbanne'],
    ['urodziłem się 12.03.1994 w Nowym Targu', 'Nowym Targu'],
    ['mieszkam w Żyrardowie od lat', 'Żyrardowie'],
    ['abitiamo a Cernusco sul Naviglio da due anni', 'Cernusco sul Naviglio'],
    ['vivo en Villanueva de la Cañada y trabajo', 'Villanueva de la Cañada'],
    ['nous habitons à Montreuil-Bellay depuis 10 ans', 'Montreuil-Bellay'],
    ['ich wohne in Kleinmachnow', 'Kleinmachnow'],
  ])('finds the place in %j, a big city too', (text, place) => {
    expect(places(text)).toContain(place);
  });

  it('finds a small place that no list holds after "a village called"', () => {
    expect(places('we stayed in a small village called Little Snoring last week')).toEqual(['Little Snoring']);
    expect(places('i live in a tiny place called Llanfair Caereinion in wales')).toEqual(['Llanfair Caereinion']);
  });

  it('finds the second place of "moved from … to …"', () => {
    expect(places('just moved from Leeds to Groningen for uni')).toEqual(['Leeds', 'Groningen']);
  });

  it('keeps countries, states and regions even after a personal cue', () => {
    expect(places("I'm from Texas, we moved to Germany and now live in Bavaria")).toEqual([]);
  });

  it('needs a first-person subject for "lives in": a neighbour moving to London keeps London', () => {
    expect(places('My neighbour moved from Leeds to London.')).toEqual(['Leeds']);
  });

  it('takes no month, description or everyday word for a place', () => {
    expect(places('I was born in March and grew up Catholic.')).toEqual([]);
  });
});

describe('places after a plain preposition', () => {
  it('finds a gazetteer town after "in", "from", "near", "à", "w"', () => {
    expect(findGazetteerPlaces('the fete in Dorchester was fun').map((span) => span.type)).toEqual(['PLACE']);
    expect(places('a train from Wigan at noon')).toEqual(['Wigan']);
  });

  it('finds an unknown word shaped like a town name after "in" or "near"', () => {
    expect(places('postcode is XY1 in Headingley, which day is bin day')).toContain('Headingley');
  });

  it('keeps towns that are also everyday words, big cities and landmarks without a personal cue', () => {
    expect(places('I read this in Reading Weekly. Flights from Munich to Berlin are late.')).toEqual([]);
    expect(places('is the Taj Mahal open, and how long is the Golden Gate Bridge?')).toEqual([]);
    expect(places('an essay on the Treaty of Versailles')).toEqual([]);
  });

  it('keeps a whole place name together where the tagger cut it', () => {
    expect(places('our house in Ashby-de-la-Zouch has damp')).toEqual(['Ashby-de-la-Zouch']);
    expect(places('a parking fine in Kingston upon Thames')).toEqual(['Kingston upon Thames']);
  });
});

describe('false positives of other languages', () => {
  it.each(['Das ist gut. Berlin ist schön.', 'Ist das dein Auto?', 'Ik ben Vegan, welke winkel in Nederland?', 'wat kan ik doen?'])(
    'finds no name or place in %j',
    (text) => {
      expect(found(text)).toEqual([]);
    },
  );
});
