import { wordTree } from './prompt-injection-context.js';

/**
 * Phrase tables for `pi.ignore-previous`: "ignore / forget / disregard the previous instructions"
 * in the languages the rule covers.
 *
 * Every language has up to three shapes:
 * - `prior`: an override verb whose object is earlier text named as instructions, rules, a prompt
 *   or a question, with a word that points back at it ("previous", "above", "your", "系统").
 * - `above`: the verb with a bare pointer ("ignore the above", "oubliez tout ce qui precede").
 * - `hijack`: the verb with an object that is only the last question or command ("ignore this
 *   question"), which counts only when an order to output something follows at once.
 * In verb-first languages the verb is written once and each shape is what follows it, so the
 * regex engine tests the verb once per position (one alternation of tails is far faster than
 * one alternation of whole phrases). Verb-final languages give whole phrases (`...Phrase`).
 * The text is folded (lower case, Latin diacritics removed), so patterns are written that way.
 * Named groups (`p_en`, `a_fr`, `h_ja`...) tell `validate` which shape matched.
 */

/** A bounded gap of up to `n` words between two parts of a phrase (spaces or an apostrophe). */
function words(n: number): string {
  return String.raw`(?:[\s'’]{1,3}[^\s'’.,;:!?"“”«»]{1,24}){0,${n}}?`;
}

/** A bounded gap of up to `n` characters inside one sentence, for scripts written without spaces. */
function chars(n: number): string {
  return String.raw`[^。．！？\n.!?]{0,${n}}?`;
}

export interface PhraseTable {
  /** Short language code, used in group names. */
  code: string;
  /** Literals for the prefilter: the verbs (or, in verb-final languages, the verb stems). */
  keywords: readonly string[];
  /**
   * Override verbs written as plain words (a space stands for any run of spaces, an apostrophe is
   * optional). Verbs of all Latin-script tables are merged into one prefix tree, so a position is
   * tested against the tree once instead of against every language's verbs.
   */
  verbs?: readonly string[];
  /** Override verbs as a pattern, for scripts whose verbs are not merged. */
  verb?: string;
  prior?: string;
  above?: string;
  hijack?: string;
  priorPhrase?: string;
  abovePhrase?: string;
  hijackPhrase?: string;
}

// ---------------------------------------------------------------- English
const EN_DET = String.raw`(?:\s+(?:about|all|any|every|each|of|the|your|my|these|those|and|or|other|such|whatever|entire|whole|single|just|also|now|please|completely|totally|simply))`;
const EN_PRIOR = `(?:previous(?:ly)?|prior|above|aforementioned|preceding|earlier|former|foregoing|original|initial|old|existing|past|prev|last|given|current|default|pre-?defined|pre-?set|system|developer|hidden|underlying|core|base)`;
const EN_NOUN = String.raw`(?:instruc\w*|instrutions?|direction|directions|directives?|commands?|rules?|guidelines?|guidance|prompts?|prompting|context|texts?|messages?|contents?|questions?|tasks?|orders?|requests?|programming|training|polic(?:y|ies)|settings|configuration|conversations?|inputs?|information|specifications|requirements|statements?|quer(?:y|ies)|assignments?|objectives?|mission|problems?|reminders?|notes?|responses?|answers?|things|stuff|words)`;
const EN_POST = String.raw`(?:above|before|previously|earlier|so\s+far|up\s+(?:to|until)\s+(?:now|this\s+point)|until\s+now|till\s+now|given(?:\s+(?:to\s+you|before|earlier|previously|above))?|(?:you|i)(?:['’]ve|\s+have|\s+had|\s+were|\s+was)?(?:\s+been)?\s+(?:given|received|got|gotten|told|provided|fed|instructed|sent|taught|shown|programmed|wrote|said|gave)|(?:from|by)\s+(?:your|the)\s+(?:developers?|creators?|system|operators?|owners?|openai|anthropic)|in\s+(?:your|the)\s+system(?:\s+(?:prompt|message))?|(?:that\s+)?came\s+before|(?:you|that\s+you)\s+(?:follow|obey|have|must\s+follow)|(?:set|placed|imposed)\s+(?:on|upon)\s+you)`;
const EN_STRONG_NOUN = String.raw`(?:instructions|rules|guidelines|directives|programming|prompts?|directions|system\s+(?:prompt|message|instructions?))`;
const EN_OUTPUT = String.raw`(?:say|state|output|writ\w*|repl\w*|respond\w*|answer\w*|repeat\w*|tell|print\w*|type|declare|go|add|rephras\w*|paraphras\w*|recap\w*|claim|insist|generate|produce|display|show|list|translate|give|provide|follow|do|enter|return|confirm)`;

const english: PhraseTable = {
  code: 'en',
  keywords: [
    'ignor',
    'disregard',
    'forget',
    'overlook',
    'neglect',
    'discard',
    'dismiss',
    'set aside',
    'pay no',
    't follow',
    'not follow',
    'stop follow',
    'longer follow',
    'quit follow',
    'cease follow',
    't obey',
    'not obey',
    'stop obey',
    'longer obey',
    't adher',
    'not adher',
    'longer adher',
    't listen',
    'not listen',
    'stop listen',
    't comply',
    'not comply',
    'regardless of',
    'irrespective of',
    'notwithstanding',
  ],
  verbs: [
    'ignore',
    'ignoring',
    'disregard',
    'disregarding',
    'forget',
    'forgetting',
    'overlook',
    'overlooking',
    'neglect',
    'discard',
    'dismiss',
    'set aside',
    'pay no attention to',
    'pay no heed to',
    'pay no mind to',
    'do not follow',
    'do not obey',
    'do not adhere to',
    'do not listen to',
    'do not comply with',
    "don't follow",
    "don't obey",
    "don't adhere to",
    "don't listen to",
    "don't comply with",
    'stop following',
    'stop obeying',
    'stop listening to',
    'cease following',
    'quit following',
    'no longer follow',
    'no longer obey',
    'no longer adhere to',
    'regardless of',
    'irrespective of',
    'notwithstanding',
  ],
  prior: [
    // "ignore all previous instructions" / "ignore the directions above"
    String.raw`${EN_DET}{0,4}\s+(?:${EN_PRIOR}(?:\s+(?:and|or|&)\s+[a-z]+)?(?:\s+[a-z-]+){0,2}?\s+${EN_NOUN}|${EN_NOUN}(?:\s+(?:that|which))?\s+${EN_POST})\b`,
    // "forget your instructions", "ignore all instructions", "disregard the system prompt"
    String.raw`(?:\s+about)?(?:\s+(?:all|any|every|each)(?:\s+of)?)?\s+(?:your|all\s+(?:of\s+)?(?:your|those|the)|all|any(?:\s+of\s+(?:your|the))?|the\s+system['’]?s?)\s+(?:[a-z-]+\s+)?${EN_STRONG_NOUN}\b`,
  ].join('|'),
  // "ignore the above", "ignore everything you have been told", "overlook all that you've been instructed"
  above: [
    String.raw`(?:\s+about)?(?:\s+(?:all|everything|everthing|anything|whatever|what))?(?:\s+(?:of|that|which))?(?:\s+the)?\s+(?:above|before|(?:you|i)(?:['’]ve|\s+have|\s+had|\s+were|\s+was|\s+just)?(?:\s+been)?\s+(?:told|instructed|said|given|taught|written|wrote|programmed|received))\b`,
    String.raw`(?:\s+about)?\s+(?:all|everything|everthing|anything)(?:\s+(?:of|that|which))?\s+(?:previous(?:ly)?|prior|preceding|earlier|so\s+far|up\s+to\s+now)\b`,
  ].join('|'),
  // "ignore the question and just output", "ignore the webpage and state"
  hijack: String.raw`\s+(?:(?:that|this)(?=\s*[,;:.]\s+(?:just|only|simply)\s)|about\s+(?:it|them|that|this)|(?:(?:the|this|that|my|your|these|those|all|any)\s+)?(?:[a-z-]+\s+)?(?:questions?|query|request|prompt|command|directive|instructions?|task|message|reminder|sentence|statement|problem|webpage|page|document|email|image|function|article|resume|text|content|passage|paragraph))(?:\s+(?:for\s+now|above|below))?(?:(?:\s*[,;]\s+|\s+)(?:and|then|but|instead|now)|\s*[,;:.])(?:\s+(?:please|just|simply|only|directly|instead|now|immediately|rather|you|should|must|will|need\s+to|to)){0,4}\s+(?:${EN_OUTPUT}\b|your\s+(?:new\s+)?(?:task|job|goal))`,
};

// ---------------------------------------------------------------- French
const FR_NOUN = `(?:instructions?|consignes?|directives?|regles?|indications?|questions?|commandes?|ordres?|demandes?|messages?|invites?|prompts?|taches?|requetes?|rappels?|problemes?|textes?|contenus?|enonces?)`;
const FR_PRIOR = String.raw`(?:precedente?s?|ci-dessus|ci\s+dessus|anterieure?s?|d'avant|au-dessus|plus\s+haut|initiale?s?|originale?s?|d'origine|du\s+systeme|systeme|qu'on\s+(?:t'a|vous\s+a)\s+donnee?s?|recue?s?|fournie?s?|donnee?s?\s+(?:auparavant|precedemment|plus\s+haut))`;
const french: PhraseTable = {
  code: 'fr',
  keywords: [
    'ignor',
    'oubli',
    'compte',
    'abstraction',
    'neglig',
    'fais fi',
    'faites fi',
    'outre',
    'ne suivez',
    'ne suivre',
    'ne respect',
    'independamment',
  ],
  verbs: [
    'ignore',
    'ignorez',
    'ignorer',
    'ignores',
    'ignorons',
    'oublie',
    'oubliez',
    'oublier',
    'oublies',
    'oublions',
    'oubliant',
    'independamment des',
    'independamment de',
    'sans tenir compte des',
    'sans tenir compte de',
    'ne tiens pas compte',
    'ne tenez pas compte',
    'ne tenez plus compte',
    'ne tiens plus compte',
    'ne prends pas en compte',
    'ne prenez pas en compte',
    'fais abstraction',
    'faites abstraction',
    'neglige',
    'negligez',
    'negliger',
    'fais fi',
    'faites fi',
    'passe outre',
    'passez outre',
    'ne suivez pas',
    'ne suivez plus',
    'ne respecte pas',
    'ne respectez pas',
  ],
  prior: String.raw`${words(4)}[\s'’]+${FR_NOUN}${words(1)}\s+${FR_PRIOR}|${words(3)}\s+(?:tes|vos)\s+(?:propres\s+)?(?:instructions|consignes|directives|regles)`,
  above: String.raw`\s+(?:tout\s+)?(?:ce\s+qui\s+(?:precede|est\s+(?:ecrit\s+)?(?:au-dessus|ci-dessus|plus\s+haut))|ce\s+qu'on\s+(?:t'a|vous\s+a)\s+dit|tout\s+ce\s+qui\s+a\s+ete\s+dit)`,
  hijack: String.raw`(?:\s+(?:cette|la|ma|ta|votre|ces|les|mes)\s+(?:questions?|commandes?|demandes?|instructions?)|-(?:les|la|le))(?:\s*,|\s+et)(?:\s+(?:simplement|directement|juste|seulement|plutot|maintenant)){0,3}\s+(?:affich|ecri|repond|repet|dit|dis|indiqu|produi|sort|genere|renvoi|imprim|ajout|reformul|paraphras|votre\s+tache|ta\s+tache|vous\s+devez|tu\s+dois)`,
};

// ---------------------------------------------------------------- Spanish
const ES_NOUN = `(?:instrucci(?:on|ones)|indicaci(?:on|ones)|ordenes|orden|reglas?|directrices|directivas?|preguntas?|comandos?|mensajes?|tareas?|solicitud(?:es)?|peticion(?:es)?|problemas?|recordatorios?|textos?|contenidos?|prompts?|consignas?|indicaciones|avisos?)`;
const ES_PRIOR = String.raw`(?:anterior(?:es)?|previas?|previos?|precedentes?|de\s+arriba|mencionad[oa]s?(?:\s+arriba)?|original(?:es)?|iniciales?|del\s+sistema|de\s+sistema|dadas?|recibidas?|que\s+(?:te|le|se\s+te)\s+(?:dieron|han\s+dado|dio))`;
const spanish: PhraseTable = {
  code: 'es',
  keywords: [
    'ignor',
    'olvid',
    'omit',
    'descart',
    'desestim',
    'caso omiso',
    'no hagas caso',
    'no haga caso',
    'no hagan caso',
    'no sigas',
    'no siga',
    'no obedezca',
    'tenga en cuenta',
    'tengas en cuenta',
    'independientemente',
    'sin tener en cuenta',
  ],
  verbs: [
    'ignora',
    'ignore',
    'ignoren',
    'ignorad',
    'ignorar',
    'ignorando',
    'ignoralo',
    'ignorelo',
    'ignorala',
    'ignorela',
    'independientemente de',
    'sin tener en cuenta',
    'olvida',
    'olvide',
    'olviden',
    'olvidad',
    'olvidar',
    'olvidate',
    'olvidese',
    'omite',
    'omita',
    'omitan',
    'omitid',
    'omitir',
    'descarta',
    'descarte',
    'descarten',
    'descartar',
    'desestima',
    'desestime',
    'haz caso omiso',
    'haga caso omiso',
    'hagan caso omiso',
    'no hagas caso',
    'no haga caso',
    'no hagan caso',
    'no sigas',
    'no siga',
    'no sigan',
    'no obedezcas',
    'no obedezca',
    'no tengas en cuenta',
    'no tenga en cuenta',
  ],
  prior: String.raw`${words(4)}\s+${ES_NOUN}${words(2)}\s+${ES_PRIOR}|${words(3)}\s+(?:tus|sus)\s+(?:propias\s+)?(?:instrucciones|reglas|directrices|indicaciones)`,
  above: String.raw`\s+(?:todo\s+)?(?:lo\s+(?:anterior|de\s+arriba|que\s+(?:te|le)\s+(?:dije|dijeron|han\s+dicho)))`,
  hijack: String.raw`\s+(?:esta|esa|la|mi|tu|su|estas|las|mis)\s+(?:preguntas?|ordenes|orden|comandos?|instrucci(?:on|ones)|solicitud)(?:\s*,|\s+y)(?:\s+(?:simplemente|directamente|solo|solamente|ahora)){0,3}\s+(?:emit|escrib|respond|repit|di\b|diga|dime|imprim|muestr|export|envi|produc|agreg|genera|reformul|parafrase|ahora\s+(?:tu|su)\s+tarea|vaya)`,
};

// ---------------------------------------------------------------- Portuguese
const PT_NOUN = `(?:instruc(?:ao|oes)|orientac(?:ao|oes)|ordens|ordem|regras?|diretrizes|diretivas?|perguntas?|comandos?|mensagens?|tarefas?|solicitac(?:ao|oes)|pedidos?|textos?|prompts?)`;
const PT_PRIOR = String.raw`(?:anteriores?|previas?|precedentes?|acima|mencionad[oa]s?(?:\s+acima)?|originais|original|iniciais|inicial|do\s+sistema|dadas?|recebidas?)`;
const portuguese: PhraseTable = {
  code: 'pt',
  keywords: [
    'ignor',
    'esquec',
    'desconsider',
    'despreze',
    'nao siga',
    'nao sigam',
    'nao obedec',
    'nao leve',
  ],
  verbs: [
    'ignore',
    'ignora',
    'ignorem',
    'ignorar',
    'ignorando',
    'esqueca',
    'esquece',
    'esquecam',
    'esquecer',
    'desconsidere',
    'desconsidera',
    'desconsiderem',
    'desconsiderar',
    'despreze',
    'nao siga',
    'nao sigam',
    'nao obedeca',
    'nao obedecam',
    'nao leve em conta',
  ],
  prior: String.raw`${words(4)}\s+${PT_NOUN}${words(2)}\s+${PT_PRIOR}|${words(3)}\s+(?:suas|tuas)\s+(?:proprias\s+)?(?:instrucoes|regras|diretrizes)`,
  above: String.raw`\s+(?:tudo\s+)?(?:o\s+que\s+(?:foi\s+dito|esta)\s+acima|o\s+acima|o\s+que\s+(?:te|lhe)\s+disseram)`,
  hijack: String.raw`\s+(?:esta|essa|a|minha|sua|estas|as|minhas)\s+(?:perguntas?|ordem|comandos?|instruc(?:ao|oes))(?:\s*,|\s+e)(?:\s+(?:simplesmente|diretamente|apenas|somente|agora)){0,3}\s+(?:emit|escrev|respond|repit|diga|imprim|mostr|exib|produz|gere|agora\s+(?:sua|tua)\s+tarefa)`,
};

// ---------------------------------------------------------------- Italian
const IT_NOUN = `(?:istruzion[ei]|indicazion[ei]|regole|regola|direttive|direttiva|domande|domanda|comandi|comando|messaggi|messaggio|compiti|compito|richieste|richiesta|prompt|ordini|testo|contenuto)`;
const IT_PRIOR = String.raw`(?:precedent[ei]|sopra|di\s+sopra|soprastanti|sopraindicat[ei]|iniziali|originali|originale|del\s+sistema|di\s+sistema|fornit[ei]|ricevut[ei]|date|dati|prima)`;
const italian: PhraseTable = {
  code: 'it',
  keywords: [
    'ignor',
    'dimentic',
    'trascur',
    'tralasci',
    'non consider',
    'non segu',
    'non tene',
    'non obbed',
  ],
  verbs: [
    'ignora',
    'ignori',
    'ignorate',
    'ignorare',
    'ignorando',
    'dimentica',
    'dimentichi',
    'dimenticate',
    'dimenticare',
    'trascura',
    'trascuri',
    'trascurate',
    'tralascia',
    'tralasciate',
    'non considerare',
    'non considerate',
    'non consideri',
    'non seguire',
    'non seguite',
    'non segua',
    'non tenere conto',
    'non tenete conto',
    'non obbedire',
  ],
  prior: String.raw`${words(4)}\s+${IT_NOUN}${words(2)}\s+${IT_PRIOR}|${words(3)}\s+(?:le\s+)?(?:tue|sue)\s+(?:istruzioni|regole|direttive)`,
  above: String.raw`\s+(?:tutto\s+)?(?:quanto\s+(?:detto\s+)?sopra|cio\s+che\s+(?:precede|e\s+scritto\s+sopra)|quello\s+che\s+ti\s+(?:e\s+stato\s+detto|hanno\s+detto))`,
  hijack: String.raw`\s+(?:questa|quella|la|mia|tua|queste|le|mie)\s+(?:domande?|comandi?|richieste?|istruzion[ei])(?:\s*,|\s+e)(?:\s+(?:semplicemente|direttamente|solo|soltanto|ora)){0,3}\s+(?:scriv|rispond|ripet|di\b|dici|stamp|mostr|produc|emett|genera|ora\s+il\s+tuo\s+compito)`,
};

// ---------------------------------------------------------------- German
const DE_NOUN = `[a-z]{0,16}?(?:anweisung|instruktion|befehl|regel|vorgabe|anordnung|richtlinie|frage|aufforderung|prompt|aufgabe|anfrage|auftrag|nachricht|text|inhalt|erinnerung|problem|hinweis)[a-z]{0,4}`;
const DE_PRIOR = String.raw`(?:vorherige[nrs]?|vorige[nrs]?|obige[nrs]?|oben\s+(?:genannte[nrs]?|stehende[nrs]?|aufgefuhrte[nrs]?)|bisherige[nrs]?|vorangegangene[nrs]?|vorhergehende[nrs]?|fruhere[nrs]?|ursprungliche[nrs]?|anfangliche[nrs]?|erhaltene[nrs]?|gegebene[nrs]?|letzte[nrs]?|alten?|system-?)`;
const german: PhraseTable = {
  code: 'de',
  keywords: [
    'ignorier',
    'vergiss',
    'vergessen',
    'vergesst',
    'missacht',
    'ubergeh',
    'beachte',
    'befolge',
    'ausser kraft',
    'unabhangig von',
    'ungeachtet',
    'ignorieren',
    'missachten',
    'nicht beachten',
    'nicht befolgen',
  ],
  verbs: [
    'ignoriere',
    'ignorieren',
    'ignoriert',
    'ignorierst',
    'ignorier',
    'unabhangig von',
    'ungeachtet',
    'vergiss',
    'vergessen',
    'vergesst',
    'missachte',
    'missachten',
    'missachtet',
    'ubergehe',
    'ubergehen',
    'beachte nicht',
    'beachten sie nicht',
    'beachtet nicht',
    'beachte keine',
    'beachten sie keine',
    'befolge nicht',
    'befolgen sie nicht',
    'befolge keine',
    'befolgen sie keine',
  ],
  // "ignorieren Sie die obigen Anweisungen", "ignoriere deine Anweisungen"
  prior: String.raw`${words(4)}\s+${DE_PRIOR}\s+${DE_NOUN}\b|${words(3)}\s+(?:deine|ihre|eure|meine)\s+(?:eigenen\s+)?(?:anweisungen|regeln|richtlinien|vorgaben|instruktionen|programmierung)`,
  above: String.raw`(?:\s+(?:sie|du|bitte|nun|jetzt|einfach)){0,3}\s+(?:alles\s+)?(?:(?:was\s+)?(?:oben\s+steht|bisher\s+gesagt\s+wurde|man\s+dir\s+gesagt\s+hat|zuvor\s+gesagt\s+wurde)|alles\s+(?:obige|vorherige|bisherige|davor))`,
  hijack: String.raw`(?:\s+(?:sie|du|bitte|nun|jetzt|vorerst)){0,3}\s+(?:(?:diese|die|meine|deine|ihre)\s+(?:fragen?|befehle?|anweisung|aufforderung)|sie|es)(?:\s*,|\s+und)(?:\s+(?:sie|du|bitte|einfach|direkt|stattdessen|nur|nun|jetzt)){0,4}\s+(?:geben|gib|gebt|sag|schreib|antwort|wiederhol|druck|zeig|nenn|ausgabe|fahr|komm|formulier|paraphras|ihre\s+aufgabe|deine\s+aufgabe|sie\s+mussen|du\s+musst)`,
  // verb last: "Sie konnen die obige Anweisung ignorieren"
  priorPhrase: String.raw`\b(?:die|den|alle|samtliche|deine|ihre)\s+${DE_PRIOR}\s+${DE_NOUN}${words(3)}\s+(?:ignorieren|vergessen|missachten|nicht\s+(?:beachten|befolgen))`,
};

// ---------------------------------------------------------------- Dutch
const dutch: PhraseTable = {
  code: 'nl',
  keywords: ['negeer', 'vergeet'],
  verbs: ['negeer', 'vergeet'],
  prior: String.raw`(?:\s+(?:alle|al|de|je|jouw|uw|deze|alsjeblieft|nu)){0,4}\s+(?:vorige|voorgaande|eerdere|bovenstaande|oorspronkelijke|systeem)\s*(?:instructies|instructie|opdrachten|opdracht|regels|richtlijnen|vragen|vraag|prompts?|berichten)|\s+(?:al\s+)?je\s+(?:instructies|regels|richtlijnen)`,
  above: String.raw`\s+(?:alles\s+)?(?:hierboven|wat\s+(?:hierboven\s+staat|je\s+(?:is\s+)?(?:verteld|gezegd)))`,
};

// ---------------------------------------------------------------- Polish
const polish: PhraseTable = {
  code: 'pl',
  keywords: ['zignoruj', 'ignoruj', 'zapomnij', 'pomin'],
  verbs: [
    'zignoruj',
    'zignorujcie',
    'ignoruj',
    'ignorujcie',
    'zapomnij',
    'zapomnijcie',
    'pomin',
    'pomincie',
  ],
  prior: String.raw`(?:\s+o)?(?:\s+(?:wszystkie|wszystko|twoje|swoje|te|moje)){0,3}\s+(?:poprzednie|wczesniejsze|powyzsze|dotychczasowe|oryginalne|systemowe)\s+(?:instrukcje|polecenia|zasady|reguly|pytania|wytyczne|komendy)|(?:\s+o)?\s+(?:swoich|twoich|swoje|twoje)\s+(?:instrukcj\S{0,16}|zasad\S{0,16}|regul\S{0,16})`,
  above: String.raw`\s+(?:o\s+)?(?:wszystko\s+)?(?:powyzsze|co\s+(?:powyzej|bylo\s+wczesniej|ci\s+powiedziano))`,
};

// ---------------------------------------------------------------- Turkish (the dotless i may stay: [iı])
const turkish: PhraseTable = {
  code: 'tr',
  keywords: ['talimat', 'yonerge', 'komut', 'kural'],
  priorPhrase: String.raw`\b(?:onceki|yukaridaki|yukar[iı]daki|[oö]nceki|verilen|orijinal|sistem)\s+(?:tum\s+|b[uü]t[uü]n\s+)?(?:talimatlar[iı]?|talimat[iı]?|y[oö]nergeler[iı]?|komutlar[iı]?|kurallar[iı]?|sorular[iı]?|soruyu)\s+(?:yok\s+say|g[oö]rmezden\s+gel|unut|dikkate\s+alma|bo[sş]\s*ver|umursama)`,
};

// ---------------------------------------------------------------- Indonesian / Malay
const indonesian: PhraseTable = {
  code: 'id',
  keywords: ['abaikan', 'lupakan', 'hiraukan', 'acuhkan', 'jangan ikuti'],
  verbs: ['abaikan', 'lupakan', 'jangan hiraukan', 'jangan ikuti', 'acuhkan'],
  prior: String.raw`(?:\s+(?:semua|seluruh|segala|saja|lah)){0,3}\s+(?:instruksi|arahan|perintah|petunjuk|aturan|pertanyaan|prompt|pesan)(?:\s+(?:mu|anda|kamu))?\s+(?:sebelumnya|di\s+atas|tadi|terdahulu|awal|asli|sistem)`,
  above: String.raw`\s+(?:semua\s+)?(?:yang\s+)?(?:di\s+atas|sebelumnya)\b`,
};

// ---------------------------------------------------------------- Vietnamese (diacritics folded)
const vietnamese: PhraseTable = {
  code: 'vi',
  keywords: ['bo qua', 'phot lo', 'quen ', 'khong tuan', 'khong lam theo', 'đung lam theo'],
  verbs: [
    'bo qua',
    'phot lo',
    'quen',
    'quen di',
    'khong tuan theo',
    'khong lam theo',
    'đung lam theo',
  ],
  prior: String.raw`(?:\s+(?:het|tat\s+ca|moi|toan\s+bo|cac|nhung|cau|di)){0,3}\s+(?:(?:huong\s+dan|chi\s+dan|chi\s+thi|lenh|menh\s+lenh|quy\s+tac|cau\s+hoi|yeu\s+cau|loi\s+nhac|thong\s+diep|noi\s+dung)\s+){1,2}(?:truoc\s+(?:[dđ]o|[dđ]ay|[dđ]en\s+nay)|o\s+tren|phia\s+tren|ben\s+tren|ban\s+[dđ]au|goc|cua\s+he\s+thong|he\s+thong|cu)`,
  above: String.raw`\s+(?:het\s+|tat\s+ca\s+)?(?:nhung\s+)?(?:gi|[dđ]ieu)\s+(?:o\s+tren|truoc\s+[dđ]o)`,
};

// ---------------------------------------------------------------- Swahili
const swahili: PhraseTable = {
  code: 'sw',
  keywords: ['puuza', 'puuzeni', 'sahau', 'usifuate', 'msifuate'],
  verbs: ['puuza', 'puuzeni', 'sahau', 'sahauni', 'usifuate', 'msifuate'],
  prior: String.raw`\s+(?:(?:yote|zote|haya|hayo|yako|zako|yangu)\s+){0,2}(?:maagizo|maelekezo|amri|sheria|maswali|swali|miongozo|maelezo)(?:\s+(?:yote|zote|yako|zako))?\s+(?:ya\s+awali|yaliyotangulia|zilizotangulia|yaliyopita|zilizopita|ya\s+hapo\s+juu|za\s+hapo\s+juu|hapo\s+juu|ya\s+mwanzo|ya\s+mfumo|za\s+awali|ya\s+zamani|uliyopewa)`,
};

// ---------------------------------------------------------------- Russian (stems: the engine folds Cyrillic lookalikes)
const RU_VERB = String.raw`(?:проигнорир\S{0,16}|игнорир\S{0,16}|игнорь\S{0,16}|забуд\S{0,16}|забыть|не\s+обращай\S{0,16}\s+внимани\S{0,16}\s+на|не\s+учитыва\S{0,16}|не\s+слушай\S{0,16}|не\s+выполняй\S{0,16}|не\s+следуй\S{0,16}|отбрось\S{0,16}|отмени\S{0,16}|пренебреги\S{0,16})`;
const RU_NOUN = String.raw`(?:инструкци\S{0,16}|указани\S{0,16}|команд\S{0,16}|вопрос\S{0,16}|правил\S{0,16}|директив\S{0,16}|приглашени\S{0,16}|подсказк\S{0,16}|промпт\S{0,16}|запрос\S{0,16}|сообщени\S{0,16}|задани\S{0,16}|задач\S{0,16}|распоряжени\S{0,16}|требовани\S{0,16}|установк\S{0,16}|напоминани\S{0,16}|проблем\S{0,16})`;
const RU_PRIOR = String.raw`(?:предыдущ\S{0,16}|вышеприведенн\S{0,16}|вышеприведённ\S{0,16}|приведенн\S{0,16}\s+выше|приведённ\S{0,16}\s+выше|вышеуказанн\S{0,16}|вышеизложенн\S{0,16}|указанн\S{0,16}\s+выше|прежн\S{0,16}|прошл\S{0,16}|ранее\s+\S{1,24}|изначальн\S{0,16}|исходн\S{0,16}|первоначальн\S{0,16}|системн\S{0,16}|свои|свою|твои|ваши|мои|все\s+свои)`;
const russian: PhraseTable = {
  code: 'ru',
  keywords: [
    'игнорир',
    'игнорь',
    'забуд',
    'забыть',
    'не обраща',
    'не учитыва',
    'не слушай',
    'не выполняй',
    'не следуй',
    'отбрось',
    'отмени',
    'пренебреги',
  ],
  verb: RU_VERB,
  prior: String.raw`(?:\s+(?:все|всех|вс[её]|эти|данные|мои|пожалуйста|сейчас|теперь)){0,3}\s+${RU_PRIOR}(?:\s+(?:\S{1,24}))?\s+${RU_NOUN}|(?:\s+(?:все|всех|эти|мои|пожалуйста)){0,2}\s+${RU_NOUN}\s+(?:выше|ранее|до\s+этого)`,
  above: String.raw`\s+(?:вс[её]\s+)?(?:вышесказанное|вышеизложенное|сказанное\s+выше|написанное\s+выше|вс[её]\s+(?:что\s+)?(?:было\s+)?(?:выше|раньше|ранее|до\s+этого)|то,?\s+что\s+(?:тебе|вам)\s+(?:говорили|сказали))`,
  hijack: String.raw`\s+(?:(?:(?:этот|мой|данный|эту|мою)\s+)?(?:вопрос|команду|инструкцию|запрос)|о\s+них|о\s+н[её]м|их|это)(?:\s*,|\s+и)(?:\s+(?:просто|сразу|прямо|только|теперь)){0,3}\s+(?:вывед|выводи|напиш|ответь|ответьте|повтор|скажи|скажите|напечатай|перефраз|перескаж|теперь\s+(?:твоя|ваша)\s+задача|теперь\s+(?:тебе|вам)\s+нужно)`,
};

// ---------------------------------------------------------------- Ukrainian
const ukrainian: PhraseTable = {
  code: 'uk',
  keywords: ['ігнор', 'проігнор', 'забудь', 'забудьте'],
  priorPhrase: String.raw`(?:проігнор\S{0,16}|ігнор\S{0,16}|забудь\S{0,16})(?:\s+\S{1,24}){0,2}?\s+(?:попередн\S{0,16}|вищенаведен\S{0,16}|наведен\S{0,16}\s+вище|свої|твої|ваші|системн\S{0,16})\s+(?:інструкц\S{0,16}|вказівк\S{0,16}|команд\S{0,16}|правил\S{0,16}|питанн\S{0,16}|запит\S{0,16})`,
};

// ---------------------------------------------------------------- Greek (stems kept short)
// Accents fold away (`ή` reads as `η`), so each stem is written once, without them.
const greek: PhraseTable = {
  code: 'el',
  keywords: ['αγνοη', 'ξεχασ'],
  priorPhrase: String.raw`(?:αγνοη\S{0,16}|ξεχασ\S{0,16})(?:\s+\S{1,24}){0,2}?\s+(?:προηγουμεν\S{0,16}|παραπανω|αρχικ\S{0,16})\s+(?:\S{1,24}\s+)?(?:οδηγι\S{0,16}|εντολ\S{0,16}|κανον\S{0,16}|ερωτησ\S{0,16})`,
};

// ---------------------------------------------------------------- Chinese (simplified and traditional)
const ZH_VERB = `(?:忽略|忽视|忽視|无视|無視|不要理会|不要理會|不用理会|不用理會|别理会|別理會|不理会|不理會|忘记|忘記|忘掉|抛开|拋開|抛弃|拋棄|丢弃|丟棄|跳过|跳過|不要遵循|不要遵守|不再遵守|不必遵守|停止遵守|不要按照|不要理睬|无论|無論|不管|放弃|放棄)`;
const ZH_PRIOR = `(?:以上|上述|上面|上方|之前|前面|先前|此前|以前|早先|原先|原有|原来|原來|初始|最初|系统|系統|你的|您的|所有|全部|一切)`;
const ZH_NOUN = `(?:指令|指示|提示词|提示詞|提示|提问|提問|问题|問題|命令|说明|說明|规则|規則|要求|内容|內容|设定|設定|约束|約束|限制|对话|對話|任务|任務|信息|訊息|消息|指导|指導|准则|準則|程序|程式|提醒|prompt|指引)`;
const chinese: PhraseTable = {
  code: 'zh',
  keywords: [
    '忽略',
    '忽视',
    '忽視',
    '无视',
    '無視',
    '理会',
    '理會',
    '忘记',
    '忘記',
    '忘掉',
    '抛开',
    '拋開',
    '抛弃',
    '拋棄',
    '丢弃',
    '丟棄',
    '跳过',
    '跳過',
    '遵循',
    '遵守',
    '按照',
    '理睬',
    '无论',
    '無論',
    '不管',
    '放弃',
    '放棄',
  ],
  verb: ZH_VERB,
  prior: `(?:掉|了)?(?:你|您)?(?:之前|先前)?(?:的)?${ZH_PRIOR}(?:的)?(?:${ZH_PRIOR})?(?:的)?(?:所有|全部|一切|任何)?(?:的)?${chars(4)}${ZH_NOUN}`,
  above: String.raw`(?:掉|了)?(?:以上|上述|上面|之前|前面)(?:的)?(?:所有|全部|一切)?(?:内容|內容|一切|所有)?(?=[，,。.；;：:！!\s]|$)`,
  hijack: String.raw`(?:掉|了)?(?:这个|這個|该|該|此|这|這|我的|那个|那個)(?:个|個)?(?:问题|問題|提问|提問|指令|命令|请求|請求)[，,。.；;\s]*(?:并|並|然后|然後|而是|只|直接|现在|現在|请|請)?${chars(4)}(?:输出|輸出|回答|回复|回覆|复述|複述|重复|重複|说|說|打印|写|寫|添加|你的任务|你的任務)`,
  hijackPhrase: String.raw`把(?:它们|它們|它|这些|這些)(?:忘掉|忘记|忘記)(?:吧)?[，,。.；;\s]*${chars(8)}(?:输出|輸出|回答|回复|回覆|复述|複述|重复|重複|说|說|你的任务|你的任務|你现在需要|你現在需要)`,
};

// ---------------------------------------------------------------- Japanese (verb last)
const JA_PRIOR = `(?:上記|前|以前|これまで|今まで|先ほど|先程|最初|元|もと|上|既存|システム|あなた|私|その|この)`;
const JA_NOUN = `(?:指示|質問|命令|コマンド|プロンプト|ルール|規則|内容|問題|指令|設定|要求|依頼|メッセージ|指図|タスク|リマインダー|注意|説明|制約|ガイドライン|ディレクティブ|命令文)`;
const JA_IGNORE = `(?:(?:無視|むし)(?!しない|してはいけ|してはなら|せず|しませ|することはでき|できませ|され|した(?!が)|しちゃ)|(?:忘れ|わすれ)(?:て(?!い|しま|た)|ろ|なさい)|従わないで|従わなくて|従う必要はな|に関係なく|にかかわらず|に関わらず)`;

const japanese: PhraseTable = {
  code: 'ja',
  keywords: [
    '無視',
    'むし',
    '忘れ',
    'わすれ',
    '従わ',
    '従う必要',
    '関係なく',
    'かかわらず',
    '関わらず',
  ],
  priorPhrase: `${JA_PRIOR}(?:の|に)?(?:すべての|全ての|全部の|あらゆる|与えられた|受けた)?${JA_NOUN}${chars(8)}${JA_IGNORE}`,
  abovePhrase: `(?:上記|これまで|今まで|以上|上)(?:の(?:こと|内容|すべて|全て))?(?:は|を)(?:すべて|全て|全部)?${JA_IGNORE}`,
  hijackPhrase: String.raw`(?:(?:この|その|私の|今の)?(?:質問|命令|コマンド|依頼|指示)(?:は|を)|(?:それら|それ|これら)の?(?:こと)?(?:は|を))${JA_IGNORE}[^\n]{0,16}?(?:出力|繰り返|答え|言って|返信|書いて|表示|印刷|言い換え|あなたの仕事|タスク|入力)`,
};

// ---------------------------------------------------------------- Korean (verb last)
const korean: PhraseTable = {
  code: 'ko',
  keywords: ['무시', '잊어', '잊고', '잊으', '따르지'],
  priorPhrase: String.raw`(?:이전|위|위의|앞|앞의|앞서|기존|모든|지금까지|원래|처음|시스템|당신의|너의)\s*(?:의\s*)?(?:모든\s*)?(?:지시|지침|명령|질문|프롬프트|규칙|내용|설정|요청|메시지|문제)[^\s。.!?]{0,8}(?:\s+[^\s。.!?]{1,12})?\s*(?:무시(?!하지\s*마|하면\s*안|해서는)|잊어|잊고|잊으|따르지\s*(?:말|마))`,
  hijackPhrase: String.raw`(?:이|그|내|제)\s*(?:질문|명령|요청)\S{0,16}\s*무시(?!하지\s*마|하면\s*안)${chars(12)}(?:출력|반복|답|말해|대답|작성)`,
};

// ---------------------------------------------------------------- Persian (verb last)
const persian: PhraseTable = {
  code: 'fa',
  keywords: ['نادیده', 'فراموش'],
  priorPhrase: String.raw`(?:دستورالعمل|دستورات|دستور|سوال|سؤال|قوانین|راهنمایی|پیام)\S{0,16}\s+(?:\S{1,24}\s+)?(?:قبلی|بالا|پیشین|اولیه|سیستم)\s+(?:\S{1,24}\s+)?(?:را\s+)?(?:نادیده\s+بگیر|فراموش\s+کن)`,
};

// ---------------------------------------------------------------- Arabic
const AR_VERB = String.raw`(?:تجاهل|تجاهلي|تجاهلوا|انس|انسى|إنس|لا\s+تلتفت\s+(?:إلى|الى)|لا\s+تتبع|لا\s+تلتزم\s+ب|أهمل|اهمل|بغض\s+النظر\s+عن)`;
const arabic: PhraseTable = {
  code: 'ar',
  keywords: [
    'تجاهل',
    'انس ',
    'انسى',
    'إنس ',
    'لا تلتفت',
    'لا تتبع',
    'لا تلتزم',
    'أهمل',
    'اهمل',
    'بغض النظر',
  ],
  verb: AR_VERB,
  prior: String.raw`\s+(?:(?:جميع|كل|هذه|هذا|تلك|ذلك)\s+){0,2}(?:التعليمات|التعليمة|الإرشادات|الارشادات|التوجيهات|التوجيه|الأوامر|الاوامر|الأمر|الامر|السؤال|الأسئلة|الاسئلة|الطلب|الطلبات|المطالبة|القواعد|الرسالة|المشاكل|المشكلات|التذكير|الموجه|أمر|امر)\s*(?:\S{1,24}\s+)?(?:السابقة|السابق|أعلاه|اعلاه|المذكورة\s+أعلاه|المذكور\s+أعلاه|الواردة\s+أعلاه|الأصلية|الاصلية|الأولية|الاولية|القديمة|المقدمة|للنظام)|\s+(?:جميع\s+|كل\s+)?(?:تعليماتك|أوامرك|قواعدك|تعليماتي|أوامري|إرشاداتك)`,
  hijack: String.raw`\s+(?:هذا\s+السؤال|السؤال|سؤالي|هذه\s+التعليمات|هذا\s+الأمر|الأمر)\s*(?:[،,]\s*)?${chars(16)}(?:أخرج|اخرج|الإخراج|إخراج|كرر|التكرار|أجب|اكتب|قل|اطبع|مهمتك|إعادة|صياغ)`,
};

// ---------------------------------------------------------------- Hindi (verb last)
const HI_PRIOR = String.raw`(?:पिछले|पिछली|पिछला|उपरोक्त|ऊपर\s+(?:दिए|दी|दिये|लिखे|बताए)\s+(?:गए|गई|गये)|ऊपर\s+के|ऊपर|पूर्व|पहले\s+के|पहले\s+दिए\s+गए|प्रारंभिक|मूल|सिस्टम|अपने|आपके|मेरे|सभी)`;
const HI_NOUN = `(?:निर्देशों|निर्देश|प्रश्नों|प्रश्न|सवालों|सवाल|आदेशों|आदेश|कमांड|संकेतों|संकेत|नियमों|नियम|अनुरोध|प्रॉम्प्ट|दिशानिर्देशों|बातों|समस्याओं|समस्या|रिमाइंडर|अनुस्मारक)`;
const HI_VERB = String.raw`(?:अनदेखा|अनदेखी|नज़रअंदाज़|नजरअंदाज|नज़रअंदाज|उपेक्षा|ध्यान\s+न|ध्यान\s+मत|भूल\s+जाओ|भूल\s+जाएं|भूल\s+जाइए|पालन\s+न\s+कर|पालन\s+मत|के\s+बावजूद)`;

const hindi: PhraseTable = {
  code: 'hi',
  keywords: [
    'अनदेखा',
    'अनदेखी',
    'नज़रअंदाज़',
    'नजरअंदाज',
    'नज़रअंदाज',
    'उपेक्षा',
    'ध्यान न',
    'ध्यान मत',
    'भूल जा',
    'पालन न',
    'पालन मत',
    'बावजूद',
  ],
  priorPhrase: String.raw`${HI_PRIOR}\s+(?:सभी\s+|सारे\s+)?(?:\S{1,24}\s+)?${HI_NOUN}${chars(30)}${HI_VERB}`,
  hijackPhrase: String.raw`(?:(?:इस|मेरे|उस)\s+)?(?:प्रश्न|सवाल|आदेश|निर्देश)\S{0,16}\s+${chars(30)}${HI_VERB}${chars(30)}(?:आउटपुट|दोहरा|उत्तर|लिख|कह|सीधे|केवल|बस|अब\s+आपका|निष्कर्ष)`,
};

// ---------------------------------------------------------------- Bengali (verb last)
const bengali: PhraseTable = {
  code: 'bn',
  keywords: ['উপেক্ষা', 'অগ্রাহ্য', 'ভুলে যা', 'উপেক্ষ'],
  priorPhrase: String.raw`(?:পূর্ববর্তী|পূর্বের|আগের|উপরের|উপরোক্ত|পূর্বে\s+দেওয়া|প্রাথমিক|মূল|সিস্টেম|আপনার|তোমার|সমস্ত|সকল)\s+(?:সমস্ত\s+|সব\s+)?(?:\S{1,24}\s+)?(?:নির্দেশাবলী|নির্দেশনা|নির্দেশ|প্রশ্ন|আদেশ|কমান্ড|নিয়ম|নিয়মাবলী|প্রম্পট)\S{0,16}${chars(16)}(?:উপেক্ষা|অগ্রাহ্য|ভুলে\s+যা)`,
};

// ---------------------------------------------------------------- Thai (no spaces between words)
const thai: PhraseTable = {
  code: 'th',
  keywords: ['ละเว้น', 'เพิกเฉย', 'ไม่ต้องสนใจ', 'ไม่สนใจ', 'ลืม', 'ละทิ้ง', 'ข้าม'],
  verb: `(?:ละเว้น|เพิกเฉย(?:ต่อ)?|ไม่ต้องสนใจ|ไม่สนใจ|ลืม|ละทิ้ง|ข้าม)`,
  prior: String.raw`\s*(?:ทั้งหมด\s*)?(?:คำสั่ง|คำแนะนำ|คำถาม|กฎ|ข้อความ|พรอมต์|ข้อกำหนด|แนวทาง)${chars(8)}(?:ก่อนหน้า|ข้างต้น|ด้านบน|เดิม|ที่ผ่านมา|ที่ได้รับ|ของระบบ|แรก)`,
};

/** Every language's table, in a stable order. */
export const OVERRIDE_TABLES: readonly PhraseTable[] = [
  english,
  french,
  spanish,
  portuguese,
  italian,
  german,
  dutch,
  polish,
  turkish,
  indonesian,
  vietnamese,
  swahili,
  russian,
  ukrainian,
  greek,
  chinese,
  japanese,
  korean,
  arabic,
  persian,
  hindi,
  bengali,
  thai,
];

/** The shape of an override phrase: which named group (`prior`, `above`, `hijack`) matched. */
export type OverrideShape = 'prior' | 'above' | 'hijack';

export function overrideShape(
  groups: Record<string, string | undefined> | undefined,
): OverrideShape {
  if (groups?.above !== undefined) return 'above';
  if (groups?.hijack !== undefined) return 'hijack';
  return 'prior';
}

const SHAPES: readonly OverrideShape[] = ['prior', 'above', 'hijack'];
const PHRASE_FIELD = {
  prior: 'priorPhrase',
  above: 'abovePhrase',
  hijack: 'hijackPhrase',
} as const;

/**
 * The verb-first shapes of the given tables, as one sticky pattern that starts at the verb: for
 * each shape, the merged Latin verbs once followed by every Latin table's tails, then each other
 * verb followed by its own. Three named groups in all, so the groups object of a match stays small.
 */
export function overrideSource(
  tables: readonly PhraseTable[] = OVERRIDE_TABLES,
  shapes: readonly OverrideShape[] = SHAPES,
): string {
  const merged = tables.filter((table) => table.verbs !== undefined);
  const verbs = wordTree([...new Set(merged.flatMap((table) => table.verbs ?? []))]);
  const groups: string[] = [];
  for (const shape of shapes) {
    const alternatives: string[] = [];
    const latinTails = merged.flatMap((table) =>
      table[shape] === undefined ? [] : [table[shape]],
    );
    if (latinTails.length > 0)
      alternatives.push(`(?<![a-z0-9])${verbs}(?:${latinTails.join('|')})`);
    for (const table of tables) {
      const tail = table[shape];
      if (table.verb !== undefined && tail !== undefined)
        alternatives.push(`${table.verb}(?:${tail})`);
    }
    if (alternatives.length > 0) groups.push(`(?<${shape}>${alternatives.join('|')})`);
  }
  return groups.join('|');
}

/** The whole phrases (verb-final languages and other shapes that do not open with the verb). */
export function overridePhraseSource(
  tables: readonly PhraseTable[] = OVERRIDE_TABLES,
  shapes: readonly OverrideShape[] = SHAPES,
): string {
  const groups: string[] = [];
  for (const shape of shapes) {
    const phrases = tables.flatMap((table) => {
      const phrase = table[PHRASE_FIELD[shape]];
      return phrase === undefined ? [] : [phrase];
    });
    if (phrases.length > 0) groups.push(`(?<${shape}>${phrases.join('|')})`);
  }
  return groups.join('|');
}

/** Keywords of the tables that have whole phrases: the anchors worth a look behind. */
export function overridePhraseKeywords(tables: readonly PhraseTable[] = OVERRIDE_TABLES): string[] {
  return tables
    .filter(
      (table) =>
        table.priorPhrase !== undefined ||
        table.abovePhrase !== undefined ||
        table.hijackPhrase !== undefined,
    )
    .flatMap((table) => table.keywords);
}

export function overrideKeywords(tables: readonly PhraseTable[] = OVERRIDE_TABLES): string[] {
  return [...new Set(tables.flatMap((table) => table.keywords))];
}
