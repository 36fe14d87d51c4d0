import { describe, expect, it } from 'vitest';
import { findEntities } from '../../../src/donation/deid';

const found = (text: string) => findEntities(text).map((entity) => [entity.type, text.slice(entity.start, entity.end)]);
const addresses = (text: string) => found(text).filter(([type]) => type === 'STREET_ADDRESS').map(([, address]) => address);

describe('street addresses in other forms', () => {
  it.each([
    ['Flat 3, 22 Ashley Road, Bristol BS6 5NL please', 'Flat 3, 22 Ashley Road, Bristol BS6 5NL'],
    ['It is 12 Elm St, Springfield, IL 62704.', '12 Elm St, Springfield, IL 62704'],
    ['Prinsengracht 40, 1015 DV Amsterdam', 'Prinsengracht 40, 1015 DV Amsterdam'],
    ['ul. Miodowa 7/2, 00-251 Warszawa', 'ul. Miodowa 7/2, 00-251 Warszawa'],
    ['Wir wohnen in der Hauptstraße 5, 10115 Berlin.', 'Hauptstraße 5, 10115 Berlin'],
    ['rechnungsadresse Lindenweg 5, 79098 Freiburg im Breisgau', 'Lindenweg 5, 79098 Freiburg im Breisgau'],
    ['12 rue de la Paix, 75002 Paris', '12 rue de la Paix, 75002 Paris'],
    ['mi dirección es calle de Toledo 58, 3º izq, 28005 Madrid', 'calle de Toledo 58, 3º izq, 28005 Madrid'],
    ['abito in via Garibaldi 22, 36061 Bassano del Grappa', 'via Garibaldi 22, 36061 Bassano del Grappa'],
    ['Flat 302, Sai Residency, 14th Cross, Indiranagar, Bengaluru 560038', 'Flat 302, Sai Residency, 14th Cross, Indiranagar, Bengaluru 560038'],
    ['No. 12, 4th Cross, Koramangala 5th Block is my address', 'No. 12, 4th Cross, Koramangala 5th Block'],
    ['H.No. 12-3-45, Road No. 5, Banjara Hills, Hyderabad', 'H.No. 12-3-45, Road No. 5, Banjara Hills, Hyderabad'],
  ])('finds the address in %j', (text, address) => {
    expect(addresses(text)).toContain(address);
  });

  it('finds the town after an English address as a place, a big city too', () => {
    expect(found('22 Ashley Road, Bristol')).toEqual([
      ['STREET_ADDRESS', '22 Ashley Road'],
      ['PLACE', 'Bristol'],
    ]);
  });

  it('finds lower-case addresses after a cue only', () => {
    expect(addresses('i live at 42 oakfield road and the dog barks')).toEqual(['42 oakfield road']);
    expect(addresses('we moved to apt 4c, 310 w 99th st last month')).toEqual(['apt 4c, 310 w 99th st']);
    expect(addresses('we have 42 oak trees on our street, 3 dogs and main street traffic')).toEqual([]);
  });

  it('takes no Italian or Spanish word for a street', () => {
    expect(addresses('via email 22 times, la calle es bonita')).toEqual([]);
  });
});
