/**
 * Words that follow a name cue but are no name, and that compromise's dictionary does not know
 * (so "not a word it knows" cannot tell them from a name).
 *
 * SELF_DESCRIPTIONS follow "I'm": diet, health, identity, belief, origin ("I'm Vegan", "I'm
 * Irish", "I'm ADHD"). A word that is also a given name ("Christian") is read as the
 * description after "I'm", as compromise reads it; after "my friend" it is still a name.
 */
export const SELF_DESCRIPTIONS: readonly string[] = `
  vegan vegetarian veggie pescatarian pescetarian keto paleo carnivore flexitarian teetotal sober
  diabetic prediabetic celiac coeliac lactose allergic asthmatic epileptic anaemic anemic autistic adhd add ocd
  dyslexic dyspraxic bipolar neurodivergent neurotypical disabled deaf blind hoh immunocompromised pregnant
  introvert introverted extrovert extroverted ambivert intj intp entj entp infj infp enfj enfp istj isfj estj
  esfj istp isfp estp esfp
  lesbian bi bisexual pan pansexual ace asexual aro aromantic queer trans transgender nonbinary non-binary enby
  cis cisgender straight genderfluid intersex
  atheist agnostic muslim jewish hindu buddhist sikh catholic protestant christian mormon pagan wiccan jain
  evangelical orthodox anglican lutheran methodist baptist pentecostal quaker amish
  irish british english scottish welsh european african asian latina latino latinx hispanic desi arab
  persian kurdish turkish tamil bengali punjabi gujarati marathi telugu kannada malayali sindhi yoruba igbo
  hausa zulu xhosa maori kiwi filipina pinoy pinay hmong romani berber amazigh
  gen genz millennial boomer zoomer
  retired unemployed self-employed freelance freelancing homeschooled
`.trim().split(/\s+/u);

/**
 * Chat abbreviations and slang compromise does not know: after "my gf" or "me and", a
 * lowercase word it has never seen is taken for a name ("my gf leilani"), unless it is one
 * of these ("my bf rn", "me and u").
 */
export const CHAT_WORDS: readonly string[] = `
  lol lmao lmfao rofl tbh idk idc ikr imo imho irl rn tho thx ty pls plz bc cuz coz bcuz ngl smh omg omfg wtf
  btw fyi jk nvm ttyl brb gtg u ur r ya yea yeah yep yup nah nope k kk ok okay oki np af asf fr frfr lowkey
  highkey istg tbf ig iirc afaik dm dms pm wyd hbu ily ilysm bff bestie hun babe bae fam bro sis dude yall
  y'all altho thru gonna wanna gotta kinda sorta dunno lemme gimme aint ain't nd n w wif b4 2day tmrw tmr tmw
  tonite nite pic pics vid vids msg msgs txt txts convo convos bday hw hmm hm uh um umm ahh aww yay woo omw rly
  srsly prob probs def defo obv obvs stg cba idek ffs pfft ya'll bruh fml tmi wbu hbd gn gm tysm xoxo xo
`.trim().split(/\s+/u);
