"""Linking typed labels to taxonomy concepts, as taxonomy search and profile echoes use it."""

from __future__ import annotations

import csv
import gzip
import os
import pickle
import random
from pathlib import Path

import pytest
from sklearn.exceptions import NotFittedError

from matching.language.linking import ConceptLinker, LabelRow, Link

# kind, concept id -> labels per language; the first label of each language is the preferred one.
TAXONOMY: dict[tuple[str, str], dict[str, list[str]]] = {
    ("skill", "S-office-cleaning"): {
        "fr": ["nettoyage de bureaux", "entretien des bureaux"],
        "nl": ["kantoren schoonmaken"],
        "en": ["office cleaning", "clean offices"],
    },
    ("skill", "S-window-cleaning"): {
        "fr": ["nettoyage de vitres"], "nl": ["ramen wassen"], "en": ["window cleaning"],
    },
    ("skill", "S-housekeeping"): {
        "fr": ["entretien ménager", "ménage"], "nl": ["huishoudelijk werk"], "en": ["housekeeping"],
    },
    ("skill", "S-forklift"): {
        "fr": ["conduire un chariot élévateur"],
        "nl": ["heftruck besturen", "heftruck rijden"],
        "en": ["operate forklift"],
    },
    ("skill", "S-teamwork"): {
        "fr": ["travailler en équipe"], "nl": ["in team werken"], "en": ["work in teams", "teamwork"],
    },
    ("skill", "S-scrubber"): {
        "fr": ["utiliser une autolaveuse"],
        "nl": ["industriële schrobmachine bedienen"],
        "en": ["operate industrial floor scrubber"],
    },
    ("skill", "S-meals"): {
        "fr": ["préparer des repas"], "nl": ["maaltijden bereiden"], "en": ["prepare meals"],
    },
    ("skill", "S-safety"): {
        "fr": ["respecter les consignes de sécurité"],
        "nl": ["veiligheidsvoorschriften naleven"],
        "en": ["follow safety rules"],
    },
    ("occupation", "O-office-cleaner"): {
        "fr": ["nettoyeur/nettoyeuse de bureaux", "agent d'entretien/agente d'entretien"],
        "nl": ["schoonmaker kantoren"],
        "en": ["office cleaner"],
    },
    ("occupation", "O-technical-director"): {
        "fr": ["directeur technique/directrice technique"],
        "nl": ["technisch directeur"],
        "en": ["technical director"],
    },
    ("occupation", "O-forklift-driver"): {
        "fr": ["cariste", "conducteur de chariot élévateur/conductrice de chariot élévateur"],
        "nl": ["heftruckchauffeur"],
        "en": ["forklift operator"],
    },
    ("occupation", "O-butcher"): {"fr": ["boucher/bouchère"], "nl": ["slager"], "en": ["butcher"]},
}

ESCO = Path(__file__).resolve().parents[3] / "shared" / "data" / "esco-v1.1.1"


def taxonomy_rows() -> list[LabelRow]:
    return [
        LabelRow(concept_id, kind, lang, label, preferred=position == 0)
        for (kind, concept_id), per_lang in TAXONOMY.items()
        for lang, labels in per_lang.items()
        for position, label in enumerate(labels)
    ]


@pytest.fixture(scope="module")
def linker() -> ConceptLinker:
    return ConceptLinker().fit(taxonomy_rows())


@pytest.mark.parametrize(
    ("typed", "kind", "concept_id", "matched_label"),
    [
        ("nettoyage de bureaux", "skill", "S-office-cleaning", "nettoyage de bureaux"),
        ("NETTOYAGE DE BUREAUX", "skill", "S-office-cleaning", "nettoyage de bureaux"),
        ("menage", "skill", "S-housekeeping", "ménage"),
        ("Kantoren schoonmaken", "skill", "S-office-cleaning", "kantoren schoonmaken"),
        ("Nettoyeuse de bureaux (h/f/x)", "occupation", "O-office-cleaner",
         "nettoyeur/nettoyeuse de bureaux"),
        ("Directrice technique (m/v/x)", "occupation", "O-technical-director",
         "directeur technique/directrice technique"),
        ("bouchère", "occupation", "O-butcher", "boucher/bouchère"),
    ],
)
def test_a_label_spelled_like_a_taxonomy_label_links_exactly(
    linker: ConceptLinker, typed: str, kind: str, concept_id: str, matched_label: str
) -> None:
    assert linker.link(typed, lang="fr", kind=kind) == Link(concept_id, matched_label, "exact", 1.0)


@pytest.mark.parametrize(
    ("typed", "kind", "concept_id"),
    [
        ("netoyage de bureau", "skill", "S-office-cleaning"),  # typo and singular
        ("bureaux nettoyage", "skill", "S-office-cleaning"),  # word order
        ("nettoyage bureau", "skill", "S-office-cleaning"),
        ("kantoor schoonmaken", "skill", "S-office-cleaning"),  # Dutch singular
        ("cleaning offices", "skill", "S-office-cleaning"),
        ("heftruk besturen", "skill", "S-forklift"),
        ("travail en équipe", "skill", "S-teamwork"),
        ("préparation des repas", "skill", "S-meals"),
        ("schrobmachine bedienen", "skill", "S-scrubber"),
        ("utiliser autolaveuses", "skill", "S-scrubber"),
        ("directrice techique", "occupation", "O-technical-director"),
        ("conductrice chariot elevateur", "occupation", "O-forklift-driver"),
        ("schoonmaakster kantoren", "occupation", "O-office-cleaner"),
    ],
)
def test_typos_plurals_word_order_and_gender_link_fuzzily(
    linker: ConceptLinker, typed: str, kind: str, concept_id: str
) -> None:
    link = linker.link(typed, lang="fr", kind=kind)
    assert (link.concept_id, link.match) == (concept_id, "fuzzy")
    assert linker.threshold <= link.confidence < 1.0
    assert link.matched_label in TAXONOMY[(kind, concept_id)][_lang_of(link.matched_label)]


def _lang_of(label: str | None) -> str:
    return next(lang for per_lang in TAXONOMY.values() for lang, labels in per_lang.items()
                if label in labels)


# Jobs the taxonomy names in the masculine only, as ESCO does for some.
MASCULINE_ONLY = [
    LabelRow("O-hairdresser", "occupation", "nl", "kapper", preferred=True),
    LabelRow("O-seller", "occupation", "nl", "verkoper", preferred=True),
    LabelRow("O-seller", "occupation", "fr", "vendeur", preferred=True),
    LabelRow("O-dishwasher", "occupation", "fr", "plongeur", preferred=True),
    LabelRow("O-welder-diver", "occupation", "fr", "soudeur-plongeur", preferred=True),
    LabelRow("O-cashier", "occupation", "fr", "caissier", preferred=True),
]


@pytest.mark.parametrize(
    ("typed", "lang", "concept_id"),
    [
        ("kapster", "nl", "O-hairdresser"),
        ("Verkoopster (m/v/x)", "nl", "O-seller"),
        ("Plongeuse", "fr", "O-dishwasher"),
        ("caissières", "fr", "O-cashier"),
    ],
)
def test_a_feminine_form_the_taxonomy_lacks_links_to_its_masculine_label(
    typed: str, lang: str, concept_id: str
) -> None:
    linker = ConceptLinker().fit(MASCULINE_ONLY)
    link = linker.link(typed, lang=lang, kind="occupation")
    assert link.concept_id == concept_id
    assert link.confidence >= 0.9  # read as the masculine word itself, not as a near miss


def test_a_feminine_form_ranks_the_bare_job_above_a_compound_sharing_its_word() -> None:
    linker = ConceptLinker().fit(MASCULINE_ONLY)
    hits = linker.search("Plongeuse en restauration (h/f/x)", lang="fr", kind="occupation", limit=2)
    assert [hit.concept_id for hit in hits][:1] == ["O-dishwasher"]


@pytest.mark.parametrize("typed", ["xyzzy", "astrophysique quantique", "comptabilité", "", "(h/f/x)"])
def test_unrelated_or_gibberish_labels_stay_unknown(linker: ConceptLinker, typed: str) -> None:
    assert linker.link(typed, lang="fr") == Link(None, None, "unknown", 0.0)


def test_link_looks_only_at_the_asked_kind(linker: ConceptLinker) -> None:
    assert linker.link("boucher", lang="fr").match == "unknown"
    assert linker.link("boucher", lang="fr", kind="occupation").concept_id == "O-butcher"
    assert linker.link("boucher", lang="fr", kind=None).concept_id == "O-butcher"


def test_link_many_answers_like_link_one_by_one(linker: ConceptLinker) -> None:
    labels = ["netoyage de bureau", "menage", "xyzzy", "heftruk besturen", "travail en équipe",
              "kantoor schoonmaken", "", "nettoyage de bureaux"] * 20
    assert linker.link_many(labels, lang="fr") == [linker.link(x, lang="fr") for x in labels]


def test_search_returns_one_hit_per_concept_best_first(linker: ConceptLinker) -> None:
    hits = linker.search("nettoyage bureaux", lang="fr", limit=10)
    ids = [hit.concept_id for hit in hits]
    assert len(ids) == len(set(ids))
    assert ids[0] == "S-office-cleaning"
    assert [hit.score for hit in hits] == sorted((hit.score for hit in hits), reverse=True)
    assert all(0.0 <= hit.score <= 1.0 for hit in hits)


def test_search_shows_the_concept_in_the_asked_language(linker: ConceptLinker) -> None:
    top = linker.search("kantoren schoonmaken", lang="fr", limit=1)[0]
    assert (top.concept_id, top.label, top.lang) == ("S-office-cleaning", "nettoyage de bureaux", "fr")
    top = linker.search("nettoyage de bureaux", lang="nl", limit=1)[0]
    assert (top.label, top.lang) == ("kantoren schoonmaken", "nl")


def test_search_finds_typos_across_languages_and_filters_by_kind(linker: ConceptLinker) -> None:
    hits = linker.search("heftruk", lang="fr", kind="occupation", limit=3)
    assert hits[0].concept_id == "O-forklift-driver"
    assert all(hit.kind == "occupation" for hit in hits)
    assert linker.search("heftruk", lang="fr", limit=1)[0].concept_id == "S-forklift"


def test_search_respects_limit_and_empty_queries(linker: ConceptLinker) -> None:
    assert len(linker.search("nettoyage", limit=2)) == 2
    assert linker.search("   ", lang="fr") == []


def test_the_linker_must_be_fitted_first() -> None:
    with pytest.raises(NotFittedError):
        ConceptLinker().link("nettoyage")


def test_constructor_stores_parameters_only() -> None:
    linker = ConceptLinker(threshold=0.8, ngram_range=(3, 5))
    assert (linker.threshold, linker.ngram_range) == (0.8, (3, 5))
    assert not [name for name in vars(linker) if name.endswith("_")]


def test_a_pickled_linker_answers_the_same(linker: ConceptLinker) -> None:
    labels = ["netoyage de bureau", "menage", "xyzzy", "Directrice technique (m/v/x)"]
    copy = pickle.loads(pickle.dumps(linker))
    assert copy.link_many(labels, kind=None) == linker.link_many(labels, kind=None)


def test_unknown_kinds_are_rejected(linker: ConceptLinker) -> None:
    with pytest.raises(ValueError):
        linker.link("nettoyage", kind="hobby")
    with pytest.raises(ValueError):
        linker.search("xyzzy", kind="hobby")
    with pytest.raises(ValueError):
        ConceptLinker().fit([LabelRow("X", "hobby", "fr", "pêche", True)])


# ---------------------------------------------------------------- the real ESCO French occupations
def esco_french_occupations() -> list[LabelRow]:
    path = ESCO / "occupations_fr.csv.gz"
    if not path.exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"ESCO data missing in CI: {path}")
        pytest.skip(f"ESCO data not available at {path}")
    rows = []
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        for record in csv.DictReader(handle):
            uri = record["conceptUri"]
            rows.append(LabelRow(uri, "occupation", "fr", record["preferredLabel"], True))
            rows += [LabelRow(uri, "occupation", "fr", alt.strip(), False)
                     for alt in record["altLabels"].splitlines() if alt.strip()]
    return rows


@pytest.fixture(scope="module")
def esco() -> tuple[ConceptLinker, list[LabelRow]]:
    rows = esco_french_occupations()
    return ConceptLinker().fit(rows), rows


def test_esco_preferred_labels_as_job_ads_write_them_link_exactly(esco) -> None:
    linker, rows = esco
    preferred = [row for row in rows if row.preferred][:500]
    typed = [row.label.split("/")[-1].upper() + " (h/f/x)" for row in preferred]
    links = linker.link_many(typed, kind="occupation")
    assert all(link.match == "exact" for link in links)
    # A label can name several concepts; it must at least name the one it came from.
    right = sum(link.concept_id == row.concept_id for link, row in zip(links, preferred, strict=True))
    assert right / len(preferred) > 0.97


def test_esco_labels_with_a_typo_still_find_their_occupation(esco) -> None:
    linker, rows = esco
    rng = random.Random(7)
    sample = rng.sample([row for row in rows if len(row.label) >= 12 and "/" not in row.label], 300)
    typed = []
    for row in sample:
        cut = rng.randrange(2, len(row.label) - 2)
        typed.append(row.label[:cut] + row.label[cut + 1:])  # one letter dropped
    top = [linker.search(label, lang="fr", kind="occupation", limit=1)[0].concept_id
           for label in typed]
    assert sum(c == row.concept_id for c, row in zip(top, sample, strict=True)) / len(sample) > 0.9
    links = linker.link_many(typed, kind="occupation")
    assert sum(link.match != "unknown" for link in links) / len(links) > 0.9


def test_a_group_name_lends_its_match_to_the_members_and_ranks_below_them() -> None:
    rows = [
        LabelRow("G-drivers", "occupation", "fr", "conducteurs de chariots élévateurs", preferred=True),
        LabelRow("O-cariste", "occupation", "fr", "cariste", preferred=True),
        LabelRow("O-magasinier", "occupation", "fr", "magasinier", preferred=True),
        LabelRow("O-chauffeur", "occupation", "fr", "conducteur de bus", preferred=True),
    ]
    flat = ConceptLinker().fit(rows)
    grouped = ConceptLinker().fit(rows, groups={"O-cariste": "G-drivers", "O-magasinier": "G-drivers",
                                                 "O-chauffeur": "G-buses"})
    query = "Conducteur de chariots élévateurs (h/f/x)"
    assert flat.search(query, lang="fr", kind="occupation")[0].concept_id == "G-drivers"
    found = [hit.concept_id for hit in grouped.search(query, lang="fr", kind="occupation")]
    assert found.index("O-cariste") < found.index("G-drivers")  # found only through the group's name
    assert found.index("O-magasinier") < found.index("G-drivers")
    # Linking reads a concept's own labels: a member found only through its group is never linked to.
    assert grouped.link(query, lang="fr", kind="occupation").concept_id == "G-drivers"


def test_two_concepts_sharing_the_typed_label_rank_the_one_with_more_names_first() -> None:
    # Both name "accompagnateur de train"; the conductor has more names (as the common job does), in
    # words that share nothing with the query, so the two tie on score.
    rows = [
        LabelRow("A-tour-guide", "occupation", "fr", "accompagnateur de train", preferred=True),
        LabelRow("Z-conductor", "occupation", "fr", "accompagnateur de train", preferred=True),
        LabelRow("Z-conductor", "occupation", "nl", "kw", preferred=True),
        LabelRow("Z-conductor", "occupation", "en", "qy", preferred=True),
    ]
    hits = ConceptLinker().fit(rows).search("Accompagnateur de train (h/f/x)", lang="fr", kind="occupation")
    assert [hit.concept_id for hit in hits] == ["Z-conductor", "A-tour-guide"]
    assert hits[0].score == hits[1].score
