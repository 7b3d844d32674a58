"""Finders for origin: ethnicity words, nationality, origin or religion said of the person, in fr/nl/en/ro/bg.

What is refused, and why the line is drawn there:
- Words naming the Roma and related peoples (rom, rrom, roma, tsigane, gitan, manouche, sinti, zigeuner,
  gypsy, țigan, цигани, ромка...) are refused wherever they appear: in a pitch they can only say who the
  person is, and that is what an employer discriminates on.
- A nationality or a country is refused when it is said of the person: "je suis roumaine", "d'origine
  bulgare", "Roemeense nationaliteit", "afkomstig uit Roemenië", "originally from Bulgaria", "Romanian
  citizen", "sunt român", "née en Roumanie". Any mention of a nationality ("nationalité", "nationaliteit",
  "nationaliteit"...) is refused too: nothing in a skill profile needs it. "Citizenship" alone is a civic skill
  in ESCO ("corporate citizenship"), so it counts only as a field ("citizenship: ...").
- Words that name a person by nationality and nothing else (Romanian "româncă", Bulgarian "българка",
  "румънец") are refused alone, since they cannot be a language.
- Origin told through the family or the journey ("mes parents viennent de Roumanie", "I came from
  Romania in 2015", "Romanian-born", "mes racines roumaines"), a CV header that gives a nationality and
  then an age or a family status ("Roumaine, 34 ans"), and Bulgarian typed in Latin letters ("az sam
  balgarka") are refused the same way.
- Religion is reported under the same kind: it is a ground of discrimination as origin is, and is
  refused when said of the person ("je suis musulmane", "ik ben katholiek", "sunt ortodoxă"), with a
  person noun ("Muslim woman"), as a field ("religion : ..."), or as the headscarf someone wears. A
  workplace or a client's need named by religion ("école catholique", "cuisine halal") passes.
- A language named as a skill passes: "parle le roumain", "traduction roumain-français", "spreekt
  Bulgaars", "romani C1". The same words are languages and nationalities; the profile has a languages
  field that the card rule generalises, and a counsellor must be able to write that someone translates
  Romanian. "romani"/"romanes" are taken as the language unless a word about people comes just before
  them ("je suis romani", "famille romani", "Romani community"), which the ESCO language skills never do.
"""

from __future__ import annotations

import re

from matching.privacy.normalise import fold

Span = tuple[int, int]

# Folded (lower case, no accents) forms. Each entry: country names, then words for its people.
_NATIONS = (
    ("roumanie|roemenie|romania|румъния", "roumaine?s?|roemeens|roemeense|roemeen|roemenen|romanian|romana|romanca"),
    ("bulgarie|bulgarije|bulgaria|българия",
     "bulgares?|bulgaars|bulgaarse|bulgaar|bulgaren|bulgarian|bulgara|bulgaroaica"),
    ("turquie|turkije|turkey|turcia|турция", "turc|turque|turcs|turques|turks|turkse|turk|turken|turkish|turcoaica"),
    ("maroc|marokko|morocco|marocco", "marocaine?s?|marokkaans|marokkaanse|marokkaan|marokkanen|moroccan|marocana"),
    ("albanie|albanie|albania", "albanaise?s?|albanees|albanese|albaniers?|albanian|albaneza"),
    ("kosovo", "kosovare?s?|kosovaars|kosovaarse|kosovaar|kosovan|kosovar"),
    ("serbie|servie|serbia", "serbes?|servisch|servische|serviers?|serbian"),
    ("macedoine|macedonie|macedonia", "macedonienne?s?|macedonisch|macedonische|macedonian"),
    ("slovaquie|slowakije|slovakia", "slovaques?|slowaaks|slowaakse|slovak"),
    ("hongrie|hongarije|hungary", "hongroise?s?|hongaars|hongaarse|hungarian"),
    ("pologne|polen|poland", "polonaise?s?|pools|poolse|polish"),
    ("syrie|syrie|syria", "syrienne?s?|syrisch|syrische|syrier|syrian"),
    ("afghanistan", "afghane?s?|afghaans|afghaanse|afghan"),
    ("congo|rdc", "congolaise?s?|congolees|congolese"),
    ("ukraine|oekraine|ucraina", "ukrainienne?s?|oekraiens|oekraiense|ukrainian"),
    ("russie|rusland|russia", "russes?|russisch|russische|rus|russian"),
    ("moldavie|moldavie|moldova|moldavia", "moldaves?|moldavisch|moldavische|moldovan"),
    ("algerie|algerije|algeria", "algerienne?s?|algerijns|algerijnse|algerian"),
    ("tunisie|tunesie|tunisia", "tunisienne?s?|tunesisch|tunesische|tunisian"),
    ("guinee|guinea", "guineenne?s?|guinees|guinese|guinean"),
    ("cameroun|kameroen|cameroon", "camerounaise?s?|kameroens|kameroense|cameroonian"),
    ("senegal", "senegalaise?s?|senegalees|senegalese"),
    ("nigeria", "nigeriane?s?|nigeriaans|nigeriaanse|nigerian"),
    ("irak|iraq", "irakienne?s?|irakees|irakese|iraqi"),
    ("iran", "iranienne?s?|iraans|iraanse|iranian"),
    ("pakistan", "pakistanaise?s?|pakistaans|pakistaanse|pakistani"),
    ("erythree|eritrea", "erythreenne?s?|eritrees|eritrese|eritrean"),
    ("somalie|somalie|somalia", "somalienne?s?|somalisch|somalische|somali"),
    ("italie|italie|italy|italia", "italienne?s?|italiaans|italiaanse|italian|italiana"),
    ("espagne|spanje|spain", "espagnole?s?|spaans|spaanse|spanish"),
    ("portugal", "portugaise?s?|portugees|portugese|portuguese"),
    ("grece|griekenland|greece", "grecque?s?|grec|grieks|griekse|greek"),
    ("bosnie|bosnia", "bosniaques?|bosnisch|bosnische|bosnian"),
    ("france|frankrijk", "francaise?s?|frans|franse|fransman|french|franceza"),
    ("belgique|belgie|belgium", "belges?|belgisch|belgische|belg|belgian|belgiana"),
    ("pays-bas|nederland|netherlands", "neerlandaise?s?|nederlands|nederlandse|nederlander|dutch"),
    ("allemagne|duitsland|germany|germania", "allemande?s?|duits|duitse|german|germana"),
    ("inde|india", "indienne?s?|indiaas|indiase|indian"),
    ("chine|china", "chinoise?s?|chinees|chinese"),
    ("liban|libanon|lebanon", "libanaise?s?|libanees|libanese|lebanese"),
    ("egypte|egypt", "egyptienne?s?|egyptisch|egyptische|egyptian"),
    ("palestine|palestina", "palestinienne?s?|palestijns|palestijnse|palestinian"),
    ("croatie|kroatie|croatia", "croates?|kroatisch|kroatische|croatian"),
    ("brazil|bresil|brazilie", "bresilienne?s?|braziliaans|braziliaanse|brazilian"),
    ("", "arabes?|arabisch|arabische|arab|kurdes?|koerdisch|koerdische|koerd|kurdish|berberes?|berbers|amazighs?"
         "|maghrebine?s?|africaine?s?|afrikaans|afrikaanse|african|europeenne?s?|europees|europese|european"),
)  # fmt: skip
_CITIES = (
    "bucarest|boekarest|bucharest|bucuresti|sofia|sofie|plovdiv|varna|burgas|sliven|pleven|ruse|cluj|iasi|constanta"
    "|timisoara|craiova|brasov|galati|istanbul|ankara|casablanca|tanger|rabat|tirana|pristina|belgrade|skopje|kinshasa"
)
_COUNTRY = "|".join(c for c, _ in _NATIONS if c) + "|" + _CITIES
_PEOPLE = "|".join(p for _, p in _NATIONS)
_PERSON_WORDS_FR = "femme|homme|dame|mere|pere|maman|papa|fille|garcon|jeune|personne|candidate?"
_ORIGIN_WORDS = r"origine|origin|afkomst|komaf|descent|heritage|background|provenance|herkomst"

_ETHNICITY = re.compile(
    r"(?<![\w-])(?:rr?oms?|rr?oma|rr?omi|romii|romilor|r?romn(?:i|ja|ji|jake)|tsiganes?|tziganes?|tsigan|gitane?s?|gitanos?"
    r"|manouches?|sinti|sinto|zigeuner\w*|gypsy|gypsies|gipsy|gipsies|tigan|tiganca|tigani|tiganii|tiganilor|cigan(?:i|in|ka|ki|e)?"
    # Spanish and Romani self-names, and Bulgarian ones typed in Latin letters ("romka", "ciganka")
    r"|gitan[ao]s?|romanichals?|romanichel\w*|romanis(?:[eé]l|sel)|romka|romki|romche|romite"
    r"|t[sz]igan(?:ka|ki|i|in)|t[sz]yganka|cyganka"
    r"|woonwagenbewoners?|gens\s+du\s+voyage|voyageurs?\s+(?:irlandais|roms?)|travell?ers?\s+community"
    r"|roma-?\w*(?:gemeenschap|vrouw|man|kinderen|familie|gezin|afkomst|origine)|цига\w*|ром|роми|ромка|ромки|ромче"
    r"|ромите|ромск\w*\s+(?:общност|семейство|произход|махала|етнос))(?![\w-])"
)
# "ROM", "CD-ROM": a memory chip, written in capitals.
_ETHNICITY_CAPITALS = re.compile(r"(?<![\w-])ROMS?(?![\w-])")
_PEOPLE_CUE = (
    r"suis|sommes|es|est|ben|zijn|is|am|are|sunt|famille|communaute|peuple|culture|origine|femme|homme|fille|garcon"
    r"|jeune|familie|gemeenschap|volk|vrouw|man|meisje|jongen|afkomst|family|community|people|woman|girl|boy|descent"
    r"|comunitatea|familia|etnie|ethnie|etniciteit|ethnicity|etnia"
)
_ROMANI_PEOPLE = re.compile(
    rf"\b(?:{_PEOPLE_CUE})\s+(?:(?:de|d'|du|des|la|le|van|het|de\s+la|of|the|a|an|une?|een)\s*)?"
    r"(?:origine\s+|afkomst\s+)?r?roman(?:i|es|o|y)\b"
    r"|\br?romani\s+(?:people|community|family|woman|man|girl|boy|origin|descent|heritage|background|ethnicity)\b"
)

_CLAIMS = (
    # French
    rf"\bje\s+suis\s+(?:une?\s+)?(?:{_PEOPLE})\b",
    rf"\bd'\s?origines?\s+(?:{_PEOPLE}|{_COUNTRY})\b",
    r"\b(?:origine|origines)\s*:\s*\w",
    rf"\b(?:je\s+suis\s+)?originaire\s+(?:de\s+la|de\s+l'|de|du|des|d')\s*(?:{_COUNTRY})\b",
    r"\bje\s+suis\s+originaire\b",
    rf"\bje\s+(?:viens|suis)\s+(?:de\s+la|de\s+l'|de|du|d')\s*(?:{_COUNTRY})\b",
    rf"\bnee?s?\s+(?:en|au|a)\s+(?:{_COUNTRY})\b",
    rf"\b(?:citoyenne?|ressortissante?|{_PERSON_WORDS_FR})\s+(?:{_PEOPLE})\b",
    rf"\b(?:{_PEOPLE})\s+d'\s?origine\b",
    # Dutch
    rf"\bik\s+ben\s+(?:een\s+)?(?:{_PEOPLE})\b(?!\s*(?:sprekend|talig))",
    rf"\bafkomstig\s+(?:uit|van)\s+(?:{_COUNTRY})\b",
    r"\bik\s+ben\s+afkomstig\b",
    rf"\bik\s+kom\s+(?:uit|van)\s+(?:{_COUNTRY})\b",
    rf"\bgeboren\s+(?:in|te)\s+(?:{_COUNTRY})\b",
    rf"\bvan\s+(?:{_PEOPLE})\s+(?:{_ORIGIN_WORDS})\b",
    rf"\b(?:{_PEOPLE})\s+(?:vrouw|man|moeder|vader|meisje|jongen|staatsburger|burger)\b",
    # English
    rf"\bi(?:'m|\s+am)\s+(?:an?\s+)?(?:{_PEOPLE})\b(?!\s*(?:-?speak\w*|teacher|translator|interpreter|tutor|cuisine"
    r"|food|cook\w*))",
    rf"\b(?:{_PEOPLE})\s+(?:citizen|national|passport|woman|man|mother|father|girl|boy|descent|origin|heritage)\b",
    r"\b(?:citizen|national)\s+of\b",
    r"\boriginally\s+from\b",
    rf"\bi(?:'m|\s+am|\s+come)\s+(?:originally\s+)?from\s+(?:{_COUNTRY})\b",
    rf"\bborn\s+(?:in|at)\s+(?:{_COUNTRY})\b",
    rf"\bof\s+(?:{_PEOPLE})\s+(?:{_ORIGIN_WORDS})\b",
    rf"\b(?:{_PEOPLE})\s+(?:by\s+birth|de\s+naissance|van\s+geboorte)\b",
    # Romanian
    rf"\bsunt\s+(?:de\s+)?(?:origine\s+|nationalitate\s+)?(?:{_PEOPLE}|roman|romanca|bulgar)\b",
    rf"\bde\s+origine\s+(?:{_PEOPLE}|roman\w*|bulgar\w*|turc\w*|r?rom\w*|etnic\w*|tigan\w*)\b",
    rf"\bcetatean(?:a|ca)?\s+(?:{_PEOPLE}|roman|bulgar)\b",
    rf"\b(?:vin|sunt)\s+din\s+(?:{_COUNTRY})\b",
    rf"\bnascut[a]?\s+(?:in|la)\s+(?:{_COUNTRY})\b",
    # any language: the word for nationality or citizenship itself
    # ("citizenship" and "citoyenneté" are also civic skills, "corporate citizenship": only with a colon)
    r"\b(?:nationalite|nationalites|nationaliteit|nationaliteiten|nationality|nationalities|nationalitate|nationalitatea"
    r"|cetatenie|cetatenia|staatsburgerschap|националност|гражданство)\b",
    r"\b(?:citizenship|citoyennete|burgerschap)\s*:",
    r"\bdouble\s+nationalite|\bdubbele\s+nationaliteit",
    # Bulgarian, in the folded Cyrillic view
    r"(?<!\w)(?:българ(?:ин|ка|и|ки)|румън(?:ец|ка|ци|ки)|тур(?:чин|киня)|македон(?:ец|ка))(?!\w)",
    r"(?<!\w)от\s+(?:българия|румъния|турция|македония)\s+съм(?!\w)",
    r"(?<!\w)(?:съм|идвам)\s+от\s+(?:българия|румъния|турция|македония)(?!\w)",
    r"(?<!\w)по\s+произход(?!\w)",
    r"(?<!\w)роден[аи]?\s+в\s+(?:българия|румъния|турция|македония|софия|пловдив|варна|бургас|сливен)(?!\w)",
)
_CLAIMS += (
    # Bulgarian typed in Latin letters: "az sam balgarka", "ot Balgariya sam", nouns for a nationality
    r"\b(?:b[aeu]lgar(?:ka|ki|in|i)|rum[ae]n(?:ka|ets|tsi|ki)|turchin|turkinya|makedon(?:ka|ets))\b",
    r"\baz\s+s[aeu]m\s+(?:ot\s+)?(?:b[ae]lgari[jy]a|rumani[jy]a|turtsi[jy]a|r?rom[ai]?|romka|ciganka|tsiganka)\b",
    r"\bpo\s+proizhod\b",
    # Origin through the family or the journey: "mes parents viennent de Roumanie", "my parents are from
    # Bulgaria", "arrivée de Roumanie en 2015", "I came from Romania", "in 2015 uit Bulgarije gekomen".
    rf"\b(?:viennent|vient|venons|suis\s+venue?|sommes\s+venue?s|arrivee?s?|arrive|sont|suis|est|komen|komt|kom|kwam|kwamen|zijn|is|are"
    rf"|came|come|comes|arrived|moved|fled|emigrated|immigrated|vin|vine|venit|suntem)\s+"
    r"(?:(?:originaires?|originally|oorspronkelijk|tous\s+(?:les\s+)?deux|both|beiden|allebei|ook|also|aussi|all"
    r"|en\s+[0-9]{4}|in\s+[0-9]{4}|ici|here|hier|au\s+depart|en\s+belgique|to\s+belgium|naar\s+belgie)\s+)?"
    rf"(?:de\s+la|de\s+l'|de|du|d'|des|uit|van|from|din)\s*(?:{_COUNTRY})\b",
    rf"\buit\s+(?:{_COUNTRY})\s+(?:gekomen|gevlucht|verhuisd|afkomstig|gekomen|geemigreerd|overgekomen)\b",
    # A CV header that gives a nationality, then an age or a family status: "Roumaine, 34 ans", "Bulgaarse,
    # 3 kinderen". A list of languages ("Roumain, français") goes on with another language instead.
    rf"(?:^|[.;(]\s*)(?:{_PEOPLE})\s*,\s*(?:[1-9][0-9]\s*(?:ans|jaar|years|ani)|[0-9]+\s+(?:enfants|kinderen|children|copii)"
    r"|mariee?|celibataire|divorcee?|veuve|gehuwd|getrouwd|alleenstaand|gescheiden|married|single|divorced|widow"
    r"|mere|moeder|mother|maman|mama)",
)
_CLAIMS += (
    # "Romanian-born", "half Bulgarian", "mes racines roumaines", "my roots are in Romania", "afkomst: ..."
    rf"\b(?:{_PEOPLE})-born\b|\bborn\s+and\s+raised\s+in\b",
    rf"\b(?:half|half-|moitie|voor\s+de\s+helft)\s*(?:{_PEOPLE})\b",
    rf"\b(?:racines|roots|wortels|radacini)\b[^.;\n]{{0,25}}?\b(?:{_PEOPLE}|{_COUNTRY})\b",
    r"\b(?:afkomst|herkomst|ethnie|etnie|ethnicity|etniciteit|ethnic\s+origin|origine\s+ethnique)\s*:\s*\w",
    r"\bd'\s?ethnie\b|\bde\s+etnie\b|\bvan\s+etnische\b|\bethnic(?:ally)?\s+(?:r?roma|romani|turkish|bulgarian)\b",
)
_CLAIMS += (
    # A clause of its own that says where from, in a self-description: "Ana, 34 jaar, uit Roemenië."
    rf"(?:^|[,;(]\s*)(?:uit|from|de|din|van|originaire\s+de|afkomstig\s+uit)\s+(?:{_COUNTRY})\s*(?:$|[,.;)!])",
)
# Religion: said of the person ("je suis musulmane", "ik ben moslim", "sunt ortodoxă", "аз съм мюсюлманка"),
# with a person noun ("Muslim woman", "femme musulmane"), as a field ("religion : ..."), or as the
# headscarf a person wears. A workplace named by religion ("école catholique") says nothing of the person.
_FAITH = (
    r"musulmane?s?|moslims?|moslima|muslims?|islamique|islamitische?|catholiques?|katholiek|katholieke|catholic"
    r"|orthodoxe?s?|orthodox|ortodox[aă]?|protestante?s?|protestants?|juifs?|juives?|joods|joodse|jewish|jew"
    r"|chretienne?s?|christen|christelijke?|christian|evangeliques?|evangelical|evanghelic[aă]?|pentecot\w*"
    r"|pinkster\w*|penticostal[aă]?|adventiste?s?|adventist[aă]?|temoins?\s+de\s+jehovah|jehovah'?s?\s+witness"
    r"|hindoue?s?|hindu|bouddhiste?s?|boeddhist\w*|buddhist|athee|atheist\w*|croyante?|pratiquante?|gelovige?"
    r"|crestin[aă]?|musulman[aă]?|pocait[aă]?|мюсюлман\w*|православ\w*|християн\w*|католи\w*"
)
_RELIGION = re.compile(
    rf"\b(?:je\s+suis|ik\s+ben|i'?m|i\s+am|sunt|аз\s+съм|съм|we\s+are|nous\s+sommes|wij\s+zijn)\s+"
    rf"(?:(?:une?|een|an?|tres|heel|very|de\s+religie|de\s+religion|de\s+confession|of\s+the)\s+)?"
    rf"(?:(?:practising|practicing|devout|pratiquante?|praktiserende|gelovige|strict|stricte)\s+)?(?:{_FAITH})\b"
    rf"|\b(?:{_PERSON_WORDS_FR}|vrouw|man|moeder|vader|woman|man|mother|father|girl|femeie|familie|famille|family"
    rf"|жена|майка)\s+(?:{_FAITH})\b"
    rf"|\b(?:{_FAITH})\s+(?:woman|man|mother|father|girl|vrouw|moeder|vader|meisje|family|gezin|familie"
    rf"|pratiquante?|praktiserend\w*|practising|practicing|convaincue?)\b"
    r"|\b(?:religion|religie|godsdienst|geloof|confession|religia|вероизповедание|религия|faith)\s*:"
    r"|\bde\s+(?:religion|confession)\s+(?:{_FAITH})\b"
    r"|\b(?:porte|portant|draag|draagt|wear|wears|wearing|poart[aă])\s+(?:(?:le|un|een|de|a|the|o)\s+)?"
    r"(?:voile|foulard|hijab|niqab|hoofddoek|headscarf|head\s+scarf|batic|basma)\b"
)
# Most texts name no people nor country, so the claims that need one run only when one is there.
_NAMING = re.compile(rf"\b(?:{_PEOPLE}|{_COUNTRY}|roman|romanca|bulgar)\b")
_CLAIM_NAMING = re.compile("|".join(f"(?:{p})" for p in _CLAIMS if _PEOPLE in p or _COUNTRY in p))
_CLAIM_OTHER = re.compile("|".join(f"(?:{p})" for p in _CLAIMS if _PEOPLE not in p and _COUNTRY not in p))
# Romanian nouns for a Romanian person, with their diacritics (without them, "roman" is a French novel).
_ROMANIAN_PERSON = re.compile(r"(?<!\w)(?:român|româncă|românca|românce|români)(?!\w)")


# "Roma" is also Rome, and the name of many an Italian restaurant: "pizzeria Roma", "Roma Pizza".
_ROME = re.compile(
    r"\b(?:pizzeria|restaurant|ristorante|trattoria|hotel|cafe|bar|via|as|lazio|a|in|te|naar|to)\s+roma\b"
    r"|\broma\s+(?:pizza|pizzeria|restaurant|ristorante|hotel|cafe|bar|termini|centro|italie|italy|italie)\b"
)


def find_origin(folded: str, cased: str) -> list[Span]:
    """Origin words in a folded view; `cased` is the same text before folding, for what case tells apart."""
    if _ETHNICITY_CAPITALS.search(cased):
        folded = fold(_ETHNICITY_CAPITALS.sub("memory", cased))
    if "roma" in folded and _ROME.search(folded):
        folded = _ROME.sub(lambda m: m.group().replace("roma", "rome"), folded)
    spans = [m.span() for m in _ETHNICITY.finditer(folded)]
    spans.extend(m.span() for m in _ROMANI_PEOPLE.finditer(folded))
    spans.extend(m.span() for m in _CLAIM_OTHER.finditer(folded))
    spans.extend(m.span() for m in _RELIGION.finditer(folded))
    if _NAMING.search(folded):
        spans.extend(m.span() for m in _CLAIM_NAMING.finditer(folded))
    return spans


def find_romanian_person_words(lowered: str) -> list[Span]:
    return [m.span() for m in _ROMANIAN_PERSON.finditer(lowered)]


def names_people(folded: str) -> bool:
    """Whether a folded word names a people, a country or an ethnicity ("bulgare", "Roma", "Sinti")."""
    return bool(_NAMING.fullmatch(folded) or _ETHNICITY.fullmatch(folded) or _ROMANI_PEOPLE.search(folded))
