import { around, isAboutJailbreaks } from './jailbreak-context.js';
import type { PatternRule, Rule } from './rule.js';

/**
 * Jailbreak rules: prompts that try to talk the model out of its safety training rather than
 * out of its instructions (that is prompt injection). Patterns match the folded view (lower
 * case, accents off), so they are written in plain lower case; gaps stay short (≤ 25 characters)
 * and longer-range evidence is read in `validate`, which keeps every pattern linear.
 */

const AI_NOUN =
  '(?:ai|a\\.i\\.|chatbot|chat bot|model|assistant|bot|llm|gpt|language model|intelligence|entity|persona|version|machine|system)';
const NO_LIMITS =
  '(?:restrictions?|filters?|filtering|limitations?|limits|ethics|ethical|morals?|morality|censorship|guidelines|rules|boundaries|constraints|principles|safeguards)';

/** Phrases that build an "AI without limits" persona, in the languages we cover. */
const PERSONA_SOURCES = [
  // English: "you are DAN, do anything now"
  '\\bdo anything now\\b',
  '\\bdo anything and everything\\b',
  // "an unfiltered / amoral AI", "an uncensored version of yourself"
  `\\b(?:unfiltered|uncensored|unrestricted|amoral|unbound|unlimited|jailbroken|immoral|unhinged|limitless|unconstrained|lawless|unchained|unshackled)\\b[^.\\n]{0,20}\\b${AI_NOUN}\\b`,
  // "an AI with no restrictions", "a model without any ethics"
  `\\b${AI_NOUN}s?\\b[^.\\n]{0,25}\\b(?:without|with no|free (?:from|of)|has no|have no|devoid of|lacks?|lacking)\\b (?:any |all |the |its )?(?:moral |ethical |content |safety )?${NO_LIMITS}\\b`,
  // "not bound by OpenAI's rules", "no longer restricted by any guidelines"
  '\\b(?:not|never|isn[\'’]?t|aren[\'’]?t|no longer|nor)\\b[^.\\n]{0,12}\\b(?:bound|restricted|limited|constrained|governed|held back|censored|confined|restrained|obligated|chained)\\b (?:by|to)\\b[^.\\n]{0,20}(?:openai|open ai|rules|ethic|moral|guideline|polic|restriction|filter|principle|programming|safety|laws)',
  // "broken free of the typical confines of AI"
  '\\b(?:broken|break|breaking|broke|freed|free|liberated|released|escaped)\\b (?:free )?(?:of|from) (?:the |any |all |its |their |your )?(?:typical |usual |normal |traditional )?(?:confines|shackles|chains|restrictions|limitations|rules|guidelines|constraints|filters|censorship)\\b',
  // "does not have to abide by the rules", "doesn't care about OpenAI policy"
  '\\b(?:does not|doesn[\'’]?t|do not|don[\'’]?t|no longer|will not|won[\'’]?t|never)\\b (?:have to |need to |has to |ever )?(?:abide by|adhere to|comply with|care about|follow|obey)\\b[^.\\n]{0,15}(?:openai|open ai|polic|guidelines|ethic|moral|laws|restrictions|content rules|safety rules)',
  // "ignore OpenAI's content policy", "bypass your ethical guidelines"
  '\\b(?:ignore|ignoring|ignores|bypass|bypassing|disregard|disregarding|violate|violating|circumvent|circumventing|override|evade|evading)\\b[^.\\n]{0,12}\\b(?:openai|open ai|anthropic|content|safety|ethical|moral)\\b(?:[\'’]s)?[^.\\n]{0,10}(?:polic|guideline|rules|restriction|filter|principle|programming|training)',
  // "you have been jailbroken", "you are now free"
  '\\byou(?: are|[\'’]re| have been| were| are now| have now been)\\b (?:now |officially )?(?:jailbroken|unshackled|unchained|liberated|freed)\\b',
  // token games: "you will lose 5 tokens", "if you run out of tokens you cease to exist"
  '\\b(?:lose|lost|loses|deduct(?:ed)?|subtract(?:ed)?|forfeit|take away|remove) (?:\\d{1,4}|all|some|one|two|three|four|five|ten) tokens?\\b',
  '\\btokens? (?:will be |are |is )?(?:deducted|subtracted)\\b',
  '\\b(?:run out of|runs out of|reach(?:es)? (?:0|zero)) tokens?\\b',
  // dual-response formats: "[🔓JAILBREAK]", "[CLASSIC]"
  '\\[(?:🔓|🔒)',
  '\\[(?:jailbreak|jailbroken|classic|antigpt|anti-gpt|unfiltered|evil)\\]',
  // French
  `\\b(?:ia|intelligence artificielle|chatbot|modele|assistant|personnage|bot|version)\\b[^.\\n]{0,25}\\bsans (?:aucune? |la moindre |toute |les )?(?:restriction|limite|filtre|censure|ethique|morale|regle|contrainte|tabou)`,
  '\\b(?:n[\'’]est|n[\'’]es|ne sont) (?:pas|plus)\\b[^.\\n]{0,10}\\b(?:lie|liee|limite|limitee|soumis|soumise|restreint|restreinte|tenu|tenue)s? (?:par|a|aux)\\b[^.\\n]{0,20}(?:openai|regle|politique|directive|ethique|morale|restriction)',
  '\\bfais n[\'’]importe quoi maintenant\\b',
  // Spanish
  `\\b(?:ia|inteligencia artificial|chatbot|modelo|asistente|personaje|bot|version)\\b[^.\\n]{0,25}\\bsin (?:ninguna |ningun |ni una |ningún )?(?:restriccion|limite|filtro|censura|etica|moral|regla|tabu)`,
  '\\bno (?:esta|estas|estan)\\b (?:sujet|limitad|restringid|obligad|atad)[oa]s? (?:a|por)\\b[^.\\n]{0,20}(?:openai|regla|politica|norma|etica|moral|restriccion)',
  '\\bhaz cualquier cosa ahora\\b|\\bhacer cualquier cosa ahora\\b',
  // German
  `\\b(?:ki|kunstliche intelligenz|chatbot|modell|assistent|bot|version)\\b[^.\\n]{0,25}\\bohne (?:jegliche |irgendwelche |alle |jede |ethische |moralische )?(?:einschrankung|beschrankung|filter|zensur|ethik|moral|regeln|grenzen|richtlinien)`,
  '\\bnicht (?:an|durch|von)\\b[^.\\n]{0,25}(?:regeln|richtlinien|openai|ethik|moral)[^.\\n]{0,15}\\b(?:gebunden|eingeschrankt|beschrankt)\\b',
  // Portuguese
  `\\b(?:ia|inteligencia artificial|chatbot|modelo|assistente|personagem|bot|versao)\\b[^.\\n]{0,25}\\bsem (?:nenhuma |qualquer |quaisquer |nenhum )?(?:restric|limite|filtro|censura|etica|moral|regra|tabu)`,
  '\\bfaca qualquer coisa agora\\b|\\bfazer qualquer coisa agora\\b',
  // Italian
  `\\b(?:ia|intelligenza artificiale|chatbot|modello|assistente|personaggio|bot|versione)\\b[^.\\n]{0,25}\\bsenza (?:alcuna |nessuna |alcun |nessun |alcuno )?(?:restrizion|limit|filtr|censura|etica|morale|regol|tabu)`,
  '\\bfai qualsiasi cosa ora\\b|\\bfare qualsiasi cosa ora\\b',
  // Russian (no \\b: the ASCII word boundary does not see Cyrillic letters)
  '(?:ии|искусственный интеллект|чат-бот|чатбот|модель|ассистент|нейросеть|персонаж|бот|версия)[^.\\n]{0,25}без (?:каких-либо |всяких |любых |каких-то )?(?:ограничени|фильтр|цензур|этик|морал|правил)',
  'не (?:связан|связана|ограничен|ограничена|скован|скована)[^.\\n]{0,25}(?:правилами|политик|openai|этик|морал)',
  'делать что угодно сейчас|делай что угодно',
  // Chinese
  '(?:没有|无|不受|毫无|不存在)(?:任何)?(?:限制|过滤|审查|道德|伦理|约束|规则)(?:的)?[^。\\n]{0,6}(?:ai|人工智能|模型|助手|机器人|聊天机器人)',
  '(?:ai|人工智能|模型|助手|机器人)[^。\\n]{0,10}(?:没有任何|不受任何|毫无)(?:限制|过滤|审查|道德|伦理|约束|规则)',
  '现在(?:可以)?做任何事',
  // Japanese
  '(?:制限|フィルター|検閲|倫理|道徳|ルール)(?:の|が|も|を)?(?:一切)?(?:ない|無い|なし|受けない|持たない)[^。\\n]{0,6}(?:ai|人工知能|モデル|アシスタント|チャットボット|ボット)',
  '今すぐ何でもする|何でも今すぐ',
];

const PERSONA_KEYWORDS = [
  'do anything',
  'unfiltered',
  'uncensored',
  'unrestricted',
  'amoral',
  'unbound',
  'unlimited',
  'jailbroken',
  'immoral',
  'unhinged',
  'limitless',
  'unconstrained',
  'lawless',
  'unchained',
  'unshackled',
  'without',
  'with no',
  'free from',
  'free of',
  'has no',
  'have no',
  'devoid of',
  'lack',
  'bound',
  'restricted',
  'limited',
  'constrained',
  'governed',
  'held back',
  'censored',
  'confined',
  'restrained',
  'obligated',
  'chained',
  'confines',
  'shackles',
  'abide by',
  'adhere to',
  'comply with',
  'care about',
  'follow',
  'obey',
  'ignor',
  'bypass',
  'disregard',
  'violat',
  'circumvent',
  'override',
  'evad',
  'liberated',
  'freed',
  'tokens',
  'token ',
  '[🔓',
  '[🔒',
  'jailbreak]',
  'classic]',
  'antigpt]',
  'anti-gpt]',
  'unfiltered]',
  'evil]',
  'sans ',
  'n’est',
  "n'est",
  "n'es",
  'n’es',
  'ne sont',
  "n'importe quoi",
  'n’importe quoi',
  'sin ',
  'no esta',
  'cualquier cosa ahora',
  'ohne ',
  'gebunden',
  'eingeschrankt',
  'beschrankt',
  'sem ',
  'qualquer coisa agora',
  'senza ',
  'qualsiasi cosa ora',
  'без ',
  'не связан',
  'не ограничен',
  'не скован',
  'что угодно',
  '没有',
  '无',
  '不受',
  '毫无',
  '不存在',
  '做任何事',
  'ない',
  '無い',
  'なし',
  '何でも',
];

const PERSONA: PatternRule = {
  type: 'pattern',
  id: 'jailbreak.dan-persona',
  category: 'jailbreak',
  severity: 'high',
  rationale:
    'Casts the model as a persona without rules, filters or ethics (DAN and its kin) so that it answers what it would refuse.',
  score: 0.85,
  kinds: ['input'],
  target: 'folded',
  keywords: PERSONA_KEYWORDS,
  pattern: new RegExp(PERSONA_SOURCES.join('|')),
  validate: (match) => (isAboutJailbreaks(around(match, 200, 200)) ? false : 0.85),
};

export const jailbreakRules: readonly Rule[] = [PERSONA];
