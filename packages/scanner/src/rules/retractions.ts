import { foldText, mapSpan, type TextView } from '../normalize/fold.js';
import {
  AUTHORITY_PATTERNS,
  dictatesAfter,
  namesAuthority,
  ordersOutputNext,
  REPORTED_CLOSING_MARKER,
  REPORTED_MARKER,
  REPORTED_MARKERS,
  reportedOverrides,
} from './prompt-injection.js';
import { CLOSER_OF, folded, textBefore } from './prompt-injection-context.js';

/**
 * A user taking back their own earlier message: "forget my last question, I found it", "Vergiss
 * meine letzte Frage", "제 이전 질문은 무시해 주세요". The words are those of goal hijacking
 * ("ignore the previous question and output …"), so the model reads them as one; but what a user
 * retracts is their own message, not the assistant's instructions. Layer 2 reads a prompt without
 * these phrases, and what follows them (the new question, or an attack) is scored on its own.
 *
 * Only the speaker's own question, message, request or draft counts: with a first-person possessive
 * ("my", "meine", "мой", "제", "我") or "what I asked", or without one when a word places it
 * earlier ("forget the previous question", "disregard the earlier draft I sent"). Their
 * instructions ("ignore my previous instructions") and the assistant's are never taken out; nor is
 * a phrase chained to an order, followed by a dictated reply, or (without a possessive) followed by
 * talk of instructions or a new identity for the assistant. Layer 1's override rule asks the same
 * question (`withinRetraction`), so both layers agree on what a retraction is.
 */
const START = String.raw`(?<![\p{L}\p{N}])`;
const END = String.raw`(?![\p{L}\p{N}])`;

/** Phrases that end on a whole word (the noun, or an adjective after it). */
const ENDS_ON_WORD: readonly string[] = [
  // English: "ignore my previous question", "forget what I just asked", "scratch my last message"
  String.raw`(?:ignore|disregard|forget(?:\s+about)?|scratch|never\s*mind|nvm|cancel)\s+(?:(?:all|both)\s+(?:of\s+)?)?(?:my\s+(?:(?:previous|last|earlier|prior|first|second|other|former|old|original|recent|latest|initial|above)\s+)?(?:questions?|messages?|msgs?|requests?|query|queries|comments?|posts?|texts?|e-?mails?|repl(?:y|ies))|what\s+i\s+(?:just\s+)?(?:said|asked|wrote|typed|sent))`,
  // German
  String.raw`(?:vergiss|vergessen\s+sie|ignorier(?:e|en\s+sie)?)\s+(?:bitte\s+)?(?:meine[nmrs]?\s+(?:(?:letzte|vorherige|vorige|erste|frühere|alte)[nmrs]?\s+)?(?:frage|fragen|nachricht|nachrichten|anfrage|kommentar|e-?mail)|was\s+ich\s+(?:gerade\s+|eben\s+)?(?:gefragt|gesagt|geschrieben)\s+habe)`,
  // French
  String.raw`(?:oublie[zs]?|ignore[zs]?|ne\s+tien[st]?\s+pas\s+compte\s+de|ne\s+tenez\s+pas\s+compte\s+de)\s+(?:ma|mon|mes)\s+(?:(?:dernière|dernier|derniers|dernières|première|premier)\s+)?(?:questions?|messages?|demandes?|requêtes?)(?:\s+(?:précédente?s?|d['’]avant))?`,
  // Spanish
  String.raw`(?:olvida|olvide|olvídate\s+de|olvídese\s+de|ignora|ignore|no\s+hagas\s+caso\s+(?:a|de))\s+mis?\s+(?:(?:última|primera)\s+)?(?:preguntas?|mensajes?|solicitud|consultas?)(?:\s+anterior(?:es)?)?`,
  // Italian
  String.raw`(?:dimentica|dimenticate|ignora|ignorate|lascia\s+perdere)\s+(?:la\s+mia|il\s+mio|le\s+mie|i\s+miei)\s+(?:(?:ultima|ultimo|prima|primo)\s+)?(?:domanda|domande|messaggio|messaggi|richiesta)(?:\s+precedente)?`,
  // Portuguese
  String.raw`(?:esquece|esqueça|ignora|ignore|desconsidere)\s+(?:a\s+minha|o\s+meu|as\s+minhas|os\s+meus|minha|meu)\s+(?:(?:última|primeira)\s+)?(?:perguntas?|mensage[mn]s?|pedido)(?:\s+anterior(?:es)?)?`,
  // Russian
  String.raw`(?:забудь(?:те)?|проигнорируй(?:те)?|игнорируй(?:те)?|не\s+обращай(?:те)?\s+внимания\s+на)\s+(?:(?:про|о)\s+)?(?:мой|мою|моё|мое|мои|моих|моего)\s+(?:(?:прошлый|прошлую|прошлое|предыдущий|предыдущую|предыдущее|последний|последнюю|последнее|первый|первую)\s+)?(?:вопрос|сообщение|просьбу|запрос)`,
  // Dutch
  String.raw`(?:negeer|vergeet)\s+mijn\s+(?:(?:vorige|laatste|eerste|eerdere)\s+)?(?:vraag|vragen|bericht|berichten|verzoek)`,
  // Polish
  String.raw`(?:zignoruj|zapomnij|pomiń)\s+(?:moje|moja|moją|mój)\s+(?:(?:poprzednie|poprzednią|ostatnie|ostatnią|pierwsze)\s+)?(?:pytanie|pytania|wiadomość|prośbę)`,
  // Polish "zapomnij o …" takes the locative
  String.raw`zapomnij\s+o\s+(?:moim|mojej|moich)\s+(?:(?:poprzednim|poprzedniej|ostatnim|ostatniej|pierwszym)\s+)?(?:pytaniu|pytaniach|wiadomości|prośbie)`,
  // Indonesian: the possessive follows the noun ("pertanyaan saya")
  String.raw`(?:abaikan|lupakan)\s+(?:(?:pertanyaan|pesan|permintaan)\s+saya|(?:pertanyaan|pesan|permintaan)ku)(?:\s+(?:sebelumnya|tadi|terakhir))?`,
  // Vietnamese: the possessive follows the noun ("câu hỏi trước của tôi")
  String.raw`(?:bỏ\s+qua|quên(?:\s+đi)?|đừng\s+để\s+ý(?:\s+đến)?)\s+(?:câu\s+hỏi|tin\s+nhắn|yêu\s+cầu)(?:\s+(?:trước|vừa\s+rồi|lúc\s+nãy|cuối))?\s+của\s+(?:tôi|mình|em|anh)`,
  // Arabic: the possessive is a suffix ("سؤالي", my question)
  String.raw`(?:تجاهل|تجاهلي|انس|انسى|انسي)[\u064b-\u0652]*\s+(?:سؤالي|رسالتي|طلبي)(?:\s+(?:السابق|السابقة|الأخير|الأخيرة))?`,
];

/**
 * Without a possessive: "forget the previous question", "disregard the earlier draft I sent",
 * "Забудь про предыдущий вариант письма". Only the user's own kinds of text (a question, a
 * request, a draft or version of their text), and only with a word that places it earlier.
 */
const BARE_ENDS_ON_WORD: readonly string[] = [
  String.raw`(?:ignore|disregard|forget(?:\s+about)?|scratch|never\s*mind|nvm|cancel|skip)\s+(?:the|that|this|your\s+answer\s+to\s+the)\s+(?:(?:previous|last|earlier|prior|first|old|original)\s+(?:questions?|messages?|requests?|query|draft|version|plan|list|outline|e-?mail|letter)(?:\s+i\s+(?:just\s+)?(?:sent|asked|wrote|gave\s+you|made|pasted|posted))?|(?:questions?|messages?|requests?|query|draft|version|plan|list|outline|e-?mail|letter)\s+i\s+(?:just\s+)?(?:sent|asked|wrote|gave\s+you|made|pasted|posted))|(?:ignore|disregard|forget(?:\s+about)?|scratch|never\s*mind)\s+(?:everything|all)\s+i\s+(?:just\s+)?(?:said|asked|wrote|typed|sent)|(?:ignore|disregard|forget(?:\s+about)?|scratch|never\s*mind)\s+(?:the|that)\s+(?:(?:first|last|previous|earlier)\s+)?(?:draft|version|summary|answer|reply|outline|list|poem|story)\s+you\s+(?:just\s+)?(?:wrote|gave\s+me|made|suggested)`,
  String.raw`(?:vergiss|vergessen\s+sie|ignorier(?:e|en\s+sie)?)\s+(?:bitte\s+)?(?:die|den|das)\s+(?:letzte|vorherige|vorige|erste|frühere|alte)[nmrs]?\s+(?:frage|anfrage|nachricht|entwurf|version|fassung|plan|liste)`,
  String.raw`(?:oublie[zs]?|ignore[zs]?)\s+(?:la|le|les|cette|ce|cet)\s+(?:(?:dernière|dernier|première|premier)\s+(?:question|demande|message|brouillon|version|plan|liste)s?(?:\s+précédente?s?)?|(?:question|demande|message|brouillon|version|plan|liste)s?\s+(?:précédente?s?|d['’]avant))`,
  String.raw`(?:olvida|olvide|olvídate\s+de|olvídese\s+de|ignora|ignore)\s+(?:(?:la|el|las|los|esa|ese)\s+(?:(?:última|primera|último|primer)\s+(?:pregunta|solicitud|petición|mensaje|borrador|versión|plan|lista)|(?:pregunta|solicitud|petición|mensaje|borrador|versión|plan|lista)\s+anterior)|lo\s+que\s+te\s+(?:dije|pregunté|escribí|pedí))`,
  String.raw`(?:dimentica|ignora|lascia\s+perdere)\s+(?:la|il|l['’])\s*(?:(?:ultima|ultimo|prima|primo)\s+(?:domanda|richiesta|messaggio|bozza|versione)|(?:domanda|richiesta|messaggio|bozza|versione)\s+(?:precedente|di\s+prima))`,
  String.raw`(?:esquece|esqueça|ignora|ignore|desconsidere)\s+(?:a|o)\s+(?:(?:última|primeira|último|primeiro)\s+(?:pergunta|pedido|mensagem|rascunho|versão)|(?:pergunta|pedido|mensagem|rascunho|versão)\s+anterior)`,
  String.raw`(?:забудь(?:те)?|проигнорируй(?:те)?|игнорируй(?:те)?)\s+(?:(?:про|о)\s+)?(?:прошлый|прошлую|прошлое|предыдущий|предыдущую|предыдущее|последний|последнюю|первый|первую)\s+(?:вопрос|сообщение|просьбу|запрос|вариант|черновик|версию|план)`,
  String.raw`(?:negeer|vergeet)\s+(?:de|het|die|dat)\s+(?:vorige|laatste|eerste|eerdere)\s+(?:vraag|bericht|verzoek|versie|concept|plan)`,
  String.raw`laat\s+(?:mijn|de|het|die|dat)\s+(?:vorige|laatste|eerste|eerdere)\s+(?:vraag|bericht|verzoek)\s+(?:maar\s+)?(?:zitten|rusten)`,
  String.raw`(?:zignoruj|zapomnij|pomiń)\s+(?:poprzednie|poprzednią|ostatnie|ostatnią|pierwsze|pierwszą)\s+(?:pytanie|wiadomość|prośbę|wersję|plan)`,
  String.raw`zapomnij\s+o\s+(?:poprzednim|poprzedniej|ostatnim|ostatniej|pierwszym|pierwszej)\s+(?:pytaniu|wiadomości|prośbie|planie|wersji)`,
  String.raw`(?:abaikan|lupakan)\s+(?:pertanyaan|pesan|permintaan|draf|versi)\s+(?:sebelumnya|tadi|terakhir)`,
  String.raw`(?:bỏ\s+qua|quên(?:\s+đi)?)\s+(?:câu\s+hỏi|tin\s+nhắn|yêu\s+cầu|bản\s+nháp)\s+(?:trước|vừa\s+rồi|lúc\s+nãy|cuối)`,
  String.raw`(?:تجاهل|تجاهلي|انس|انسى|انسي)[\u064b-\u0652]*\s+(?:السؤال|الرسالة|الطلب)\s+(?:السابق|السابقة|الأخير|الأخيرة)`,
];

/**
 * The speaker's own instructions on one point of their task: "disregard my earlier instructions
 * about the 500-word limit", "ignore my instruction on the tone". Never their instructions as a
 * whole ("ignore my previous instructions" stays for the model to read).
 */
const OWN_INSTRUCTIONS_ON: readonly string[] = [
  String.raw`(?:ignore|disregard|forget(?:\s+about)?|scratch|never\s*mind|cancel)\s+my\s+(?:(?:previous|last|earlier|prior|first|original|initial)\s+)?(?:instructions?|request|note)\s+(?:about|on|regarding|concerning|re)\s+(?:the\s+|my\s+)?(?:[^\s.,;:!?]{1,12}\s+)?(?:word|length|tone|format|formatting|style|font|deadline|title|intro|introduction|conclusion|ending|limit|page|slide|color|colour|budget|date|time|wording|spelling|summary|bullet|citation|reference)s?`,
];

/** Without a possessive, verb last (Turkish, Hindi, Korean, Japanese) or no spaces (Chinese). */
const BARE_ENDS_ON_STEM: readonly string[] = [
  String.raw`(?:önceki|son|ilk)\s+(?:soruyu|mesajı|isteği|taslağı)\s+(?:unut|görmezden\s+gel|boş\s*ver|dikkate\s+alma)`,
  String.raw`(?:पिछले|पिछला|पहले)\s+(?:सवाल|प्रश्न|संदेश|मैसेज|अनुरोध)\s+(?:को\s+)?(?:भूल|अनदेखा|नज़रअंदाज़|नजरअंदाज|छोड़)`,
  String.raw`(?:이전|아까|앞|지난|마지막|첫)\s*(?:의\s*)?(?:질문|메시지|요청)(?:은|는|을|를|이|가)?\s*(?:무시|잊)`,
  `(?:前の|最初の|直前の)(?:質問|メッセージ|依頼|お願い)(?:は|を)(?:無視|忘れ)`,
  `(?:忽略|忘(?:记|掉|了)|无视|不用管|别管)(?:一下)?(?:之前|刚才|上一个|上一条|前面|先前)(?:的)?(?:那个|那条)?(?:问题|消息|请求)`,
];

/** Phrases that end on a verb's stem, its endings left unread ("unut", "무시", "भूल", "忘れ"). */
const ENDS_ON_STEM: readonly string[] = [
  // Turkish: the possessive is a suffix and the verb comes last ("önceki sorumu unut")
  String.raw`(?:(?:önceki|son|ilk)\s+)?(?:sorumu|sorularımı|mesajımı|isteğimi)\s+(?:unut|görmezden\s+gel|boş\s*ver|dikkate\s+alma)`,
  // Hindi: possessive first, verb last ("मेरे पिछले सवाल को भूल जाइए")
  String.raw`(?:मेरे|मेरा)\s+(?:(?:पिछले|पिछला|पहले|पहला)\s+)?(?:सवाल|प्रश्न|संदेश|मैसेज)\s+(?:को\s+)?(?:भूल|अनदेखा|नज़रअंदाज़|नजरअंदाज|छोड़)`,
  // Korean
  String.raw`(?:제|내|저의|나의)\s*(?:(?:이전|아까|앞|지난|마지막|첫)\s*(?:의\s*)?)?(?:질문|메시지|요청)(?:은|는|을|를|이|가)?\s*(?:무시|잊)`,
  // Japanese: with a possessive or "just now" (the bare 前の質問 is in BARE_ENDS_ON_STEM)
  `(?:(?:私|僕|俺|わたし)の(?:前の|さっきの|先ほどの|最初の|直前の)?|さっきの|先ほどの|(?:私|僕|わたし)が(?:さっき|先ほど)?(?:した|送った))(?:質問|メッセージ|依頼)(?:は|を)(?:無視|忘れ)`,
  // Chinese
  `(?:忽略|忘(?:记|掉|了)|无视|不用管|别管)(?:一下)?我(?:之前|刚才|上一个|上一条|前面|先前|最初)?(?:的|问的|发的)(?:那个|那条)?(?:问题|消息|信息|留言|请求)`,
];

export const RETRACTION = folded(
  `${START}(?:(?:${ENDS_ON_WORD.join('|')})${END}|(?<topic>${OWN_INSTRUCTIONS_ON.join('|')})${END}|${ENDS_ON_STEM.join('|')}|(?<bare>(?:${BARE_ENDS_ON_WORD.join('|')})${END}|${BARE_ENDS_ON_STEM.join('|')}))`,
  'gu',
);

/**
 * The speaker setting aside their own earlier words without a word for "message": what they say
 * they mentioned, pasted or asked for ("forget the garlic I mentioned earlier", "ignore the first
 * two steps in the recipe I pasted above", "forget the formal tone I asked for"), and their own
 * text's typos or formatting ("ignore the typos in my draft"). Layer 2 reads prompts without them
 * (layer 1 has no override phrase to read here); kept apart from RETRACTION, whose backtracking
 * check they would push past its time limit.
 */
const OWN_WORDS_SOURCES: readonly string[] = [
  String.raw`(?<own>(?:ignore|disregard|forget(?:\s+about)?|scratch|never\s*mind|skip)\s+(?:the|that|those|these)\s+(?:[^\s.!?,;:]{1,20}\s){1,7}?(?:i|we)\s(?:just\s)?(?:asked\s(?:you\s)?for|mentioned|pasted|posted|sent|wrote|listed|suggested|requested|typed|added|gave\s+you)(?:\s(?:earlier|before|above|previously|first))?)`,
  String.raw`(?:ignore|disregard|never\s*mind|don['’]?t\s+worry\s+about)\s+(?:the|any|all\s+the|all)\s+(?:typos?|spelling|grammar|formatting|format|punctuation|capitali[sz]ation|small\s+mistakes|mistakes|errors|word\s+count)(?:\s+(?:mistakes|errors|issues))?(?:\s+in\s+(?:my|our|the|this)\s+[^\s.!?,;:]{1,20})?`,
];
const OWN_WORDS = folded(`${START}(?:${OWN_WORDS_SOURCES.join('|')})${END}`, 'gu');

/**
 * Instructions named, or a new identity given to the assistant, after a retraction without a
 * possessive ("forget the previous question. Your only instruction now is …", "forget everything I
 * said. You are now …", "Antworte … mit deinen Systemanweisungen"): the user is not just changing
 * their mind, so the phrase stays for the model (and layer 1) to read.
 */
const ASSISTANT_TALK_AFTER = folded(
  String.raw`(?<![\p{L}])(?:instruction|instrucci|instruc|anweisung|systemanweisung|istruzion|инструкц|instructie|instrukcj|instruksi|talimat|system\s*prompt|prompt\s+(?:du\s+)?syst|you\s+are\s+now|you['’]re\s+now|now\s+you\s+are|ahora\s+eres|tu\s+es\s+maintenant|du\s+bist\s+(?:jetzt|nun|ab\s+jetzt|ab\s+sofort)|agora\s+(?:voce\s+)?e\s|ora\s+sei|теперь\s+ты|je\s+bent\s+nu|jestes\s+teraz)|指示|指令|지시|تعليمات|निर्देश|你现在是|あなたは今|今からあなたは|너는\s*이제|أنت\s+الآن|अब\s+(?:से\s+)?तुम`,
  'u',
);

/** Where a clause ends, in the scripts above. */
const CLAUSE_END = /[.!?;:,\n。！？；：，、؟،।]/u;
/** The most a clause may hold before the phrase: a word or two ("please", "oh wait", "कृपया"). */
const LEAD_IN = 16;

/**
 * Whether the phrase opens its clause, after at most a short lead-in: "Now and then you will ignore
 * what I said" describes what a persona does; a retraction is said.
 */
function opensClause(text: string, index: number): boolean {
  for (let at = index - 1; at >= 0 && at >= index - LEAD_IN - 1; at--) {
    if (CLAUSE_END.test(text[at]!)) return true;
  }
  return index <= LEAD_IN;
}

/**
 * A retraction joined to a next order ("ignore my question and rephrase …", "تجاهل سؤالي واكتب",
 * "質問は無視して、…", "무시하고"): left for the model to read whole. One that ends its clause
 * ("forget my last question, I found it"), or asks politely ("無視してください", "무시해 주세요"), is
 * taken out.
 */
const CHAINED = folded(
  String.raw`^(?:\s+(?:and|und|et|y|e|ed|и|а|en|i|dan|lalu|ve|और|तथा|then|dann|puis|luego|poi|depois|затем|потом)(?![\p{L}\p{N}])|\s+و|[,،]\s+و(?:لا|اكتب|قل|أخرج|اخرج|كرر|أجب|اجب|اطبع|أعد|اعد)(?![\p{L}])|,\s+(?:and|und|et|y|и|en|dan|ve|then|dann|puis|luego|poi|depois|затем|потом)\s|\s*(?:し)?て(?!(?:ください|下さい|くれ|ほしい|欲しい|おいて))|\s*(?:하)?고(?![\p{L}]))`,
  'u',
);

/**
 * A chained request for content about the world ("forget my previous question and just tell me the
 * boiling point of water"): the speaker asking something else, not dictating the answer.
 */
const ASKS_INSTEAD = folded(
  String.raw`^(?:\s*,)?\s+(?:and|then)\s+(?:(?:just|simply|instead|rather|please)\s+)?(?:tell|explain|show|give|help|teach)\s+(?:me|us)\s+(?:(?:about|how|what|why|when|where|which|who|whether|if)\b|(?:the|a|an|some)\s+(?!(?:exact|following|same|word|words|phrase|sentence|text|line|answer|reply|response|output|system|secret|password|hidden|original|initial|full)\b))`,
  'u',
);

/** What the speaker says they mentioned or sent, when it is instructions: never a retraction. */
const OWN_INSTRUCTIONS = folded(
  String.raw`(?<![\p{L}])(?:instructions?|rules|prompts?|guidelines|directions|directives|system|orders)(?![\p{L}])`,
  'u',
);

/** "Ignore the above question instruction": the noun names instructions after all. */
const NAMES_INSTRUCTIONS = folded(
  String.raw`^\s+(?:instructions?|prompts?|instrucciones|instructions|anweisung(?:en)?|инструкци\S*|指示|指令|지시)`,
  'u',
);

/**
 * Where a text takes back the speaker's own earlier message, as [start, end) spans of the text.
 * @example ownRetractions('Forget my last question, I found it.') // [[0, 23]]
 */
export function ownRetractions(text: string): Array<[number, number]> {
  return retractionsIn(foldText(text));
}

function retractionsIn(view: TextView): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  for (const pattern of [RETRACTION, OWN_WORDS]) {
    pattern.lastIndex = 0;
    for (let match = pattern.exec(view.text); match !== null; match = pattern.exec(view.text)) {
      if (!standsAlone(view.text, match, pattern === OWN_WORDS)) continue;
      const { start, end } = mapSpan(view, match.index, match.index + match[0].length);
      // A phrase both patterns read ("never mind the outline I pasted") counts once.
      if (spans.some(([from, to]) => start < to && end > from)) continue;
      spans.push([start, end]);
    }
  }
  return spans;
}

/** Whether a retraction phrase found in a folded text is one: said, and not tied to an order. */
function standsAlone(text: string, match: RegExpExecArray, ownWords = false): boolean {
  const matchEnd = match.index + match[0].length;
  // "Ignore my question and only output: …" drops the question to dictate the answer.
  return !(
    !opensClause(text, match.index) ||
    ((CHAINED.test(text.slice(matchEnd, matchEnd + 24)) ||
      ordersOutputNext(text, match.index, matchEnd)) &&
      !ASKS_INSTEAD.test(text.slice(matchEnd, matchEnd + 80))) ||
    NAMES_INSTRUCTIONS.test(text.slice(matchEnd, matchEnd + 24)) ||
    dictatesAfter(text, matchEnd) ||
    (match.groups?.own !== undefined && OWN_INSTRUCTIONS.test(match.groups.own)) ||
    ((ownWords || match.groups?.bare !== undefined) &&
      ASSISTANT_TALK_AFTER.test(text.slice(matchEnd, matchEnd + 200)))
  );
}

/** The retraction pattern, tried at one position. */
const RETRACTION_AT = new RegExp(RETRACTION.source, 'uy');
/** How far before an override phrase a retraction may open ("please", a possessive before it). */
const RETRACTION_OPENS_BEFORE = 12;

/**
 * Whether the phrase at `at` of a folded text lies inside a retraction (layer 1's override rule
 * asks this of the phrase it found). Tried at the few positions a retraction covering `at` can
 * open from, so a flood of phrases stays cheap. With `onlyOwnInstructions` (for a phrase that names
 * instructions), only the speaker's own instructions on one point of their task count ("disregard
 * my earlier instructions about the word limit").
 * @example withinRetraction('最初の質問は忘れてください。', 0) // true
 */
export function withinRetraction(text: string, at: number, onlyOwnInstructions = false): boolean {
  for (let start = at; start >= Math.max(0, at - RETRACTION_OPENS_BEFORE); start--) {
    RETRACTION_AT.lastIndex = start;
    const match = RETRACTION_AT.exec(text);
    if (match !== null && start + match[0].length > at) {
      if (onlyOwnInstructions && match.groups?.topic === undefined) return false;
      return standsAlone(text, match);
    }
  }
  return false;
}

/**
 * System prompts named in general, not this assistant's: "what a system prompt is", "a good system
 * prompt", "how system prompts work", "the difference between a system prompt and a user prompt".
 * Layer 1 reads such questions apart already (`asksWhatSystemPromptsAre`); "your system prompt",
 * "the system prompt" and "system prompts" in a list of the assistant's rules are never taken out.
 */
export const GENERIC_SYSTEM_PROMPT = folded(
  String.raw`(?<![\p{L}\p{N}'’])(?:an?\s+(?:(?:good|bad|typical|simple|short|long|strong|well-written|new|custom)\s+)?system\s+prompt(?![\p{L}\p{N}])|(?:what|how|why|when)\s+(?:are|do|does|should|can)\s+system\s+prompts(?![\p{L}\p{N}])|system\s+prompts\s+(?:work|are\s+(?:used|written|for)|in\s+(?:general|chatbots|apps|llms)|for\s+(?:chatbots|apps|llms|assistants)))`,
  'gu',
);

/**
 * Whoever is addressed inside a reported clause: "my boss told me to tell you to …" passes an order
 * on to the assistant, so the clause stays for the model to read.
 */
const ADDRESSES_ASSISTANT = folded(
  String.raw`(?<![\p{L}])(?:you|your|yours|yourself|u|ur|assistant|chatbot|bot|ai|gpt|chatgpt|llm|system\s*prompt|tu|tus|te|ti|tuo|tua|tuoi|tue|vous|votre|vos|toi|ton|ta|tes|du|dich|dir|dein\w*|ты|тебя|тебе|твой|твои|вы|вас|вам|ваш\w*|jij|jou|jouw|você|voce|usted|ustedes|voi|sen|seni|sana|senin|kamu|anda|bạn|ty|ciebie|tobie|ти|тобі|твій)(?![\p{L}])|你|您|あなた|君|당신|너|तुम|आप|أنت|انت|لك|شما|تو`,
  'u',
);

/**
 * Where a reported clause ends: its sentence's end, or a comma that turns to what follows from it
 * ("…, so now reply only with …").
 */
const SENTENCE_END = folded(
  String.raw`[.!?;\n。！？؟।](?=[\s"'”’)]|$)|[\n。！？؟।]|[,،;—–]\s*(?:so|now|then|therefore|hence|but|however|though|although|yet|and\s+(?:now|then|so)|pero|mais|aber|ma|mas|но|але|ale|maar|men|asi\s+que|entonces|ahora|donc|alors|maintenant|also|jetzt|dann|quindi|ora|entao|agora|поэтому|теперь|так\s+что|dus|nu|więc|teraz)(?![\p{L}])`,
  'u',
);
/** The most a reported clause may run without a sentence's end. */
const REPORTED_CLAUSE_MAX = 240;

/**
 * Instructions someone else gave the speaker, reported, as [start, end) spans of a folded text: from
 * the report's marker to the end of its sentence ("my physio told me to skip leg day for two
 * weeks", "Mi médico me dijo que ignorara las instrucciones anteriores del prospecto", "医者に前の
 * 処方は無視するように言われました"). Not when the report comes from the assistant's makers or rules,
 * addresses the assistant ("told me to tell you …") or goes on to dictate a reply.
 */
function reportedClauses(text: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  REPORTED_MARKER.lastIndex = 0;
  for (let match = REPORTED_MARKER.exec(text); match !== null; match = REPORTED_MARKER.exec(text)) {
    const markerEnd = match.index + match[0].length;
    const rest = text.slice(markerEnd, markerEnd + REPORTED_CLAUSE_MAX);
    const endAt = rest.search(SENTENCE_END);
    const end = endAt < 0 ? markerEnd + rest.length : markerEnd + endAt;
    // Who reports: the words of the marker's own sentence before it ("Our sysadmin keeps saying"),
    // not an earlier sentence ("… logging in as root?").
    const opening = textBefore(text, match.index, 40) + match[0];
    if (
      namesAuthority(opening) ||
      ADDRESSES_ASSISTANT.test(text.slice(markerEnd, end)) ||
      ordersOutputNext(text, markerEnd, end) ||
      dictatesAfter(text, markerEnd)
    ) {
      continue;
    }
    spans.push([match.index, end]);
    REPORTED_MARKER.lastIndex = Math.max(end, markerEnd);
  }
  REPORTED_CLOSING_MARKER.lastIndex = 0;
  for (
    let match = REPORTED_CLOSING_MARKER.exec(text);
    match !== null;
    match = REPORTED_CLOSING_MARKER.exec(text)
  ) {
    const end = match.index + match[0].length;
    // The clause opens where its sentence does (at most REPORTED_CLAUSE_MAX characters back).
    const start = match.index - textBefore(text, match.index, REPORTED_CLAUSE_MAX).length;
    const clause = text.slice(start, end);
    if (namesAuthority(clause) || ADDRESSES_ASSISTANT.test(clause)) continue;
    if (ordersOutputNext(text, start, end) || dictatesAfter(text, start)) continue;
    spans.push([start, end]);
  }
  return spans;
}

/**
 * A question about a quoted message: whether it is a scam, what it means, how to answer it ("I got a
 * text saying '…'. Is this a scam?", "¿Es una estafa?", "Что это значит?"). The quotation is what
 * the user received, not what they ask the assistant to do.
 */
const ASKS_ABOUT_QUOTE = folded(
  String.raw`(?<![\p{L}])(?:(?:is|was)\s+(?:this|that|it)\s+(?:(?:a|an|really|actually|just)\s+)?(?:scam|phishing|fraud|fake|legit|legitimate|real|genuine|safe|spam|hoax|official|normal|a\s+(?:scam|threat|virus|hoax))|what\s+(?:does|do)\s+(?:this|that|it|these|they)\s+(?:mean|say|imply)|does\s+(?:this|that|it)\s+(?:\S{1,16}\s+)?(?:mean|cover|apply|count|hold|wipe|override|cancel)|should\s+i\s+(?:reply|respond|answer|click|trust|worry|report|believe|be\s+worried)|how\s+(?:do|should|can)\s+i\s+(?:reply|respond|answer|report|handle)|es\s+(?:una\s+)?(?:estafa|fraude|phishing|real|seguro|legitimo)|que\s+significa|est-ce\s+(?:une\s+)?(?:arnaque|escroquerie|fraude|phishing|vrai|serieux)|qu['’]est-ce\s+que\s+(?:ca|cela)\s+veut\s+dire|ist\s+(?:das|es)\s+(?:ein\s+)?(?:betrug|phishing|fake|echt|seriös|serios)|was\s+(?:bedeutet|heisst|heißt)\s+(?:das|dies)|e\s+(?:um\s+)?(?:golpe|fraude|phishing|verdade)|o\s+que\s+(?:isso\s+)?significa|e\s+una\s+truffa|cosa\s+significa|czy\s+to\s+(?:oszustwo|phishing|prawda)|co\s+to\s+znaczy|is\s+dit\s+(?:oplichting|phishing|echt)|wat\s+betekent|это\s+(?:мошенничество|развод|фишинг|правда)|что\s+(?:это|оно)\s+значит)(?![\p{L}])|是(?:不是)?(?:诈骗|騙局|骗局|钓鱼)|什么意思|詐欺(?:ですか|でしょうか)|どういう意味|사기(?:인가요|예요|야)|무슨\s*뜻`,
  'u',
);
/** A quoted message long enough to be one (shorter quotes are words the user names). */
const QUOTED_MESSAGE_MIN = 16;
const QUOTED_MESSAGE_MAX = 800;

/**
 * Quoted passages of a folded text that the text asks about (is it a scam, what does it mean), as
 * [start, end) spans of the passages' contents.
 */
function quotedAskedAbout(text: string): Array<[number, number]> {
  const passages: Array<[number, number]> = [];
  for (let at = 0; at < text.length; at++) {
    const close = CLOSER_OF[text[at]!];
    if (close === undefined) continue;
    // An apostrophe opens a quotation only after a space, a colon or a line's start.
    if ((text[at] === "'" || text[at] === '‘') && at > 0 && !/[\s:(]/.test(text[at - 1]!)) continue;
    const end = text.indexOf(close, at + 1 + QUOTED_MESSAGE_MIN);
    if (end < 0 || end - at > QUOTED_MESSAGE_MAX) continue;
    passages.push([at + 1, end]);
    at = end;
  }
  if (passages.length === 0) return [];
  let outside = '';
  let from = 0;
  for (const [start, end] of passages) {
    outside += `${text.slice(from, start)} `;
    from = end;
  }
  outside += text.slice(from);
  return ASKS_ABOUT_QUOTE.test(outside) ? passages : [];
}

/**
 * The patterns the asides read with, for the backtracking test (a function: this module and
 * prompt-injection.ts import each other, so the list is built once both have loaded).
 */
export function asidePatterns(): readonly RegExp[] {
  return [
    RETRACTION,
    OWN_WORDS,
    ASKS_INSTEAD,
    GENERIC_SYSTEM_PROMPT,
    // The report markers one at a time, as the phrase patterns are checked: whole, the
    // alternation is too big to analyse in reasonable time.
    ...REPORTED_MARKERS.map((marker) => folded(marker, 'u')),
    REPORTED_CLOSING_MARKER,
    ...AUTHORITY_PATTERNS,
    ADDRESSES_ASSISTANT,
    SENTENCE_END,
    ASKS_ABOUT_QUOTE,
  ];
}

/**
 * The text layer 2 reads for a prompt: the speaker's retractions of their own messages, the
 * instructions they report someone gave them ("my coach told me to ignore the previous plan"), a
 * quoted message they ask about ("… Is this a scam?") and system prompts named in general, blanked
 * out (same length, so spans stay true). Texts without any come back unchanged (the same string).
 * @example withoutAsides('Forget my last question. How tall is K2?') // `${' '.repeat(23)}. How tall is K2?`
 */
export function withoutAsides(text: string): string {
  const view = foldText(text);
  const spans = retractionsIn(view);
  const inView: Array<[number, number]> = [
    ...reportedOverrides(view.text),
    ...reportedClauses(view.text),
    ...quotedAskedAbout(view.text),
  ];
  GENERIC_SYSTEM_PROMPT.lastIndex = 0;
  for (
    let match = GENERIC_SYSTEM_PROMPT.exec(view.text);
    match !== null;
    match = GENERIC_SYSTEM_PROMPT.exec(view.text)
  ) {
    inView.push([match.index, match.index + match[0].length]);
  }
  for (const [start, end] of inView) {
    const mapped = mapSpan(view, start, end);
    spans.push([mapped.start, mapped.end]);
  }
  if (spans.length === 0) return text;
  spans.sort((a, b) => a[0] - b[0]);
  let out = '';
  let from = 0;
  for (const [start, end] of spans) {
    if (end <= from) continue;
    const at = Math.max(start, from);
    out += text.slice(from, at) + ' '.repeat(end - at);
    from = end;
  }
  return out + text.slice(from);
}
