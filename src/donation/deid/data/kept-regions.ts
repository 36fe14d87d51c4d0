/**
 * First-level regions outside the US that are kept like US states: each holds millions of
 * people, so naming one says about as much as naming a state, the finest geography HIPAA's
 * Safe Harbor method keeps. Local spellings where people write them ("Bayern", "Cataluña").
 */
export const KEPT_REGIONS: readonly string[] = [
  // Canada
  'Alberta', 'British Columbia', 'Manitoba', 'New Brunswick', 'Newfoundland', 'Newfoundland and Labrador',
  'Nova Scotia', 'Ontario', 'Prince Edward Island', 'Quebec', 'Québec', 'Saskatchewan', 'Yukon', 'Nunavut',
  'Northwest Territories',
  // Australia
  'New South Wales', 'Queensland', 'South Australia', 'Tasmania', 'Victoria', 'Western Australia',
  'Northern Territory',
  // Germany, Austria, Switzerland
  'Baden-Württemberg', 'Bavaria', 'Bayern', 'Brandenburg', 'Hesse', 'Hessen', 'Lower Saxony', 'Niedersachsen',
  'Mecklenburg-Vorpommern', 'North Rhine-Westphalia', 'Nordrhein-Westfalen', 'NRW', 'Rhineland-Palatinate',
  'Rheinland-Pfalz', 'Saarland', 'Saxony', 'Sachsen', 'Saxony-Anhalt', 'Sachsen-Anhalt', 'Schleswig-Holstein',
  'Thuringia', 'Thüringen', 'Tyrol', 'Tirol', 'Styria', 'Steiermark', 'Carinthia', 'Kärnten',
  // India
  'Andhra Pradesh', 'Arunachal Pradesh', 'Assam', 'Bihar', 'Chhattisgarh', 'Goa', 'Gujarat', 'Haryana',
  'Himachal Pradesh', 'Jharkhand', 'Karnataka', 'Kerala', 'Madhya Pradesh', 'Maharashtra', 'Manipur',
  'Meghalaya', 'Mizoram', 'Nagaland', 'Odisha', 'Punjab', 'Rajasthan', 'Sikkim', 'Tamil Nadu', 'Telangana',
  'Tripura', 'Uttar Pradesh', 'Uttarakhand', 'West Bengal', 'Kashmir', 'Jammu and Kashmir', 'Ladakh',
  // United Kingdom and Ireland
  'Cornwall', 'Yorkshire', 'Ulster', 'Munster', 'Leinster', 'Connacht', 'Highlands',
  // France, Spain, Italy, Belgium, Netherlands
  'Brittany', 'Bretagne', 'Normandy', 'Normandie', 'Provence', 'Alsace', 'Burgundy', 'Occitanie', 'Corsica',
  'Catalonia', 'Cataluña', 'Catalunya', 'Andalusia', 'Andalucía', 'Galicia', 'Basque Country',
  'Tuscany', 'Toscana', 'Sicily', 'Sicilia', 'Sardinia', 'Lombardy', 'Lombardia', 'Piedmont', 'Veneto',
  'Flanders', 'Vlaanderen', 'Wallonia', 'Wallonie', 'Friesland',
  // Elsewhere
  'Lagos State', 'Sindh', 'Khyber Pakhtunkhwa', 'Balochistan',
  'Patagonia', 'Kurdistan', 'Tibet', 'Xinjiang', 'Guangdong', 'Sichuan', 'Hokkaido', 'Okinawa',
  'Bali', 'Java', 'Sumatra', 'Borneo', 'Mindanao', 'Luzon', 'Zanzibar', 'Crimea', 'Donbas', 'Silesia',
  'Scottish Highlands', 'Lake District', 'Midwest', 'New England', 'Deep South', 'Pacific Northwest',
];
