"""Where "qualified" ends on a shortlist: every must-have held, and the tail never worded as a match."""

import dataclasses

from matching.language.i18n import render
from matching.ranking.explain import qualified
from matching.ranking.facts import SkillFact
from tests.matching.test_scoring import VACANCY, candidate, shortlist

# Two must-haves: office cleaning (every candidate below holds it) and driving a van (only one does).
TWO_MUSTS = dataclasses.replace(
    VACANCY, must_have=(*VACANCY.must_have, SkillFact("bestelwagen besturen", "c:van-driving"))
)
OFFICE = SkillFact("nettoyage de bureaux", "c:office-cleaning", "advanced", "certified")
VAN = SkillFact("conduire une camionnette", "c:van-driving", "advanced", "certified")


def test_an_item_holding_every_must_have_is_qualified_and_one_missing_some_says_so_first() -> None:
    items = {i.profile_id: i for i in shortlist([candidate("p-all", skills=(OFFICE, VAN)),
                                                  candidate("p-half", skills=(OFFICE,))], TWO_MUSTS)}
    assert qualified(items["p-all"].explanation)
    assert "not_qualified" not in [n["code"] for n in items["p-all"].explanation["notes"]]
    half = items["p-half"].explanation
    assert not qualified(half)
    first = half["notes"][0]
    assert first["code"] == "not_qualified" and first["requirements"] == ["bestelwagen besturen"]
    assert first["text"].startswith("not qualified") and '"bestelwagen besturen"' in first["text"]
    texts = {lang: render(half, lang)["notes"][0]["text"] for lang in ("fr", "nl")}
    assert texts["fr"].startswith("ne remplit pas") and "« bestelwagen besturen »" in texts["fr"]
    assert texts["nl"].startswith("niet gekwalificeerd")


def test_a_must_have_covered_only_by_a_related_skill_is_not_met() -> None:
    broader = candidate("p", skills=(SkillFact("schoonmaak", "c:cleaning", "advanced", "certified"),))
    item = shortlist([broader], related={"c:office-cleaning": {"c:cleaning": 0.5}})[0]
    assert item.explanation["partial"] and not qualified(item.explanation)


def test_qualified_only_leaves_the_tail_out() -> None:
    half, whole = candidate("p-half", skills=(OFFICE,)), candidate("p-all", skills=(OFFICE, VAN))
    assert [i.profile_id for i in shortlist([half, whole], TWO_MUSTS)] == ["p-all", "p-half"]
    assert [i.profile_id for i in shortlist([half, whole], TWO_MUSTS, qualified_only=True)] == ["p-all"]


def test_a_requirement_outside_the_taxonomy_leaves_nobody_qualified() -> None:
    vacancy = dataclasses.replace(VACANCY, must_have=(*VACANCY.must_have, SkillFact("vlotte babbel", None)))
    assert shortlist([candidate("p", skills=(OFFICE,))], vacancy, qualified_only=True) == []
    assert not qualified(shortlist([candidate("p", skills=(OFFICE,))], vacancy)[0].explanation)


def test_without_must_haves_everyone_ranked_is_qualified() -> None:
    vacancy = dataclasses.replace(VACANCY, must_have=())
    items = shortlist([candidate("p", skills=(OFFICE,))], vacancy, qualified_only=True)
    assert len(items) == 1 and qualified(items[0].explanation)
