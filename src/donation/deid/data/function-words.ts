/**
 * Function words of the languages users most often mix into English chat here (German, French,
 * Spanish, Italian, Portuguese, Dutch, Polish). compromise is an English tagger: it reads "ist"
 * as a place (its dictionary has IST, a time zone) and a capitalized "Und" or "Est" as a name.
 * None of these words is a person's or place's name on its own.
 *
 * NEVER_NAMES are verbs, pronouns, conjunctions and adverbs: trimmed from either end of a
 * found name ("Berlin ist" → "Berlin"). ARTICLES start real names ("Los Angeles", "La Paz",
 * "Den Haag", "Des Moines"), so they only reject a span that is nothing else.
 * Words that are also given names or surnames ("Will", "Ben", "Ty", "Nur", "Mai", "Al", "Uma") are
 * left out on purpose, and a word in capitals ("LA", "UN") is never taken for one of these.
 */
export const NEVER_NAMES: readonly string[] = `
  ist sind bin bist war waren wird werden wurde kann kannst muss musst soll wollen hat habe haben hast hatte
  ich du er sie wir ihr mich dich sich uns euch dir ihm ihnen mein meine dein deine sein seine unser
  und oder aber denn weil dass wenn als ob nicht kein keine auch noch schon sehr doch ja nein hier dort
  heute morgen gestern jetzt immer nie oft mal gut schön viel mehr bitte danke
  est sont suis es sommes êtes était ai avons avez ont je tu il nous vous ils elles mais ou et donc car
  pas très aussi oui non merci aujourd'hui demain hier toujours jamais
  soy eres somos estoy está estás están era fue tengo tiene yo nosotros ellos ellas pero porque
  muy también sí gracias hoy mañana ayer siempre nunca
  sono sei siamo siete abbiamo io noi voi loro perché anche molto grazie oggi domani ieri sempre
  sou estou está somos você nós eles elas mas porque também muito obrigado obrigada hoje amanhã ontem
  ik jij je hij zij wij jullie bent zijn heb hebt heeft hebben niet geen maar omdat dat ook nog heel
  bedankt vandaag morgen gisteren altijd nooit kan kun kunt wil wilt moet moeten mag zal zou gaat doet weet
  jest są jestem jesteś ja my wy oni one ale że nie tak też bardzo dziękuję dzisiaj jutro wczoraj zawsze
`.trim().split(/\s+/u);

export const ARTICLES: readonly string[] = `
  der die das den dem des ein eine einer einem einen im am vom zum zur beim
  le la les un une du au aux
  el los las unos unas 
  il lo gli uno
  os um do da dos das no na nos nas
  het een
`.trim().split(/\s+/u);
