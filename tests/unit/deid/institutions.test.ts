import { describe, expect, it } from 'vitest';
import { findEntities } from '../../../src/donation/deid';

const found = (text: string) => findEntities(text).map((entity) => [entity.type, text.slice(entity.start, entity.end)]);
const institutions = (text: string) => found(text).filter(([type]) => type === 'INSTITUTION').map(([, name]) => name);

describe('institutions', () => {
  it.each([
    ['She goes to Springfield Elementary School', 'Springfield Elementary School'],
    ['My kid is at lincoln high school now', 'lincoln high school'],
    ['St. Mary\'s Hospital was busy', "St. Mary's Hospital"],
    ['i had my op at Royal Berkshire Hospital', 'Royal Berkshire Hospital'],
    ['booked a cleaning at Blue Fern Dental Care', 'Blue Fern Dental Care'],
    ['my mum is in Willow Court Care Home', 'Willow Court Care Home'],
    ['I studied at the University of Leeds', 'University of Leeds'],
    ['estudio en la Universidad Complutense', 'Universidad Complutense'],
    ["j'enseigne au lycée Jean Moulin de Bédarieux", 'lycée Jean Moulin de Bédarieux'],
    ['moja córka chodzi do Szkoły Podstawowej nr 12 w Gdyni', 'Szkoły Podstawowej nr 12 w Gdyni'],
    ['unser Kind geht in die Grundschule am Buchenweg', 'Grundschule am Buchenweg'],
    ['Wir waren im Goethe-Gymnasium', 'Goethe-Gymnasium'],
    ['Our Lady of Lourdes Church is small', 'Our Lady of Lourdes Church'],
    ['I work at Acme Widgets Ltd. since May', 'Acme Widgets Ltd.'],
    ['Zorblatt, Inc. is hiring', 'Zorblatt, Inc.'],
    ['Müller GmbH zahlt gut', 'Müller GmbH'],
    ['i coach the u10s at Eastfield Rovers FC', 'Eastfield Rovers FC'],
    ['I work at Greggs', 'Greggs'],
    ['i work at tesco on weekends', 'tesco'],
    ['a phd student at IISc Bengaluru', 'IISc Bengaluru'],
    ['just started at Northgate Veterinary Group as a receptionist', 'Northgate Veterinary Group'],
  ])('finds the institution in %j', (text, name) => {
    expect(institutions(text)).toContain(name);
  });

  it('finds every employer of a list after one cue', () => {
    expect(institutions('an offer from Initech & Globex and Meridian Data Systems')).toEqual(['Initech & Globex', 'Meridian Data Systems']);
  });

  it('finds the town an institution is in after a comma', () => {
    expect(found('the function room at The Bell Inn, Wantage -- fun')).toEqual([
      ['INSTITUTION', 'Bell Inn'],
      ['PLACE', 'Wantage'],
    ]);
  });

  it.each([
    "I'm in High School",
    'the Catholic Church says so',
    'A Harvard University study found',
    'what did she study at university',
    'i work at home, I work for myself',
    'I go to the local hospital',
    'the walk-in clinic opens at 8',
  ])('finds no institution in %j', (text) => {
    expect(institutions(text)).toEqual([]);
  });

  it('removes a famous institution when the user works or studies there', () => {
    expect(institutions('I studied at Harvard University')).toEqual(['Harvard University']);
  });

  it('leaves "I work for Sarah" to the person recognizers', () => {
    expect(found('I work for Sarah')).toEqual([['PERSON', 'Sarah']]);
  });
});
