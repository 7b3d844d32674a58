"""Word forms a label does not spell: inflected and derived endings, and Dutch compounds.

An ad says "ploegenwerk", "washing dishes", "conduite défensive" or "hygiënische"; the taxonomy says
"ploegwerk", "wash dishes", "défensif", "hygiëne". Both sides are reduced to the same key: each word to a
stem by a few endings per language (plural, feminine, -ing, -isch, -heid, adjective -e), a Dutch compound
to the stems of the known words it is made of (joined by a linking -s-, -e- or -en-), function words
dropped. A span of the ad whose key is the key of a label of the same language names that label's concept.

The dictionary for splitting compounds is the taxonomy's own Dutch label words: a compound splits only
into words some label uses, so the split cannot invent words the taxonomy does not know.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rapidfuzz import fuzz, process

from matching.language.text import normalise_label

# Words that carry no skill: dropped from keys, so "washing the dishes" and "wash dishes" meet.
FUNCTION_WORDS = frozenset("""
a au aux avec ce d de des du en et l la le les leur leurs ou par pour sur un une
aan als bij de den der die een en het in met of om op te van voor
an and as at for from in of on or the to with
""".split())

# Words a key leaves out besides function words: pronouns, adverbs and copulas around a skill ("je werkt graag in team",
# "vous êtes ponctuel", "je kent Brussel goed"), and the cue nouns of Dutch compounds ("magazijnervaring",
# "kassa-ervaring": experience of the warehouse, of the till).
KEY_DROPPED = FUNCTION_WORDS | frozenset("""
bien toujours tres etre etes es est sont avoir vous tu il elle on nous
goed graag steeds altijd strikt zeer heel ook zijn bent ben is je jij u we wij
well always very be are is you we
ervaring kennis
""".split())
# Compound parts that are not label words but may close a Dutch compound: dropped from its key. The
# compound names its first part: "magazijnervaring", "HACCP-normen", "hygiënevoorschriften".
CUE_WORDS = ("ervaring", "kennis", "normen", "regels", "voorschriften")
# Verbs of using and obeying that some labels add to a thing ("veiligheidsvoorschriften naleven",
# "haagschaar gebruiken"): an ad often names the thing alone. A label also counts without them when what
# is left is specific enough (a long word or several words).
LIGHT_VERBS = frozenset("""
gebruiken bedienen hanteren toepassen naleven volgen opvolgen respecteren
utiliser respecter appliquer suivre
use operate apply follow
""".split())
_SPECIFIC = 8
# Dutch separable verbs put their particle last ("je vult de rekken aan" for "rekken aanvullen").
PARTICLES = frozenset("aan af op uit mee weg terug bij toe na".split())

# Endings stripped once, longest first, each leaving a stem of at least _MIN_STEM letters. Ordered as
# (ending, replacement) so a derived form and its base reach the same stem: défensive/défensif -> defensi.
_PLURALS = {"fr": ("s", "x"), "nl": ("s",), "en": ("s",)}
_ENDINGS = {
    "fr": (("ives", "i"), ("ive", "i"), ("ifs", "i"), ("if", "i"), ("euse", "eu"), ("eur", "eu"),
           ("ere", "er"), ("ienne", "ien"), ("elle", "el"), ("ique", "iq"), ("e", "")),
    "nl": (("ische", ""), ("isch", ""), ("heid", ""), ("heden", ""), ("ende", ""), ("en", ""), ("e", "")),
    "en": (("ing", ""), ("ed", ""), ("ies", "y"), ("e", "")),
}
_MIN_STEM = 3
# A compound's parts: at least this long, and a word splits into at most this many.
_MIN_PART = 3
_MAX_PARTS = 3
_LINKING = ("en", "s", "e", "")
# Edit similarity (0-100) from which a word of the ad may be a misspelt label word.
_NEAR_WORD = 75
_NEAR_WORDS = 3
_PREFIX = 6
_OPEN_SYLLABLE = re.compile(r"[^aeiou][aou][^aeiouwy]$")


def stem(word: str, lang: str) -> str:
    """The word without its plural and derivational ending ("hygienische" -> "hygien")."""
    for ending in _PLURALS.get(lang, ()):
        if word.endswith(ending) and not word.endswith("ss") and len(word) - len(ending) >= _MIN_STEM + 1:
            word = word[: -len(ending)]
            break
    stripped = False
    for ending, replacement in _ENDINGS.get(lang, ()):
        if word.endswith(ending) and len(word) - len(ending) + len(replacement) >= _MIN_STEM:
            word, stripped = word[: -len(ending)] + replacement, True
            break
    if lang == "nl":
        word, stripped = _dutch_verb_and_adjective(word, stripped)
    # Dutch and English double a consonant before an ending ("bakken", "mopping"): one stem for both.
    if len(word) > _MIN_STEM and word[-1] == word[-2] and word[-1] not in "aeiou":
        word = word[:-1]
    # Dutch writes a long vowel once before an ending ("kantoren", "maken"): kantoor, maak.
    elif lang == "nl" and stripped and _OPEN_SYLLABLE.search(word):
        word = word[:-1] + word[-2] + word[-1]
    # A Dutch finite verb adds -t to the stem ("kent", "werkt", "rijdt"); a stem that ends in t takes none
    # ("zet", "zetten"). Dropping a final t from every stem gives each verb one stem ("ken", "ze"); a noun
    # loses its t on both sides, so "attest" and "attesten" still meet.
    if lang == "nl" and word.endswith("t") and len(word) >= _MIN_STEM + 1:
        word = word[:-1]
    return word


def _dutch_verb_and_adjective(word: str, stripped: bool) -> tuple[str, bool]:
    """Dutch endings the table cannot order: -eer verbs and adjective -elijk.

    "controleert"/"controleren" -> controleer, "huishoudelijke" -> huishoud (as in
    "huishoudhulp"), "klantvriendelijkheid"/"klantvriendelijk" -> klantvriend.
    """
    if not stripped and word.endswith("eert") and len(word) > 6:
        return word[:-1], False
    if stripped and word.endswith("er") and len(word) > 5 and not word.endswith("eer"):
        return word[:-2] + "eer", False  # "controler" (from controleren) -> controleer; no vowel to lengthen
    for ending in ("elijk", "lijk"):
        if word.endswith(ending) and len(word) - len(ending) >= _MIN_STEM + 1:
            return word[: -len(ending)], False
    return word, stripped


CUE_PARTS = frozenset({*CUE_WORDS, *(stem(word, "nl") for word in CUE_WORDS)})


class WordForms:
    """Skill concepts by the key of their labels, per language; built once per taxonomy."""

    def __init__(self, labels: Iterable[tuple[str, str, str]]) -> None:
        """`labels` are (concept id, language, label) of skill labels."""
        labels = [(concept, lang, normalise_label(label)) for concept, lang, label in labels]
        # Dutch label words and their stems: the only parts a compound may split into.
        self.parts: set[str] = set()
        for _, lang, label in labels:
            if lang == "nl":
                for word in label.split():
                    if len(word) >= _MIN_PART and word not in FUNCTION_WORDS:
                        self.parts.add(stem(word, "nl"))
        self.parts.update(CUE_PARTS)
        self._split_cache: dict[str, tuple[str, ...] | None] = {}
        self.concepts: dict[tuple[str, tuple[str, ...]], set[str]] = {}
        for concept, lang, label in labels:
            for key in {self.key(label, lang), self._without_light_verb(label, lang)}:
                if key:
                    self.concepts.setdefault((lang, key), set()).add(concept)
        # The labels each word occurs in: a span of the ad whose words never occur together in one label
        # cannot name a label better than a shorter span inside it.
        # A word counts under its stem and its first 6 letters too (conjugated and derived forms:
        # "connaissez"/"connaissance"), under its last 6 (a compound's head: "vullen" in "aanvullen"), and
        # a Dutch compound under its parts ("rekken" in "winkelrekken").
        self.postings: dict[str, set[int]] = {}
        for number, (_, lang, label) in enumerate(labels):
            for word in label.split():
                forms = {word, stem(word, lang), word[:_PREFIX], word[-_PREFIX:]}
                if lang == "nl":
                    forms.update(self._split(word) or ())
                for form in forms:
                    self.postings.setdefault(form, set()).add(number)
        self._by_letter: dict[str, list[str]] = {}
        for word in self.postings:
            self._by_letter.setdefault(word[:1], []).append(word)
        self._near_cache: dict[str, frozenset[int] | None] = {}

    def labels_near(self, word: str) -> frozenset[int] | None:
        """The labels using the (normalised) word or a word one or two typos from it; None if none does.

        A Dutch compound of known parts is not pinned to labels (an empty set): it may name a phrase.
        """
        if word not in self._near_cache:
            found: frozenset[int] | None = None
            forms = [f for f in (word, *{stem(word, lang) for lang in _ENDINGS}, word[:_PREFIX], word[-_PREFIX:])
                     if f in self.postings and len(f) >= _MIN_STEM]
            if forms:
                found = frozenset().union(*(self.postings[f] for f in forms))
            else:
                # Typos rarely touch a word's first letter; comparing within it keeps this cheap on ESCO.
                near = process.extract(word, self._by_letter.get(word[:1], ()), scorer=fuzz.ratio,
                                       processor=None, score_cutoff=_NEAR_WORD, limit=_NEAR_WORDS)
                if near:
                    found = frozenset().union(*(self.postings[w] for w, _, _ in near))
                elif self._split(word):
                    found = frozenset()
            self._near_cache[word] = found
        return self._near_cache[word]

    def may_name_a_label(self, text: str) -> bool:
        """Whether the span could link: some of its words are label words (or misspelt or derived ones),
        and those occur together in one label."""
        words = [w for w in normalise_label(text).split() if w not in FUNCTION_WORDS]
        near = [self.labels_near(w) for w in words]
        known = [labels for labels in near if labels is not None]
        if not known:
            return False
        pinned = [labels for labels in known if labels]
        if len(pinned) < 3:
            return len(pinned) < 2 or bool(pinned[0] & pinned[1])
        # The linker forgives one extra word ("connaissez bien Bruxelles"): all but one in a label will do.
        return any(frozenset.intersection(*pinned[:i], *pinned[i + 1:]) for i in range(len(pinned)))

    def key(self, text: str, lang: str) -> tuple[str, ...]:
        """Stems of the text's content words, Dutch compounds split into their parts, in sorted order.

        Sorted: word order varies where the words do not ("je kent Brussel" for "Brussel kennen", "schoonmaak
        van kantoren" for "kantoren schoonmaken"). A Dutch separable verb's trailing particle is put back on
        the verb ("vult de rekken aan": aanvul, rek).
        """
        words = normalise_label(text).split()
        if lang == "nl" and len(words) >= 3 and words[-1] in PARTICLES and words[0] not in KEY_DROPPED:
            words = [words[-1] + words[0], *words[1:-1]]
        out: list[str] = []
        for word in words:
            if word in KEY_DROPPED:
                continue
            if lang == "nl":
                out += [part for part in self._split(word) or (stem(word, lang),) if part not in CUE_PARTS]
            else:
                out.append(stem(word, lang))
        return tuple(sorted(out))

    def _without_light_verb(self, label: str, lang: str) -> tuple[str, ...]:
        """The label's key without its verb of using or obeying, if what is left is specific enough."""
        words = normalise_label(label).split()
        kept = [w for w in words if w not in LIGHT_VERBS]
        if len(kept) == len(words) or not kept:
            return ()
        content = [w for w in kept if w not in KEY_DROPPED]
        if len(content) < 2 and not (content and len(content[0]) >= _SPECIFIC):
            return ()
        return self.key(" ".join(kept), lang)

    def concepts_for(self, text: str, lang: str) -> set[str]:
        key = self.key(text, lang)
        return self.concepts.get((lang, key), set()) if key else set()

    def _split(self, word: str) -> tuple[str, ...] | None:
        """The parts of a Dutch compound ("ploegenwerk" -> ploeg, werk), or None when it is not one."""
        if word not in self._split_cache:
            self._split_cache[word] = self._split_into(word, _MAX_PARTS)
        return self._split_cache[word]

    def _split_into(self, word: str, max_parts: int) -> tuple[str, ...] | None:
        # Longest head first: "schoonmaakmachine" is schoonmaak + machine before schoon + maak + machine.
        for cut in range(len(word) - _MIN_PART, _MIN_PART - 1, -1):
            head = stem(word[:cut], "nl")
            if word[:cut] not in self.parts and head not in self.parts:
                continue
            for link in _LINKING:
                rest = word[cut:]
                if link and not rest.startswith(link):
                    continue
                rest = rest[len(link):]
                if len(rest) < _MIN_PART:
                    continue
                tail = stem(rest, "nl")
                if rest in self.parts or tail in self.parts:
                    return (head, tail)
                if max_parts > 2:
                    more = self._split_into(rest, max_parts - 1)
                    if more:
                        return (head, *more)
        return None
