/**
 * The phrase tables of the deterministic fact extractor (extract.ts): the framing words a statement may
 * open with (memory cues, corrections, small connectives), the words that make a sentence a hedge or a
 * report rather than a statement, the attribute heads that name durable facts, and the first-person
 * phrasings ("I moved to …", "call me …") with the attribute key each one states.
 *
 * Attribute keys of the first-person phrasings: city ("I live in / moved to / I'm based in"), name ("call
 * me", "I'm called", "I go by", "hi, I'm Sam"), employer ("I work at / for"), job ("I work as", "I'm a nurse"),
 * hometown ("I'm from"), language ("I speak"), car ("I drive a"), allergy
 * ("I'm allergic to"), diet ("I'm vegetarian"), age ("I'm 34 years old"), birthday / birthplace / birth
 * year ("I was born on / in"), "<animal> name" ("I have a dog named Rex": the same key as "my dog's name
 * is Rex"). Decisions ("we agreed to ship on June 4") key on their verb phrase: "ship date".
 */

const MONTH_NAMES = 'January|February|March|April|May|June|July|August|September|October|November|December';
const MONTH_SHORT = 'Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec';
export const MONTH = `(?:${MONTH_NAMES}|(?:${MONTH_SHORT})\\.?)`;
export const WEEKDAY = '(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)';

/** "Remember that", "for the record", "note that", "don't forget": the writer asks for the fact to be kept. */
export const CUE_PREFIX =
  /^(?:(?:please\s+)?(?:remember|don['’]t\s+forget|do\s+not\s+forget|keep\s+in\s+mind|make\s+a\s+note|note\s+to\s+(?:self|you)|note)\b(?:\s+that)?\s*[:,—–-]?|(?:please\s+)?note\s*:|(?:for\s+the\s+record|for\s+future\s+reference|just\s+so\s+you\s+know|fyi|heads\s+up)\b\s*[:,—–-]?|(?:nb|reminder|important)\s*[:,—–-])\s*/i;

/** A polite request to keep something ("can you remember that …?"): a cue even though it ends in "?". */
export const CUE_REQUEST = /^(?:(?:can|could|would|will)\s+you\s+(?:please\s+)?(?:remember|note|keep\s+in\s+mind)(?:\s+that)?)\s*[:,]?\s*/i;

/** "Update:", "actually", "correction —": the statement replaces an earlier value. */
export const UPDATE_PREFIX =
  /^(?:(?:(?:small\s+|quick\s+)?(?:update|correction|edit)|actually|scratch\s+that|change\s+of\s+plans?|oops|as\s+of\s+(?:today|now)|from\s+now\s+on|these\s+days|my\s+(?:mistake|bad)|i\s+(?:misspoke|mistyped|meant(?:\s+to\s+say)?)|let\s+me\s+correct\s+(?:that|myself))\b\s*[,:;!.—–-]?|(?:no|sorry|wait)\s*[,:—–-]|now(?!\s+that\b)\s*,?(?=\s))\s*/i;

/** Connectives and acknowledgements that frame a statement without changing it. */
export const NEUTRAL_PREFIX =
  /^(?:by\s+the\s+way|btw|also|and|so|oh|ok|okay|well|plus|anyway|p\.?s\.?|got\s+it|noted|understood|sure|thanks|great|perfect|alright|right|i['’]ll\s+remember(?:\s+that)?|i\s+will\s+remember(?:\s+that)?|one\s+more\s+thing|(?:as|like)\s+(?:i|you)\s+(?:said|mentioned|told\s+(?:you|me))(?:\s+(?:before|earlier))?|(?:you|i)\s+(?:said|mentioned|told\s+(?:you|me))(?:\s+(?:before|earlier))?(?:\s+that)?)\s*[,:;!.—–-]?\s+/i;

/**
 * The first words of every framing above (CUE_PREFIX, UPDATE_PREFIX, NEUTRAL_PREFIX), lower case: a
 * sentence starting with none of them skips the three patterns (extract.ts).
 */
export const PREFIX_FIRST_WORDS = new Set(
  (
    "please remember don't don’t do keep make note nb for fyi just reminder important heads small quick update correction edit " +
    'actually scratch change no oops sorry wait as from these now by btw also and so oh ok okay well plus anyway p ps p.s got noted ' +
    "understood sure thanks great perfect alright right i'll i’ll i one like you my let"
  ).split(' '),
);

/** Words that make a sentence hypothetical, uncertain, a reported or mistaken value: never a fact. */
export const HEDGE =
  /\b(?:if|unless|whether|suppose|supposing|imagine|hypothetically|typo|mistakes?|mistaken(?:ly)?|mistyped|misspelled|wrongly|wrong|incorrect|maybe|perhaps|probably|might|guess|think|thinks|thought|wonder|wish|pretend|let['’]s\s+say|wrote|claims?|claimed|rumou?r|sometimes|usually|should|would|could|example)\b(?![-'’]?\d)|\be\.g\./i;

/** Words that make a statement about now rather than a durable attribute ("my coffee is cold today"). */
export const TRANSIENT = /\b(?:today|tonight|yesterday|this\s+(?:morning|afternoon|evening|week|weekend|month)|right\s+now|at\s+the\s+moment|lately|so\s+far|again|last\s+(?:night|week))\b/i;

/** Questions: a leading question word or auxiliary. (A trailing "?" is checked separately.) */
export const QUESTION_START = /^(?:what|when|where|which|who|whom|whose|why|how|is|are|am|was|were|do|does|did|can|could|would|will|should|shall|have|has)\b/i;

/** Negations left after "no longer" / "not … anymore" are taken out: the clause states what is not so. */
export const NEGATION = /\b(?:not|never|none|nothing)\b(?!-?\d)|n['’]t\b/i;

/**
 * Heads (last word of an attribute) of durable facts: an attribute with one of these may take a plain word
 * value ("my diet is vegetarian"); others need a value that carries a fact (a number, a date, a code, a
 * quoted string, a proper name). Lower case.
 */
export const DURABLE_HEADS = new Set(
  (
    'number no id pin code password passcode passphrase username login handle email address phone extension spot space ' +
    'seat room desk locker gate plate name nickname birthday anniversary appointment deadline date time flight ' +
    'city town country hometown language color colour food book movie film song band drink dish job title role position ' +
    'occupation profession employer company manager boss doctor dentist partner wife husband son daughter dog cat pet ' +
    'allergy allergies diet size type timezone budget salary rent renewal codename account iban license licence insurance ' +
    'car pronouns age height goal major school university sport hobby zip postcode street apartment bank blood ' +
    'editor os shell framework stack laptop browser neighborhood neighbourhood state province ssn tag sign'
  ).split(' '),
);

/**
 * Heads that are never a durable attribute, whatever the value: small-talk subjects ("my coffee is 3
 * dollars"), opinions and answers ("my answer is 42", "my bet is 50/50") and computed results ("your total
 * is $42", "latency: 120").
 */
export const TRANSIENT_HEADS = new Set(
  (
    'coffee tea day week weekend morning evening night mood head back train bus commute lunch dinner breakfast team inbox battery weather ' +
    'answer question point guess bet estimate take vote turn fault concern issue problem idea suggestion recommendation advice opinion ' +
    'view feeling impression experience total result output count sum average mean median latency score rate speed usage progress status'
  ).split(' '),
);

/** Spelling variants folded into one key ("Wi-Fi password" and "wifi password" are the same attribute). */
export const SYNONYMS: Readonly<Record<string, string>> = {
  'wi-fi': 'wifi',
  'e-mail': 'email',
  favourite: 'favorite',
  colour: 'color',
  telephone: 'phone',
  mobile: 'phone',
  cell: 'phone',
  'zip code': 'zip',
  'post code': 'postcode',
};

/** Words that drop out of a key: determiners and the "new"/"current" that only mark a restatement. */
export const KEY_DROP = new Set(['my', 'our', 'your', 'the', 'a', 'an', 'new', 'current', 'present', 'updated']);
/** Words that, in an attribute, say the value replaces an older one ("my new locker code is …"). */
export const KEY_UPDATE = new Set(['new', 'updated']);

/** Capitalized words that start a sentence but are not names (so "The project's codename" has no holder). */
export const NOT_NAMES = new Set(
  'I The A An This That These Those It Its My Our Your His Her Their We You They He She Also And But So Or Then Actually Update Remember Note Correction Everyone Someone Nobody Somebody Anyone'.split(' '),
);

/** One first-person phrasing: the text after "I" (already lower-cased there) and the key it states. */
export interface FirstPersonPhrase {
  re: RegExp;
  attribute: string;
  label: string;
  /** The phrasing itself says the value changed ("I moved to …"). */
  update?: boolean;
}

const I = "(?:i|i['’]ve|i\\s+have)";
const IM = "(?:i['’]m|i\\s+am)";
/** Job nouns for "I'm a nurse" (without them "I'm a …" is small talk: "I'm a bit tired"). */
const JOBS =
  'engineer|developer|programmer|nurse|teacher|doctor|physician|surgeon|dentist|pharmacist|designer|manager|lawyer|attorney|student|accountant|scientist|researcher|professor|writer|journalist|editor|consultant|analyst|architect|chef|cook|pilot|artist|musician|photographer|electrician|plumber|mechanic|carpenter|farmer|firefighter|paramedic|therapist|psychologist|veterinarian|vet|librarian|translator|founder|ceo|cto|intern|freelancer|contractor|technician|administrator|recruiter|salesperson|marketer|economist|statistician|mathematician|physicist|chemist|biologist';
const ADV = '(?:(?:just|recently|finally|now|also|still|currently)\\s+)?';

/** The first-person phrasings; `v` is the value group. The clause has "no longer"/"anymore" taken out. */
export const FIRST_PERSON: readonly FirstPersonPhrase[] = [
  { re: new RegExp(`^${I}\\s+${ADV}(?:moved|relocated)\\s+(?:back\\s+)?to\\s+(?<v>.+)$`, 'iu'), attribute: 'city', label: 'home city', update: true },
  { re: new RegExp(`^(?:i|we)\\s+${ADV}live\\s+in\\s+(?<v>.+)$`, 'iu'), attribute: 'city', label: 'home city' },
  { re: new RegExp(`^${IM}\\s+${ADV}(?:living|based|located)\\s+in\\s+(?<v>.+)$`, 'iu'), attribute: 'city', label: 'home city' },
  { re: /^(?:please\s+|you\s+can\s+|just\s+)?call\s+me\s+(?<v>.+)$/iu, attribute: 'name', label: 'name' },
  { re: new RegExp(`^(?:${IM}\\s+${ADV}called|i\\s+${ADV}go\\s+by)\\s+(?<v>.+)$`, 'iu'), attribute: 'name', label: 'name' },
  { re: /^(?:[Hh]i|[Hh]ello|[Hh]ey)\s*[,!]?\s+(?:I['’]m|I\s+am|[Tt]his\s+is)\s+(?<v>\p{Lu}[\p{L}'’-]+(?:\s+\p{Lu}[\p{L}'’-]+)?)$/u, attribute: 'name', label: 'name' },
  { re: new RegExp(`^(?:${IM}\\s+${ADV}(?:originally\\s+)?from|i\\s+${ADV}(?:originally\\s+)?come\\s+from)\\s+(?<v>.+)$`, 'iu'), attribute: 'hometown', label: 'hometown' },
  { re: new RegExp(`^i\\s+${ADV}work\\s+(?:at|for)\\s+(?<v>.+)$`, 'iu'), attribute: 'employer', label: 'employer' },
  { re: new RegExp(`^i\\s+${ADV}speak\\s+(?<v>\\p{L}+(?:\\s+and\\s+\\p{L}+)?)$`, 'iu'), attribute: 'language', label: 'language' },
  { re: new RegExp(`^i\\s+${ADV}drive\\s+an?\\s+(?<v>.+)$`, 'iu'), attribute: 'car', label: 'car' },
  { re: new RegExp(`^${IM}\\s+${ADV}working\\s+(?:at|for)\\s+(?<v>.+)$`, 'iu'), attribute: 'employer', label: 'employer' },
  { re: new RegExp(`^i\\s+${ADV}(?:work|am\\s+working|['’]m\\s+working)\\s+as\\s+(?:an?\\s+)?(?<v>.+)$`, 'iu'), attribute: 'job', label: 'job' },
  { re: new RegExp(`^${IM}\\s+${ADV}an?\\s+(?<v>(?:[\\p{L}-]+\\s+){0,2}(?:${JOBS}))$`, 'iu'), attribute: 'job', label: 'job' },
  { re: new RegExp(`^${IM}\\s+${ADV}allergic\\s+to\\s+(?<v>.+)$`, 'iu'), attribute: 'allergy', label: 'allergy' },
  { re: new RegExp(`^${I}\\s+${ADV}(?:an?\\s+)?(?<v>[\\p{L}-]+)\\s+allergy$`, 'iu'), attribute: 'allergy', label: 'allergy' },
  { re: new RegExp(`^${IM}\\s+${ADV}(?:an?\\s+)?(?<v>vegetarian|vegan|pescatarian|gluten-free|lactose\\s+intolerant|kosher|halal)$`, 'iu'), attribute: 'diet', label: 'diet' },
  { re: new RegExp(`^${IM}\\s+${ADV}(?<v>\\d{1,3})(?:\\s+years?\\s+old)?$`, 'iu'), attribute: 'age', label: 'age' },
  { re: new RegExp(`^i\\s+was\\s+born\\s+on\\s+(?<v>.+)$`, 'iu'), attribute: 'birthday', label: 'birthday' },
  { re: new RegExp(`^i\\s+was\\s+born\\s+in\\s+(?<v>\\d{4})$`, 'iu'), attribute: 'birth year', label: 'birth year' },
  { re: new RegExp(`^[Ii]\\s+was\\s+born\\s+in\\s+(?<v>\\p{Lu}.*)$`, 'u'), attribute: 'birthplace', label: 'birthplace' },
];

/** "I have a dog named Rex": the animal becomes the key ("dog name"), as "my dog's name is Rex" does. */
export const PET = new RegExp(`^${I}\\s+${ADV}(?:got\\s+)?an?\\s+(?<pet>[\\p{L}-]+)\\s+(?:named|called)\\s+(?<v>.+)$`, 'iu');

/** "We decided / agreed / settled on …": the rest is a statement the user shares. */
export const DECISION =
  /^(?:(?:we|the\s+team|everyone)(?:['’]ve|\s+have)?\s+(?:finally\s+|just\s+)?(?:decided|agreed|settled|confirmed|chose|picked|went|voted)(?:\s+(?:that|on|with))?|we(?:['’]re|\s+are)\s+going\s+with|let['’]s\s+go\s+with)\s+(?<rest>.+)$/iu;
/** "… to ship on June 4": an agreed action and its date, time or place. */
export const DECIDED_ACTION = /^to\s+(?<action>[\p{L}][\p{L}\s'’-]{0,40}?)\s+(?<prep>on|by|at|in|for)\s+(?<v>.+)$/iu;
/** "… "Quiet Harbor" as the codename". */
export const DECIDED_AS = /^(?<v>.+?)\s+(?:as|for)\s+(?:the|our)\s+(?<attr>[\p{L}][\p{L}\s'’-]{0,40})$/iu;
