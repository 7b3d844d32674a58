"""Occupation linking on MELO bel_q_fr_c_fr: Belgian French job titles to ESCO French labels.

Every query goes through `ConceptLinker.search` (the path taxonomy search and vacancy
normalisation use). The taxonomy is built from the MELO corpus alone; its structure (which
occupation belongs to which ISCO unit group, whose name is itself a corpus concept) comes from the
ESCO export the product imports: each element's ESCO URI (concept_mapping.tsv) looked up in
occupations_fr (iscoGroup). Ranked concepts are expanded back to their corpus elements for a
TREC-style evaluation (MAP over the first 1000 elements as trec_eval computes it, MRR, success@k).
The linker without the structure and a plain character TF-IDF over the raw elements run beside it
as same-run peers, and the published MELO baselines are printed for comparison.

With `--product` a further row measures what the service itself does: the seed taxonomy and the ESCO
export go through `load_seed` and `import_esco` (ISCO groups included) into a temporary SQLite
database, every query goes through `matching.services.taxonomy.search` (kind occupation, lang fr, the
linker fitted with the ISCO groups as the service builds it), and each ESCO concept found is mapped
back to the corpus elements whose ESCO URI (concept_mapping.tsv) is that concept's id. It is behind a
flag because the import and the linker's fit over the whole taxonomy (skills and three languages) add
about 20 s.

Figures are printed on a held-out half of the queries (a seeded split, `--split-seed`) and on the full
set. Nothing in the linker is fitted on the other half: the split is there so that whatever is tuned
against this data is reported on queries it was not tuned on. The previous linker (as it read labels before gender
forms were handled and broke ties by concept id) runs in the same run as a peer.

A second table asks the same queries as job ads write them for women and for everyone: the head noun in
the feminine ("Bouchère (h/f/x)") and with its feminine ending after a slash ("Boucher/ère (h/f/x)").
Each head noun's feminine comes from the ESCO export's own "masculine/feminine" labels; queries whose
head noun has none stay as they are.

    python benchmarks/occupation_linking.py [--data DIR] [--esco DIR] [--run-file PATH] [--limit N] [--product]
                                            [--split-seed N]
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import gzip
import random
import re
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script from anywhere without installing the package

from sqlmodel import Session  # noqa: E402

from matching.language.linking import ConceptLinker, LabelRow, SearchHit  # noqa: E402
from matching.services import taxonomy  # noqa: E402
from matching.store.db import make_engine  # noqa: E402
from matching.store.esco_import import import_esco  # noqa: E402
from matching.store.migrate import upgrade  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "melo" / "bel_q_fr_c_fr"
DEFAULT_ESCO = ROOT.parent / "shared" / "data" / "esco-v1.1.1"
ISCO_PREFIX = "http://data.europa.eu/esco/isco/C"
DEPTH = 1000  # trec_eval's default cut-off
# Published on this dataset (README of the shared data): MAP, success@1.
PUBLISHED: list[tuple[str, float, float]] = [
    ("BM25", 0.194, 0.369),
    ("edit distance", 0.218, 0.360),
    ("word TF-IDF", 0.245, 0.421),
    ("char TF-IDF", 0.313, 0.399),
    ("BGE-M3", 0.393, 0.454),
    ("multilingual E5", 0.412, 0.476),
    ("E5", 0.476, 0.491),
    ("OpenAI embeddings", 0.493, 0.500),
]


def read_tsv(path: Path) -> list[list[str]]:
    """Rows of a tab-separated file without a header."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [row for row in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE) if row]


def load(data: Path) -> tuple[dict[str, str], dict[str, str], dict[str, set[str]]]:
    """Queries, corpus elements and relevant elements per query."""
    queries = {qid: text for qid, text in read_tsv(data / "queries.tsv")}
    corpus = {eid: text for eid, text in read_tsv(data / "corpus_elements.tsv")}
    qrels: dict[str, set[str]] = defaultdict(set)
    for qid, _, eid, grade in read_tsv(data / "annotations.tsv"):
        if int(grade) > 0:
            qrels[qid].add(eid)
    return queries, corpus, qrels


def concept_of(element_id: str) -> str:
    """C000123_fr_004 -> C000123: the element's concept."""
    return element_id.split("_", 1)[0]


def taxonomy_rows(corpus: dict[str, str]) -> list[LabelRow]:
    """Each corpus element as a French occupation label; suffix _000 is the preferred label."""
    return [
        LabelRow(concept_of(eid), "occupation", "fr", text, eid.endswith("_000"))
        for eid, text in corpus.items()
    ]


def isco_groups(data: Path, esco: Path) -> dict[str, str]:
    """Occupation concept -> the corpus concept naming its ISCO unit group (when both are in the corpus)."""
    uri_of = {concept_of(eid): uri for eid, uri in read_tsv(data / "concept_mapping.tsv")}
    named = {uri.removeprefix(ISCO_PREFIX): c for c, uri in uri_of.items() if uri.startswith(ISCO_PREFIX)}
    with gzip.open(esco / "occupations_fr.csv.gz", "rt", encoding="utf-8", newline="") as handle:
        group_code = {row["conceptUri"]: row["iscoGroup"] for row in csv.DictReader(handle)}
    return {c: named[group_code[uri]] for c, uri in uri_of.items()
            if group_code.get(uri) in named}


Ranking = list[tuple[str, float]]  # (element id, score), best first


class PreviousLinker(ConceptLinker):
    """The linker before gender forms and the tie-break by number of names: the same-run peer."""

    def __init__(self, **params: object) -> None:
        super().__init__(gender_forms=False, **params)  # type: ignore[arg-type]

    def _order(self, item):  # type: ignore[no-untyped-def]
        return -item.score, self.concept_ids_[item.concept]


def expand(concepts: list[tuple[str, float]], elements: dict[str, list[str]]) -> Ranking:
    """Concept ranking to element ranking, scores strictly decreasing so trec_eval keeps order."""
    ranking: Ranking = []
    last = float("inf")
    for concept, score in concepts:
        for eid in elements[concept]:
            last = min(score, last - 1e-6)
            ranking.append((eid, last))
            if len(ranking) == DEPTH:
                return ranking
    return ranking


def evaluate(runs: dict[str, Ranking], qrels: dict[str, set[str]]) -> dict[str, float]:
    """MAP@1000, MRR and success@1/5/10 over every judged query (unanswered queries count 0)."""
    ap, rr, hits = [], [], {1: [], 5: [], 10: []}
    for qid, relevant in qrels.items():
        ranked = [eid for eid, _ in runs.get(qid, [])][:DEPTH]
        found, precision_sum, first = 0, 0.0, 0
        for rank, eid in enumerate(ranked, start=1):
            if eid in relevant:
                found += 1
                precision_sum += found / rank
                first = first or rank
        ap.append(precision_sum / len(relevant))
        rr.append(1.0 / first if first else 0.0)
        for k in hits:
            hits[k].append(1.0 if first and first <= k else 0.0)
    return {"MAP": float(np.mean(ap)), "MRR": float(np.mean(rr)),
            **{f"S@{k}": float(np.mean(v)) for k, v in hits.items()}}


def timed(queries: dict[str, str], rank: Callable[[str], Ranking]) -> tuple[dict[str, Ranking], float]:
    """Run every query one at a time; returns runs and milliseconds per query."""
    start = time.perf_counter()
    runs = {qid: rank(text) for qid, text in queries.items()}
    return runs, 1000 * (time.perf_counter() - start) / max(len(queries), 1)


def char_tfidf_peer(corpus: dict[str, str]) -> Callable[[str], Ranking]:
    """Same-run peer: character TF-IDF cosine over raw lower-cased elements, no normalisation."""
    ids = list(corpus)
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), lowercase=True)
    matrix = vectorizer.fit_transform([corpus[eid] for eid in ids]).T.tocsr()

    def rank(query: str) -> Ranking:
        scores = (vectorizer.transform([query]) @ matrix).toarray().ravel()
        top = np.argsort(-scores, kind="stable")[:DEPTH]
        return [(ids[i], float(scores[i])) for i in top]

    return rank


@contextmanager
def imported_taxonomy(esco: Path) -> Iterator[tuple[Session, str]]:
    """A throwaway SQLite database holding the seed taxonomy and the ESCO export, as the service builds it.

    Yields the session (the product's linker fitted and warm) and a note on what the build cost.
    """
    with tempfile.TemporaryDirectory(prefix="blindmatch-melo-") as folder:
        engine = make_engine(f"sqlite:///{folder}/taxonomy.db")
        try:
            upgrade(engine)
            with Session(engine) as session:
                start = time.perf_counter()
                taxonomy.load_seed(session)  # as prepare_database does before any import
                report = import_esco(session, esco, languages=("en", "fr", "nl"))
                session.commit()
                imported = time.perf_counter() - start
                start = time.perf_counter()
                taxonomy.search(session, q="warm-up", lang="fr", kind="occupation", limit=1)
                built = time.perf_counter() - start
                yield session, (f"product taxonomy: {report.occupations} occupations + {report.isco_groups} "
                                f"ISCO groups imported {imported:.1f} s, linker fit {built:.1f} s")
        finally:
            engine.dispose()


@contextmanager
def product_ranker(
    data: Path, esco: Path, elements: dict[str, list[str]], limit: int
) -> Iterator[tuple[dict[str, Callable[[str], Ranking]], str]]:
    """Rank through the service's taxonomy search on a throwaway SQLite database built by its importer.

    Yields the product's ranker and the previous linker's on the same taxonomy, and a note on what the
    build cost and how much of the corpus it can answer.
    """
    concept_of_uri = {uri: concept_of(eid) for eid, uri in read_tsv(data / "concept_mapping.tsv")}
    with imported_taxonomy(esco) as (session, built):
        linker = taxonomy.snapshot(session).linker
        answerable = len(set(concept_of_uri) & set(linker.concept_ids_))
        note = f"{built}, {answerable}/{len(elements)} corpus concepts among its ids"

        def mapped(hits: list[SearchHit]) -> Ranking:
            # Seed concepts and ESCO concepts the MELO release lacks have no element to count.
            found = [(concept_of_uri[hit.concept_id], hit.score) for hit in hits
                     if hit.concept_id in concept_of_uri]
            return expand(found, elements)

        def rank(query: str) -> Ranking:
            return mapped(taxonomy.search(session, q=query, lang="fr", kind="occupation", limit=limit))

        # The previous linker on the same imported taxonomy, fitted as the service fits its own.
        previous = PreviousLinker().fit(linker.rows_, groups=taxonomy._isco_groups(session))
        previous.search("warm-up", lang="fr", kind="occupation")

        def rank_previous(query: str) -> Ranking:
            return mapped(previous.search(query, lang="fr", kind="occupation", limit=limit))

        yield {"product": rank, "product, previous linker": rank_previous}, note


def held_out(queries: dict[str, str], seed: int) -> set[str]:
    """The seeded held-out half of the query ids (the other half is where anything would be tuned)."""
    ids = sorted(queries)
    return set(random.Random(seed).sample(ids, len(ids) // 2))


def feminine_words(esco: Path) -> dict[str, str]:
    """Masculine word -> its feminine, lower-cased, from ESCO's "masculine/feminine" French labels."""
    pairs: dict[str, str] = {}
    with gzip.open(esco / "occupations_fr.csv.gz", "rt", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            for label in [row["preferredLabel"], *row["altLabels"].splitlines()]:
                sides = [side.strip().lower().split() for side in label.split("/")]
                if len(sides) != 2 or len(sides[0]) != len(sides[1]):
                    continue
                for masculine, feminine in zip(*sides, strict=True):
                    if masculine != feminine and masculine[:3] == feminine[:3]:
                        pairs.setdefault(masculine, feminine)
    return pairs


def _ending(masculine: str, feminine: str) -> str:
    """What a slash form writes after the masculine: "ère" for boucher/bouchère, "euse" for vendeur."""
    if masculine.endswith("eur") and feminine.endswith("euse"):
        return "euse"
    common = 0
    while common < min(len(masculine), len(feminine)) and masculine[common] == feminine[common]:
        common += 1
    return feminine[common:]


def gendered_queries(queries: dict[str, str], pairs: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """The queries with their head noun in the feminine, and with its feminine ending after a slash."""
    feminine, slashed = dict(queries), dict(queries)
    for qid, text in queries.items():
        match = re.match(r"\s*([\w’'-]+)", text)
        word = match.group(1) if match else ""
        if word.lower() not in pairs:
            continue
        other = pairs[word.lower()]
        other = other[:1].upper() + other[1:] if word[:1].isupper() else other
        rest = text[match.end():]
        feminine[qid] = other + rest
        slashed[qid] = f"{word}/{_ending(word.lower(), other.lower())}{rest}"
    return feminine, slashed


def write_run(path: Path, runs: dict[str, Ranking], tag: str) -> None:
    """TREC run file: query Q0 element rank score tag."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for qid in sorted(runs):
            for rank, (eid, score) in enumerate(runs[qid], start=1):
                handle.write(f"{qid} Q0 {eid} {rank} {score:.8f} {tag}\n")


def main(argv: list[str] | None = None) -> None:
    """Fit, run, evaluate and print the comparison tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--esco", type=Path, default=DEFAULT_ESCO, help="ESCO CSV export (for iscoGroup)")
    parser.add_argument("--run-file", type=Path, default=Path("/tmp/blindmatch-melo-run.trec"))
    parser.add_argument("--limit", type=int, default=50, help="concepts asked from search")
    parser.add_argument("--split-seed", type=int, default=14, help="seed of the held-out half")
    parser.add_argument("--product", action="store_true",
                        help="also rank through the service's own taxonomy built by import_esco (~40 s)")
    args = parser.parse_args(argv)

    queries, corpus, qrels = load(args.data)
    elements: dict[str, list[str]] = defaultdict(list)
    for eid in corpus:
        elements[concept_of(eid)].append(eid)
    held = held_out(queries, args.split_seed)
    held_qrels = {qid: rel for qid, rel in qrels.items() if qid in held}
    feminine, slashed = gendered_queries(queries, feminine_words(args.esco))
    gendered = sum(feminine[qid] != queries[qid] for qid in queries)

    groups = isco_groups(args.data, args.esco)
    start = time.perf_counter()
    linker = ConceptLinker().fit(taxonomy_rows(corpus), groups=groups)
    fit_seconds = time.perf_counter() - start
    previous = PreviousLinker().fit(taxonomy_rows(corpus), groups=groups)
    flat = ConceptLinker().fit(taxonomy_rows(corpus))

    def ranker(model: ConceptLinker) -> Callable[[str], Ranking]:
        def rank(query: str) -> Ranking:
            hits = model.search(query, lang="fr", kind="occupation", limit=args.limit)
            return expand([(hit.concept_id, hit.score) for hit in hits], elements)
        return rank

    for model in (linker, previous, flat):
        model.search("warm-up", lang="fr", kind="occupation")  # first-call imports are not per query
    rankers: dict[str, Callable[[str], Ranking]] = {}
    product_note = ""
    with contextlib.ExitStack() as stack:
        if args.product:
            product, product_note = stack.enter_context(product_ranker(args.data, args.esco, elements, args.limit))
            rankers.update({f"{name} (--product)": rank for name, rank in product.items()})
        rankers.update({
            "ConceptLinker.search (this run)": ranker(linker),
            "  previous linker (peer, this run)": ranker(previous),
            "  same, without ISCO groups": ranker(flat),
            "char TF-IDF, raw (peer, this run)": char_tfidf_peer(corpus),
        })
        results = {}
        for name, rank in rankers.items():
            runs, ms = timed(queries, rank)
            if name.startswith("ConceptLinker"):
                write_run(args.run_file, runs, "blindmatch")
            as_women = evaluate(timed(feminine, rank)[0], qrels)
            slashes = evaluate(timed(slashed, rank)[0], qrels)
            results[name] = (evaluate(runs, held_qrels), evaluate(runs, qrels), ms, as_women, slashes)

    print(f"MELO bel_q_fr_c_fr: {len(queries)} queries ({len(held)} held out, seed {args.split_seed}), "
          f"{len(corpus)} elements, {len(elements)} concepts ({len(groups)} in an ISCO unit group named in the "
          f"corpus); linker fit {fit_seconds:.1f} s; run file {args.run_file}")
    if product_note:
        print(product_note)
    header = (f"{'system':<38}{'MAP':>7}{'MRR':>7}{'S@1':>7}{'S@5':>7}{'S@10':>7} |{'MAP':>7}{'S@1':>7}"
              f"{'S@10':>7}{'ms/q':>8}")
    print(f"{'':<38}{'held-out half':^35} |{'all ' + str(len(queries)) + ' queries':^21}")
    print(header)
    print("-" * len(header))
    for name, (part, full, ms, _, _) in results.items():
        print(f"{name:<38}{part['MAP']:>7.3f}{part['MRR']:>7.3f}{part['S@1']:>7.3f}{part['S@5']:>7.3f}"
              f"{part['S@10']:>7.3f} |{full['MAP']:>7.3f}{full['S@1']:>7.3f}{full['S@10']:>7.3f}{ms:>8.2f}")
    for name, map_, s1 in PUBLISHED:
        print(f"{name + ' (published)':<38}{'':>35} |{map_:>7.3f}{s1:>7.3f}")
    print()
    print(f"Gender forms, all {len(queries)} queries ({gendered} with a head noun ESCO writes in both forms): "
          "as typed, head noun feminine (Bouchère), feminine ending after a slash (Boucher/ère)")
    header = f"{'system':<38}{'S@1':>7}{'S@1 f':>7}{'S@1 /':>7}{'MAP':>7}{'MAP f':>7}{'MAP /':>7}"
    print(header)
    print("-" * len(header))
    for name, (_, full, _, women, slashes) in results.items():
        print(f"{name:<38}{full['S@1']:>7.3f}{women['S@1']:>7.3f}{slashes['S@1']:>7.3f}"
              f"{full['MAP']:>7.3f}{women['MAP']:>7.3f}{slashes['MAP']:>7.3f}")


if __name__ == "__main__":
    main()
