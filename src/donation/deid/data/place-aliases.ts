/**
 * Other names people write for places the gazetteer holds under one name only: local names
 * (GeoNames lists "Munich", people in Germany write "München"), old names still in daily use
 * ("Bangalore", "Bombay") and common English spellings ("Kiev", "Gothenburg"). Curated by hand;
 * a place here counts as a gazetteer place (place-gazetteer.ts), not as a kept one.
 */
export const PLACE_ALIASES: readonly string[] = [
  // South Asia
  'Bangalore', 'Bombay', 'Calcutta', 'Madras', 'Gurugram', 'Trivandrum', 'Pondicherry', 'Mysuru', 'Benares',
  'Poona', 'Baroda', 'Simla', 'Cawnpore', 'Dacca',
  // Europe, local names
  'München', 'Wien', 'Praha', 'Warszawa', 'Roma', 'Milano', 'Napoli', 'Firenze', 'Venezia', 'Torino', 'Genova',
  'Lisboa', 'Moskva', 'Den Haag', "'s-Gravenhage", 'Bruxelles', 'Brussel', 'København', 'Beograd', 'București',
  'Athina', 'Sankt Petersburg', 'St Petersburg', 'St. Petersburg', 'Kobenhavn', 'Bern', 'Basel', 'Luzern',
  'Sevilla', 'Zaragoza', 'A Coruña',
  // Europe, English spellings
  'Kiev', 'Antwerp', 'Nuremberg', 'Gothenburg', 'Cologne', 'Seville', 'Cracow', 'Marseilles', 'Lyons',
  'Kharkov', 'Lvov', 'Odesa', 'Tiflis',
  // Historical names still used in family stories
  'Danzig', 'Breslau', 'Posen', 'Lemberg', 'Königsberg', 'Constantinople', 'Leningrad', 'Stalingrad',
  'Peking', 'Canton', 'Saigon', 'Rangoon', 'Salisbury', 'Leopoldville',
];
