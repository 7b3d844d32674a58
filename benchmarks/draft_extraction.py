"""Drafting a vacancy from a job ad: must-haves proposed against labels, with a keyword-lookup peer.

Two sets, figures on held-out data only:
- 42 job ads written and labelled for this project (benchmarks/data/job_ads/ads.json, labels committed
  before the extractor); the requiredness model is fitted on the 24 `train` ads (`--fit` refits it and
  rewrites matching/data/draft_requiredness.json), figures are on the 18 `held_out` ads. The taxonomy is
  the seed taxonomy, in the linker the service fits (matching.language.linking.ConceptLinker).
- With `--esco`: ESCO occupation descriptions (fr, nl, en) against the occupation's essential skills,
  read from ../shared/data at run time; the seed taxonomy and ESCO go through the product's importer
  into a throwaway SQLite database and the linker is the service's own snapshot. Nothing is fitted on
  ESCO, so every description is held out.

The peer, in the same run: plain keyword lookup, every concept one of whose labels occurs in the text
(normalised, whole words) proposed as a must-have.

With `--dev`, figures on the development ads only (the 24 training ads, and the 13 `dev` and 9 `dev2` ads
of dev_ads.json, which nothing is fitted on), with each ad's misses; the held-out ads are not drafted at all.

    python benchmarks/draft_extraction.py [--fit] [--esco] [--esco-limit N]
    python benchmarks/draft_extraction.py --dev
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import re
import sys
import tempfile
import time
import zlib
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script from anywhere without installing the package

from sqlmodel import Session  # noqa: E402

from matching.drafting import draft_vacancy  # noqa: E402
from matching.drafting import requiredness as req  # noqa: E402
from matching.drafting.draft import mention_rows  # noqa: E402
from matching.drafting.requiredness import MODEL_PATH, Requiredness  # noqa: E402
from matching.language.linking import ConceptLinker, LabelRow  # noqa: E402
from matching.language.text import label_variants, normalise_label  # noqa: E402
from matching.services import taxonomy  # noqa: E402
from matching.store.db import make_engine  # noqa: E402
from matching.store.esco_import import import_esco  # noqa: E402
from matching.store.migrate import upgrade  # noqa: E402

ADS = ROOT / "benchmarks" / "data" / "job_ads" / "ads.json"
DEV_ADS = ROOT / "benchmarks" / "data" / "job_ads" / "dev_ads.json"
SEED = ROOT / "matching" / "data" / "seed_taxonomy.json"
DEFAULT_ESCO = ROOT.parent / "shared" / "data" / "esco-v1.1.1"
CONFIDENCES = (0.75, 0.8, 0.85, 0.9, 0.95)  # spotting thresholds tried on the training ads
csv.field_size_limit(1 << 24)


def seed_linker() -> ConceptLinker:
    data = json.loads(SEED.read_text(encoding="utf-8"))
    return ConceptLinker().fit(
        LabelRow(c["id"], c["kind"], lang, label, i == 0)
        for c in data["concepts"] for lang, labels in c["labels"].items() for i, label in enumerate(labels)
    )


class KeywordPeer:
    """Every concept whose label (any language, normalised) occurs in the text as whole words."""

    def __init__(self, linker: ConceptLinker, kind: str = "skill") -> None:
        self.labels: dict[str, set[str]] = defaultdict(set)
        for row in linker.rows_:
            if row.kind == kind:
                for variant in label_variants(row.label):
                    if len(variant) >= 3:
                        self.labels[variant].add(row.concept_id)

    def find(self, text: str) -> set[str]:
        folded = f" {normalise_label(text)} "
        words = folded.split()
        grams = {" ".join(words[i:i + n]) for n in range(1, 8) for i in range(len(words) - n + 1)}
        return {concept for gram in grams for concept in self.labels.get(gram, ())}


def scores(pairs: Iterable[tuple[set[str], set[str]]]) -> tuple[float, float, int, int]:
    """Micro precision and recall over (proposed, gold) pairs, with the counts."""
    tp = proposed = gold = 0
    for got, want in pairs:
        tp += len(got & want)
        proposed += len(got)
        gold += len(want)
    return (tp / proposed if proposed else 0.0), (tp / gold if gold else 0.0), proposed, gold


def fit(ads: list[dict], linker: ConceptLinker) -> Requiredness:
    """Requiredness fitted on the training ads' mentions; spotting threshold by must-have F1 there."""
    train = [a for a in ads if a["split"] == "train"]
    best: tuple[float, Requiredness] | None = None
    for confidence in CONFIDENCES:
        rows, labels = [], []
        for ad in train:
            required_languages = {lang["code"] for lang in ad["languages"] if lang["required"]}
            _, mentions = mention_rows(ad["text"], linker, lang=ad["lang"], min_confidence=confidence)
            for key, _source, _confidence, features in mentions:
                rows.append(features)
                code = key.removeprefix("lang:")
                labels.append(code in required_languages if key.startswith("lang:") else key in ad["must_have"])
        model = req.fit(rows, labels)
        model = Requiredness(model.coefficients, model.intercept, confidence)
        p, r, _, _ = scores((must_haves(a, linker, model), set(a["must_have"])) for a in train)
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        print(f"  fit on {len(train)} train ads, spotting from {confidence}: {len(rows)} mentions, "
              f"train must-have P {p:.3f} R {r:.3f} F1 {f1:.3f}")
        if best is None or f1 > best[0]:
            best = (f1, model)
    assert best is not None
    return best[1]


def must_haves(ad: dict, linker: ConceptLinker, model: Requiredness) -> set[str]:
    draft = draft_vacancy(ad["text"], linker=linker, lang=ad["lang"], model=model)
    return {item.concept_id for item in draft.must_have}


def job_ads(ads: list[dict], linker: ConceptLinker, model: Requiredness, *, split: str = "held_out",
            misses: bool = False) -> None:
    held = [a for a in ads if a["split"] == split]
    peer = KeywordPeer(linker)
    start = time.perf_counter()
    drafts = {a["id"]: draft_vacancy(a["text"], linker=linker, lang=a["lang"], model=model) for a in held}
    per_ad = (time.perf_counter() - start) / len(held) * 1000
    mine = [({i.concept_id for i in drafts[a["id"]].must_have}, set(a["must_have"])) for a in held]
    theirs = [(peer.find(a["text"]), set(a["must_have"])) for a in held]
    anything = [({i.concept_id for i in drafts[a["id"]].must_have + drafts[a["id"]].nice_to_have},
                 set(a["must_have"])) for a in held]
    print(f"\nJob ads, {split.replace('_', ' ')}: {len(held)} ads ({', '.join(sorted({a['lang'] for a in held}))}), "
          f"seed taxonomy, {per_ad:.0f} ms per ad")
    print(f"{'system':44} {'P must':>7} {'R must':>7} {'proposed':>9} {'gold':>5}")
    for name, pairs in (("extractor (cues + fitted requiredness)", mine),
                        ("  its skills whatever the probability", anything),
                        ("keyword lookup peer (exact label substring)", theirs)):
        p, r, proposed, gold = scores(pairs)
        print(f"{name:44} {p:7.3f} {r:7.3f} {proposed:9d} {gold:5d}")
    for lang in ("fr", "nl", "en"):
        part = [pair for pair, a in zip(mine, held, strict=True) if a["lang"] == lang]
        p, r, _, _ = scores(part)
        print(f"  extractor, {lang} ads only: P {p:.3f} R {r:.3f}")
    asked = [({i.value for i in drafts[a["id"]].languages}, {x["code"] for x in a["languages"]}) for a in held]
    covered = sum(want <= got for got, want in asked)
    required = [({i.value for i in drafts[a["id"]].languages if (i.probability or 0) >= req.MUST_FROM},
                 {x["code"] for x in a["languages"] if x["required"]}) for a in held]
    levels = sum(1 for a in held for x in a["languages"] for i in drafts[a["id"]].languages
                 if i.value == x["code"] and i.level == x["spoken"])
    n_languages = sum(len(a["languages"]) for a in held)
    print(f"languages: every one the ad asks for proposed in {covered}/{len(held)} ads; "
          f"required ones P {scores(required)[0]:.3f} R {scores(required)[1]:.3f}; "
          f"level as labelled {levels}/{n_languages}")
    facts = {
        "occupation": lambda d, a: (d.occupation.concept_id if d.occupation else None) == a["occupation"],
        "hours": lambda d, a: (d.hours_per_week.value if d.hours_per_week else None) == a["hours_per_week"],
        "contract": lambda d, a: (d.contract_type.value if d.contract_type else None) == a["contract_type"],
        "postcode": lambda d, a: (d.postcode.value if d.postcode else None) == a["postcode"],
        "shifts": lambda d, a: {s.value for s in d.shifts} == set(a["shifts"]),
        "licence": lambda d, a: (d.driving_licence.value if d.driving_licence and
                                 (d.driving_licence.probability or 0) >= req.MUST_FROM else None)
        == a["driving_licence"],
    }
    print("facts as labelled: " + ", ".join(
        f"{name} {sum(check(drafts[a['id']], a) for a in held)}/{len(held)}" for name, check in facts.items()))
    if misses:  # development sets only: what to look at next
        for ad, (got, want) in zip(held, mine, strict=True):
            if got != want:
                print(f"  {ad['id']}: missed {sorted(want - got)}, not required {sorted(got - want)}")


def _csv(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def timing(ads: list[dict], linker: ConceptLinker, model: Requiredness) -> None:
    """Milliseconds per training ad with the span filter and linking every span, and whether they agree."""
    train = [a for a in ads if a["split"] == "train"]
    draft_vacancy(train[0]["text"], linker=linker, lang=train[0]["lang"], model=model)  # indexes built once
    took, found = {}, {}
    for every in (False, True):
        start = time.perf_counter()
        found[every] = [{i.concept_id for i in draft_vacancy(a["text"], linker=linker, lang=a["lang"], model=model,
                                                             link_every_span=every).must_have} for a in train]
        took[every] = (time.perf_counter() - start) / len(train) * 1000
    same = sum(x == y for x, y in zip(found[False], found[True], strict=True))
    print(f"  drafting the {len(train)} training ads: {took[False]:.0f} ms per ad with the span filter, "
          f"{took[True]:.0f} ms linking every span; same must-haves in {same}/{len(train)} ads")


def esco_descriptions(esco: Path, limit: int, model: Requiredness, ads: list[dict]) -> None:
    essential: dict[str, set[str]] = defaultdict(set)
    for row in _csv(esco / "occupationSkillRelations_en.csv.gz"):
        if row["relationType"] == "essential":
            essential[row["occupationUri"]].add(row["skillUri"])
    # Each text reads like an ad: the occupation's name as its title line, its description below.
    descriptions = {lang: {r["conceptUri"]: r["preferredLabel"] + "\n" + re.sub(r"\s+", " ", r["description"])
                           for r in _csv(esco / f"occupations_{lang}.csv.gz") if r["description"].strip()}
                    for lang in ("fr", "nl", "en")}
    # A fixed sample by a hash of the URI: the same occupations every run, none chosen by looking.
    uris = sorted((u for u in essential if all(descriptions[lang].get(u, "").strip() for lang in descriptions)),
                  key=lambda u: zlib.crc32(u.encode()))[:limit]
    with tempfile.TemporaryDirectory(prefix="blindmatch-draft-") as folder:
        engine = make_engine(f"sqlite:///{folder}/taxonomy.db")
        try:
            upgrade(engine)
            with Session(engine) as session:
                start = time.perf_counter()
                taxonomy.load_seed(session)
                import_esco(session, esco, languages=("en", "fr", "nl"))
                session.commit()
                linker = taxonomy.snapshot(session).linker
                built = time.perf_counter() - start
                peer = KeywordPeer(linker)
                print(f"\nWith ESCO imported (product taxonomy imported and fitted in {built:.0f} s):")
                timing(ads, linker, model)
                print(f"ESCO occupation descriptions against their essential skills: {len(uris)} occupations "
                      f"(fixed sample)")
                print(f"{'system':44} {'lang':>4} {'P must':>7} {'R must':>7} {'proposed':>9} {'gold':>5}")
                for lang in ("fr", "nl", "en"):
                    start = time.perf_counter()
                    mine, theirs, anything = [], [], []
                    for uri in uris:
                        text = descriptions[lang][uri]
                        draft = draft_vacancy(text, linker=linker, lang=lang, model=model)
                        gold = essential[uri]
                        mine.append(({i.concept_id for i in draft.must_have}, gold))
                        anything.append(({i.concept_id for i in draft.must_have + draft.nice_to_have}, gold))
                        theirs.append((peer.find(text), gold))
                    took = (time.perf_counter() - start) / len(uris) * 1000
                    for name, pairs in ((f"extractor ({took:.0f} ms per text)", mine),
                                        ("  its skills whatever the probability", anything),
                                        ("keyword lookup peer", theirs)):
                        p, r, proposed, gold_n = scores(pairs)
                        print(f"{name:44} {lang:>4} {p:7.3f} {r:7.3f} {proposed:9d} {gold_n:5d}")
        finally:
            engine.dispose()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fit", action="store_true", help="refit the requiredness model on the train ads")
    parser.add_argument("--dev", action="store_true", help="development ads only, with their misses")
    parser.add_argument("--esco", action="store_true", help="also ESCO descriptions (imports ESCO, ~1 min)")
    parser.add_argument("--esco-data", type=Path, default=DEFAULT_ESCO)
    parser.add_argument("--esco-limit", type=int, default=60, help="occupations sampled from ESCO")
    args = parser.parse_args(argv)
    ads = json.loads(ADS.read_text(encoding="utf-8")) + json.loads(DEV_ADS.read_text(encoding="utf-8"))
    linker = seed_linker()
    if args.fit:
        model = fit(ads, linker)
        MODEL_PATH.write_text(model.to_json(), encoding="utf-8")
        print(f"  wrote {MODEL_PATH.relative_to(ROOT)} (spotting from {model.min_confidence})")
    model = req.load()
    print("Seed taxonomy:")
    if args.dev:
        for split in ("train", "dev", "dev2"):
            job_ads(ads, linker, model, split=split, misses=True)
        return
    timing(ads, linker, model)
    job_ads(ads, linker, model)
    if args.esco:
        esco_descriptions(args.esco_data, args.esco_limit, model, ads)


if __name__ == "__main__":
    main()
