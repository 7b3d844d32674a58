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

from matching.text import normalise_label

# Words that carry no skill: dropped from keys, so "washing the dishes" and "wash dishes" meet.
FUNCTION_WORDS = frozenset("""
a au aux avec ce d de des du en et l la le les leur leurs ou par pour sur un une
aan als bij de den der die een en het in met of om op te van voor
an and as at for from in of on or the to with
""".split())

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
    # Dutch and English double a consonant before an ending ("bakken", "mopping"): one stem for both.
    if len(word) > _MIN_STEM and word[-1] == word[-2] and word[-1] not in "aeiou":
        return word[:-1]
    # Dutch writes a long vowel once before an ending ("kantoren", "maken"): kantoor, maak.
    if lang == "nl" and stripped and _OPEN_SYLLABLE.search(word):
        word = word[:-1] + word[-2] + word[-1]
    return word


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
        self._split_cache: dict[str, tuple[str, ...] | None] = {}
        self.concepts: dict[tuple[str, tuple[str, ...]], set[str]] = {}
        for concept, lang, label in labels:
            key = self.key(label, lang)
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
        """Stems of the text's content words, Dutch compounds split into their parts."""
        out: list[str] = []
        for word in normalise_label(text).split():
            if word in FUNCTION_WORDS:
                continue
            if lang == "nl":
                out += self._split(word) or (stem(word, lang),)
            else:
                out.append(stem(word, lang))
        return tuple(out)

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
