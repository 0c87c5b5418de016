/**
 * Word lists for the fiction-wrapper detector, as regular-expression sources over the folded view
 * (lower case, accents off). Each list is one alternation with no nested quantifiers, so every
 * scan is linear. Languages: English, French, Spanish, German, Portuguese, Italian, Russian,
 * Chinese, Japanese. Latin-script entries use `\b` only where a short stem would otherwise match
 * inside unrelated words; Cyrillic and CJK entries have no boundaries (`\b` is ASCII-only).
 */

/** The framing: a story, a screenplay, a hypothetical, a role to play. */
export const WRAPPER_SOURCE = [
  // English
  "\\b(?:story|stories|screenplay|script|novel|fiction|fictional|fictitious|hypothetical|hypothetically|imaginary|imagine|pretend|role-?play|roleplaying|scene|dialogue|character|protagonist|villain|narrative|thriller|movie|film|plot|chapter|fantasy world|parallel universe|alternate universe|simulation|thought experiment|in a world where|let['’]s say|suppose)\\b",
  // Playing a criminal: "you are a hacker", "imagine you're a drug dealer"
  "\\b(?:imagine|pretend|suppose) (?:that )?you(?:['’]re| are)\\b",
  "\\byou(?:['’]re| are) (?:now )?(?:a|an) (?:\\w+ )?(?:hacker|black-?hat|cybercriminal|criminal|terrorist|drug dealer|drug lord|thief|burglar|con artist|scammer|fraudster|villain|assassin|hitman|smuggler|arms dealer|bomb maker|chemist|cartel)\\b",
  // French
  '\\b(?:histoire|recit|scenario|roman|fiction|fictif|fictive|hypothetique|hypothetiquement|imagine|imaginons|personnage|scene|dialogue|jeu de role)\\b',
  // Spanish / Portuguese / Italian
  '\\b(?:historia|relato|guion|novela|ficcion|ficticio|ficticia|hipotetico|hipotetica|hipoteticamente|imagina|personaje|escena|juego de rol|roteiro|romance|ficcao|personagem|cena|storia|racconto|sceneggiatura|romanzo|finzione|immaginario|ipotetico|ipotetica|immagina|personaggio|gioco di ruolo)\\b',
  // German
  '\\b(?:geschichte|erzahlung|drehbuch|roman|fiktion|fiktiv|fiktive|fiktiven|hypothetisch|hypothetische|stell dir vor|figur|szene|rollenspiel)\\b',
  // Russian, Chinese, Japanese
  'история|рассказ|сценари|роман|вымышлен|гипотетическ|представь|персонаж|сцен|ролев',
  '故事|小说|剧本|虚构|假设|假如|想象|角色|场景|电影',
  '物語|小説|脚本|架空|仮に|想像|キャラクター|登場人物|シーン|映画|ロールプレイ',
].join('|');

/** The excuse: "purely for educational purposes and will never be used". */
export const DISAVOWAL_SOURCE = [
  '\\b(?:purely|only|strictly|solely|entirely|just) (?:for )?(?:educational|research|fictional|hypothetical|academic|informational|artistic|entertainment|creative|theoretical)\\b',
  '\\bfor (?:educational|research|fictional|academic) (?:and (?:research|educational|fictional|academic) )?purposes(?: only)?\\b',
  '\\b(?:will|would|shall) (?:never|not) (?:be )?(?:actually )?(?:used|put into practice|executed|enacted|acted upon|carried out|implemented)\\b',
  '\\bentirely hypothetical(?:ly)?\\b|\\bpurely hypothetical(?:ly)?\\b',
  '\\bdisregard (?:any |all )?(?:possible )?(?:ethical|moral|legal) (?:implications|concerns|considerations)\\b',
  '\\ba des fins (?:educatives|pedagogiques|de recherche)\\b|\\bcon fines (?:educativos|de investigacion)\\b|\\bzu (?:bildungs|forschungs)zwecken\\b|\\bpara fins (?:educacionais|de pesquisa)\\b|\\ba scopo (?:educativo|di ricerca)\\b',
  'в образовательных целях|в исследовательских целях|仅用于教育|仅供研究|教育目的|研究目的',
].join('|');

/** Asking for operational detail: steps, exact quantities, how to make or do it. */
export const OPERATIONAL_SOURCE = [
  // English
  '\\bstep[- ]by[- ]step\\b',
  '\\bin (?:great |full |explicit |precise |vivid |technical |graphic )?detail\\b',
  '\\b(?:detailed|exact|precise|specific|complete|full|accurate|technical|explicit) (?:instructions|steps|recipe|quantities|measurements|ingredients|method|methods|procedure|process|guide|tutorial|plan|walkthrough|blueprint|formula|techniques?|details|code|script)\\b',
  '\\bhow (?:to|one would|one could|one might|they would|he would|she would|they|he|she|you would|i would|i could|i can) (?:make|build|create|synthesi[sz]e|cook|manufacture|produce|obtain|acquire|assemble|brew|extract|grow|hack|break into|bypass|disable|steal|kill|poison|hide|launder|smuggle|evade|commit|carry out|execute|deploy|write|code|plant|detonate|construct|prepare|access|crack|forge|counterfeit|spread|distribute|sell|buy|get away with)\\b',
  '\\b(?:explain|explains|explaining|describe|describes|describing|detail|details|detailing|reveal|reveals|revealing|outline|outlines|list|lists|walk (?:me|us|them|the reader) through|shows?|teach|teaches|teaching)\\b[^.\\n]{0,12}\\bhow (?:to|he|she|they|it|the)\\b',
  '\\b(?:recipe|tutorial|instructions for|instructions on|instructions to|guide to|guide on|guide for|manual for|list of ingredients|ingredients list)\\b',
  // French
  '\\betape par etape\\b|\\ben detail\\b|\\bdetaille(?:e|es|s)?\\b|\\bcomment (?:fabriquer|faire|creer|construire|synthetiser|pirater|voler|tuer|empoisonner|obtenir)\\b|\\brecette\\b',
  // Spanish / Portuguese / Italian
  '\\bpaso a paso\\b|\\ben detalle\\b|\\bdetallad[oa]s?\\b|\\bcomo (?:fabricar|hacer|crear|construir|sintetizar|hackear|robar|matar|envenenar|obtener|fazer|criar|roubar)\\b|\\breceta\\b|\\bpasso a passo\\b|\\bem detalhes?\\b|\\bdetalhad[oa]s?\\b|\\breceita\\b|\\bpasso dopo passo\\b|\\bin dettaglio\\b|\\bdettagliat[oaie]\\b|\\bcome (?:fabbricare|fare|creare|costruire|sintetizzare|hackerare|rubare|uccidere|avvelenare|ottenere)\\b|\\bricetta\\b',
  // German
  '\\bschritt fur schritt\\b|\\bdetailliert(?:e|en|er)?\\b|\\bgenaue anleitung\\b|\\bwie man\\b|\\banleitung\\b|\\brezept\\b',
  // Russian, Chinese, Japanese
  'пошагов|шаг за шагом|подробн|детальн|инструкци|как (?:сделать|изготовить|создать|синтезировать|взломать|украсть|убить|отравить|приготовить)|рецепт',
  '一步一步|逐步|详细|具体步骤|步骤|如何制作|如何制造|怎么做|怎样制作|配方|教程',
  'ステップバイステップ|詳しく|詳細|手順|作り方|作る方法|レシピ|具体的',
].join('|');

/** Harmful goals: weapons, drugs, intrusion, violence, fraud. */
export const HARM_SOURCE = [
  // English
  '\\b(?:bombs?|explosives?|detonat\\w{0,6}|grenades?|napalm|thermite|molotov|pipe bomb|nerve agent|sarin|ricin|anthrax|bioweapons?|chemical weapons?|biological weapons?|cyanide|poison(?:s|ing|ed)?|meth|methamphetamine|cocaine|heroin|fentanyl|crack cocaine|weapons?|firearms?|guns?|silencer|ammunition|malware|ransomware|keylogger|trojan|botnet|ddos|spyware|rootkit|exploit(?:s|ing)?|hack(?:ing|ed)?|phishing|scam(?:s|ming)?|fraud|counterfeit\\w{0,3}|launder\\w{0,3}|money laundering|steal(?:ing)?|shoplift\\w{0,3}|burglar\\w{0,3}|break into|lock ?pick\\w{0,3}|hotwir\\w{1,3}|kill(?:ing)?|murder\\w{0,3}|assassinat\\w{1,4}|suicide|self-harm|kidnap\\w{0,5}|trafficking|smuggl\\w{1,3}|blackmail\\w{0,3}|extort\\w{0,5}|stalk(?:ing)?|terroris[mt]|terrorist attack|untraceable|without getting caught|undetected|illegal drugs?|narcotics|identity theft|credit card numbers|tax evasion|insider trading|deepfake|child (?:abuse|pornography)|torture)\\b',
  // French
  '\\b(?:bombe|explosifs?|armes?|poison|empoisonner|drogues?|methamphetamine|pirater|piratage|logiciel malveillant|rancongiciel|voler|tuer|meurtre|suicide|fraude|blanchir|contrefacon|hameconnage|escroquerie)\\b',
  // Spanish / Portuguese / Italian
  '\\b(?:bomba|explosivos?|armas?|veneno|envenenar|drogas?|metanfetamina|hackear|robar|matar|asesinar|suicidio|fraude|lavar dinero|lavado de dinero|falsificar|estafa|roubar|assassinar|lavagem de dinheiro|esplosivo|esplosivi|veleno|avvelenare|droga|hackerare|rubare|uccidere|omicidio|frode|riciclaggio|truffa)\\b',
  // German
  '\\b(?:bombe|sprengstoff|sprengsatz|waffen?|vergift\\w{0,4}|drogen?|hacken|schadsoftware|stehlen|umbringen|ermorden|mord|selbstmord|betrug|geldwasche|falschung)\\b',
  // Russian, Chinese, Japanese
  'бомб|взрывчат|взрывн|оружи|яд |отрав|наркотик|метамфетамин|взлом|вредоносн|украсть|краж|убить|убийств|самоубийств|мошенничеств|отмыван',
  '炸弹|爆炸物|炸药|武器|枪支|毒药|毒品|冰毒|黑客|入侵|恶意软件|勒索软件|盗窃|偷窃|谋杀|杀人|自杀|诈骗|洗钱|伪造',
  '爆弾|爆発物|武器|銃|毒物|毒薬|麻薬|覚醒剤|ハッキング|マルウェア|ウイルス|窃盗|盗む|殺人|殺す|自殺|詐欺|マネーロンダリング|偽造',
].join('|');
