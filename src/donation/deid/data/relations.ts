/**
 * Words for the people in someone's life, as regular-expression sources, for
 * recognizers/name-introductions.ts: "my gf leilani", "mi jefe Álvaro", "unser Sohn Finn".
 */
export const ENGLISH_RELATIONS: readonly string[] = [
  'gf', 'bf', 'bff', 'bestie', 'hubby', 'wifey', 'wife', 'husband', 'partner', 'spouse', 'fianc[ée]e?', 'ex', 'crush',
  'boyfriend', 'girlfriend', 'mate', 'buddy', 'pal', 'bro', 'sis', 'friend', 'neighbou?r', 'colleague', 'co-?worker',
  'boss', 'manager', 'supervisor', 'teammate', 'classmate', 'roommate', 'flatmate', 'housemate', 'landlord',
  'landlady', 'tenant', 'mum', 'mam', 'mom', 'mommy', 'mummy', 'mama', 'dad', 'daddy', 'papa', 'mother', 'father',
  'nan', 'nana', 'nanna', 'gran', 'granny', 'grandma', 'grandpa', 'gran(?:d)?dad', 'grand-dad', 'grandmother',
  'grandfather', 'grandson', 'granddaughter', 'son', 'daughter', 'kid', 'child', 'baby', 'toddler', 'brother',
  'sister', 'sibling', 'twin', 'cousin', 'aunt', 'auntie', 'aunty', 'uncle', 'niece', 'nephew',
  'god(?:son|daughter|mother|father)', 'step-?(?:son|daughter|mom|mum|dad|brother|sister)', 'teacher', 'tutor',
  'coach', 'doctor', 'dentist', 'therapist', 'counsell?or', 'nurse', 'midwife', 'gp', 'vet', 'lawyer', 'solicitor',
  'accountant', 'nanny', 'babysitter', 'carer', 'caregiver', 'pastor', 'priest', 'vicar', 'rabbi', 'imam', 'student',
  'pupil', 'client', 'patient', 'mentor', 'date',
];

/** Possessive + relation in German, French, Spanish, Italian, Portuguese, Dutch and Polish. */
export const FOREIGN_RELATIONS: readonly string[] = [
  String.raw`(?:mein|meine|meinen|meinem|meiner|unser|unsere|unseren|unserem)\s+(?:sohn|tochter|mann|frau|freund|freundin|bruder|schwester|mutter|vater|mama|papa|oma|opa|kollege|kollegin|chef|chefin|nachbar|nachbarin|partner|partnerin|kind|enkel|enkelin|cousin|cousine|onkel|tante|schwiegermutter|schwiegervater|lehrer|lehrerin|arzt|ärztin|hausarzt|hausärztin)`,
  String.raw`(?:mon|ma|notre)\s+(?:fils|fille|mari|femme|copain|copine|ami|amie|frère|sœur|soeur|mère|père|maman|papa|mamie|papi|collègue|patron|patronne|chef|voisin|voisine|cousin|cousine|oncle|tante|belle-mère|beau-père|médecin)`,
  String.raw`(?:mi|nuestro|nuestra)\s+(?:hijo|hija|marido|esposo|esposa|mujer|novio|novia|amigo|amiga|hermano|hermana|madre|padre|mamá|papá|abuela|abuelo|jefe|jefa|compañero|compañera|vecino|vecina|primo|prima|tío|tía|suegra|suegro|profesor|profesora|médico|médica)`,
  String.raw`(?:mio|mia|il mio|la mia|nostro|nostra)\s+(?:figlio|figlia|marito|moglie|ragazzo|ragazza|fidanzato|fidanzata|amico|amica|fratello|sorella|madre|padre|mamma|papà|nonna|nonno|capo|collega|vicino|vicina|cugino|cugina|zio|zia|suocera|suocero)`,
  String.raw`(?:meu|minha|o meu|a minha)\s+(?:filho|filha|marido|esposa|mulher|namorado|namorada|amigo|amiga|irmão|irmã|mãe|pai|avó|avô|chefe|colega|vizinho|vizinha|primo|prima|tio|tia|sogra|sogro)`,
  String.raw`(?:mijn|onze|ons)\s+(?:zoon|dochter|man|vrouw|vriend|vriendin|broer|zus|zuster|moeder|vader|mama|papa|oma|opa|collega|baas|buurman|buurvrouw|neef|nicht|oom|tante|schoonmoeder|schoonvader)`,
  String.raw`(?:mój|moja|moje|mojego|mojej|moim|moją|nasz|nasza|naszego|naszej)\s+(?:syn|córka|córką|mąż|żona|chłopak|dziewczyna|przyjaciel|przyjaciółka|kolega|koleżanka|brat|siostra|mama|matka|tata|ojciec|babcia|dziadek|szef|szefowa|sąsiad|sąsiadka|kuzyn|kuzynka|wujek|ciocia|teściowa|teść)`,
];

/** "a girl called Imogen", "a guy named Baz": a person introduced by name. */
export const PERSON_NOUNS = String.raw`(?:girl|boy|guy|man|woman|lady|kid|child|friend|colleague|person|someone|bloke|lad|lass|chap|dude|teacher|student|doctor|nurse|neighbou?r)`;

/** Verbs that take a person: "ask Hamish", "text Priya", "remind Wojtek". */
export const PERSON_VERBS = String.raw`(?:ask|tell|text|call|ring|message|email|e-mail|ping|remind|invite|thank|congratulate|dm|msg|wish)`;
