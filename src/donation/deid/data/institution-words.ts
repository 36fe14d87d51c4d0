/**
 * Words that end (or start) the name of a school, hospital, place of worship or company, for
 * recognizers/institutions.ts. Lower case; compared without a trailing full stop.
 */
export const INSTITUTION_SUFFIXES: readonly string[] = `
  school academy college university polytechnic institute kindergarten preschool nursery gymnasium lyceum
  conservatory seminary hospital clinic infirmary hospice surgery church chapel cathedral mosque masjid
  synagogue temple gurdwara abbey parish practice pharmacy physiotherapy physio dentistry dental opticians
  inn hotel tavern fc afc rfc
`.trim().split(/\s+/u);

/** Words that end a name only after a kind word: "Dental Care", "Care Home", "Veterinary Group". */
export const SUFFIXES_AFTER_KIND: readonly string[] = ['care', 'home', 'group', 'centre', 'center', 'partners', 'associates'];

/** Words that start a name: "University of Leeds", "Universidad Complutense", "lycée Jean Moulin". */
export const LEADING_WORDS: readonly string[] = `
  university college institute academy hospital school church cathedral bank
  universität universite université universidad università universiteit uniwersytet hochschule politechnika
  collège colegio escuela escola école lycée liceo scuola istituto instituto institut akademie gymnasium
  hôpital hopital ospedale klinikum krankenhaus klinik clinique clínica clinica ziekenhuis szpital przychodnia
  praxis kanzlei apotheke kita basisschool hogeschool szkoła szkoły szkole szkołę szkołą liceum technikum
  przedszkole przedszkola uniwersytetu uniwersytecie szpitala szpitalu przychodni
`.trim().split(/\s+/u);

/** Legal forms: "Acme Widgets Ltd", "Müller GmbH", "Initech, Inc." (the comma is allowed before these). */
export const COMPANY_SUFFIXES: readonly string[] = `
  inc incorporated ltd limited llc llp gmbh ag plc corp corporation co sa sas sarl bv nv pty pvt spa kg
`.trim().split(/\s+/u);

/**
 * Words that describe the kind of institution, not which one: "High School", "Medical School",
 * "Catholic Church", "the General Hospital" name no particular place.
 */
export const GENERIC_INSTITUTION_WORDS: readonly string[] = `
  elementary primary middle high secondary grammar junior senior prep preparatory public private charter
  community state local national international infant infants nursery montessori boarding sixth form
  graduate medical law business art arts music drama dance film driving cooking language flight police
  nursing technical veterinary dental eye mental health children's childrens women's womens general
  teaching university college hospital school church day care walk-in urgent emergency animal pet fertility
  cancer heart family sunday night summer evening catholic christian anglican methodist baptist orthodox
  lutheran evangelical presbyterian pentecostal episcopal reformed free big small new old main central
  city county district regional royal the a an my our your their his her its this that care dental nursing
  retirement residential veterinary vets physiotherapy physio eye optical legal media hospitality consulting
  comprehensive podstawowa podstawowej szkoła szkoły
`.trim().split(/\s+/u);

/**
 * Institutions known to millions, kept like famous people when nothing personal points at them
 * ("a Harvard University study"); "I work at Google" or "I studied at Harvard University" still
 * removes them.
 */
export const KEPT_INSTITUTIONS: readonly string[] = [
  'Harvard University', 'Harvard Medical School', 'Stanford University', 'Yale University', 'Princeton University',
  'Columbia University', 'Oxford University', 'University of Oxford', 'Cambridge University', 'University of Cambridge',
  'Imperial College', 'Johns Hopkins University', 'Johns Hopkins Hospital', 'Mayo Clinic', 'Cleveland Clinic',
  'Massachusetts Institute of Technology', 'California Institute of Technology', 'University of California',
  'Church of England', 'Catholic Church', 'Roman Catholic Church', 'Orthodox Church', 'Church of Scotland',
  'Apple Inc', 'Microsoft Corporation', 'Amazon.com Inc', 'Alphabet Inc', 'Meta Platforms Inc', 'Tesla Inc',
  'Google LLC', 'OpenAI', 'Bank of England', 'Bank of America', 'Sorbonne University', 'Sorbonne',
];
