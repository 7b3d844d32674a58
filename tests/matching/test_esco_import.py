"""Importing the ESCO CSV export: the real v1.1.1 files, and a small hand-made export in plain `.csv`."""

from __future__ import annotations

import csv
import gzip
import os
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from matching.errors import InvalidInput
from matching.store.db import make_engine
from matching.store.esco_import import import_esco
from matching.store.migrate import upgrade
from matching.store.models import Concept, ConceptLabel, ConceptRelation, MetaValue

ESCO_DIR = Path(__file__).resolve().parents[2].parent / "shared/data/esco-v1.1.1"
POSTGRES_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
SKILL = "http://data.europa.eu/esco/skill/"
OCCUPATION = "http://data.europa.eu/esco/occupation/"


def _missing(what: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} is missing and CI=true")
    pytest.skip(f"{what} is missing")


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path}/t.db")
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def postgres_engine() -> Iterator[Engine]:
    """A throwaway PostgreSQL database, dropped afterwards."""
    admin = sqlalchemy.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"esco_test_{uuid.uuid4().hex[:8]}"
    try:
        with admin.connect() as connection:
            connection.execute(sqlalchemy.text(f'CREATE DATABASE "{name}"'))
    except sqlalchemy.exc.OperationalError:
        admin.dispose()
        _missing(f"PostgreSQL at {POSTGRES_ADMIN_URL}")
    engine = make_engine(POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}")
    try:
        upgrade(engine)
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as connection:
            connection.execute(sqlalchemy.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def engine(request: pytest.FixtureRequest) -> Engine:
    return request.getfixturevalue(f"{request.param}_engine")


def _rows(session: Session) -> tuple[set, set, set]:
    """Everything a reader of the taxonomy sees (label ids left out: they are surrogate keys)."""
    concepts = set(session.exec(select(Concept.id, Concept.kind, Concept.source, Concept.isco_group)).all())
    labels = set(session.exec(
        select(ConceptLabel.concept_id, ConceptLabel.lang, ConceptLabel.label, ConceptLabel.preferred)
    ).all())
    relations = set(session.exec(
        select(ConceptRelation.concept_id, ConceptRelation.relation, ConceptRelation.target_id)
    ).all())
    return concepts, labels, relations


def _labels(session: Session, concept_id: str, lang: str) -> dict[str, bool]:
    rows = session.exec(
        select(ConceptLabel.label, ConceptLabel.preferred).where(
            ConceptLabel.concept_id == concept_id, ConceptLabel.lang == lang
        )
    ).all()
    return dict(rows)


def test_the_official_export_imports_completely_and_twice_the_same(sqlite_engine: Engine) -> None:
    if not ESCO_DIR.is_dir():
        _missing(f"the ESCO export at {ESCO_DIR}")
    with Session(sqlite_engine) as session:
        report = import_esco(session, ESCO_DIR)
        session.commit()
        first = _rows(session)
        version = session.get(MetaValue, "taxonomy_version")
        assert version is not None and version.value == report.taxonomy_version

    assert (report.skills, report.occupations, report.isco_groups) == (13_896, 3_007, 619)
    assert report.skipped_files == []
    kinds = Counter(kind for _id, kind, _source, _group in first[0])
    # ISCO groups are occupation concepts too (tests/matching/test_isco_groups.py)
    assert kinds == {"skill": 13_896, "occupation": 3_007 + 619}
    # 67 of the 123,855 occupation-skill rows name an occupation the export does not list.
    assert report.relations["essential"] == 64_891
    assert report.relations["optional"] == 58_897
    assert 123_700 < report.relations["essential"] + report.relations["optional"] <= 123_855
    assert report.relations_skipped == 67
    assert report.relations["related_essential"] + report.relations["related_optional"] == 5_899
    assert report.relations["broader"] > 7_000
    assert set(report.labels) == {"en", "fr", "nl"} and report.labels["en"] > 100_000
    # Dutch is partial in this copy: fewer labels than French, but there.
    assert report.labels["fr"] > report.labels["nl"] > 2_000

    with Session(sqlite_engine) as session:
        # "manage musical staff", as French and English users search it
        assert _labels(session, f"{SKILL}0005c151-5b5a-4a66-8aac-60e734beb1ab", "fr") == {
            "gérer le personnel musical": True
        }
        english = _labels(session, f"{SKILL}0005c151-5b5a-4a66-8aac-60e734beb1ab", "en")
        assert english["manage musical staff"] is True and english["manage music staff"] is False
        technical_director = session.get(Concept, f"{OCCUPATION}00030d09-2b3a-4efd-87cc-c4ea39d27c34")
        assert technical_director is not None and technical_director.isco_group == "2654"

        again = import_esco(session, ESCO_DIR)
        session.commit()
        assert _rows(session) == first
        assert again.relations == report.relations and again.labels == report.labels
        assert again.isco_groups == report.isco_groups
        # nothing changed: the stamp stays, so no process rebuilds its taxonomy cache for nothing
        assert again.taxonomy_version == report.taxonomy_version and not again.changed


# --- a hand-made export, written as the official download names its files (plain .csv) -------------

S_OFFICES, S_SCRUBBER, S_TEAM, S_GHOST = (f"{SKILL}{name}" for name in ("office", "scrubber", "team", "gone"))
O_CLEANER, O_HEAD = f"{OCCUPATION}cleaner", f"{OCCUPATION}head-cleaner"


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


# Blank lines and repeats inside altLabels, as the export has them.
ALTERNATIVES = "office cleaning\nclean offices\n\n office cleaning "


def _tiny_export(directory: Path, *, office_alternatives: str = ALTERNATIVES) -> Path:
    directory.mkdir(exist_ok=True)
    skill_columns = ["conceptUri", "preferredLabel", "altLabels", "skillType", "reuseLevel", "description"]
    _write(directory / "skills_en.csv", skill_columns, [
        [S_OFFICES, "clean offices", office_alternatives, "skill/competence", "sector-specific", ""],
        [S_SCRUBBER, "operate floor scrubber", "", "skill/competence", "sector-specific", ""],
        [S_TEAM, "work in teams", "teamwork", "skill/competence", "transversal", ""],
    ])
    _write(directory / "skills_fr.csv", skill_columns, [
        [S_OFFICES, "nettoyer des bureaux", "nettoyage de bureaux", "skill/competence", "", ""],
        [S_SCRUBBER, "utiliser une autolaveuse", "", "skill/competence", "", ""],
    ])
    occupation_columns = ["conceptUri", "iscoGroup", "code", "preferredLabel", "altLabels", "description"]
    _write(directory / "occupations_en.csv", occupation_columns, [
        [O_CLEANER, "9112", "9112.1", "office cleaner", "cleaner of offices", ""],
        [O_HEAD, "5151", "5151.2", "head cleaner", "", ""],
    ])
    _write(directory / "broaderRelationsSkillPillar_en.csv",
           ["conceptType", "conceptUri", "broaderType", "broaderUri"], [
               ["KnowledgeSkillCompetence", S_SCRUBBER, "KnowledgeSkillCompetence", S_OFFICES],
               ["KnowledgeSkillCompetence", S_OFFICES, "SkillGroup", f"{SKILL}S6.1"],
           ])
    _write(directory / "occupationSkillRelations_en.csv",
           ["occupationUri", "relationType", "skillType", "skillUri"], [
               [O_CLEANER, "essential", "skill/competence", S_OFFICES],
               [O_CLEANER, "optional", "skill/competence", S_SCRUBBER],
               [O_CLEANER, "essential", "skill/competence", S_GHOST],
               [O_HEAD, "essential", "skill/competence", S_TEAM],
           ])
    _write(directory / "skillSkillRelations_en.csv",
           ["originalSkillUri", "originalSkillType", "relationType", "relatedSkillType", "relatedSkillUri"],
           [[S_OFFICES, "skill/competence", "optional", "skill/competence", S_SCRUBBER]])
    return directory


def _add_seed(session: Session) -> None:
    """Two seed concepts of the project's own, one of them sharing an id with an ESCO skill."""
    session.add(Concept(id="bm:skill:cleaning", kind="skill", source="seed", sector="cleaning"))
    session.add(Concept(id=S_TEAM, kind="skill", source="seed"))
    session.flush()
    session.add(ConceptLabel(concept_id="bm:skill:cleaning", lang="fr", label="nettoyage", preferred=True))
    session.add(ConceptLabel(concept_id=S_TEAM, lang="en", label="teamwork (seed)", preferred=True))
    session.add(ConceptRelation(concept_id="bm:skill:cleaning", relation="broader", target_id=S_TEAM))
    session.commit()


def test_plain_csv_export_imports_without_touching_seed_concepts(engine: Engine, tmp_path: Path) -> None:
    export = _tiny_export(tmp_path / "esco")
    stages: dict[str, tuple[int, int]] = {}
    with Session(engine) as session:
        _add_seed(session)
        seed_before = {row for row in _rows(session)[1] if row[0] in ("bm:skill:cleaning", S_TEAM)}
        report = import_esco(
            session, export, progress=lambda stage, done, total: stages.update({stage: (done, total)})
        )
        session.commit()

        assert (report.skills, report.occupations, report.seed_conflicts) == (2, 2, 1)
        assert any("skills_nl" in note for note in report.skipped_files)
        assert any("broaderRelationsOccPillar" in note for note in report.skipped_files)
        assert report.isco_groups == 0 and any("ISCOGroups_en" in note for note in report.skipped_files)
        # blank lines and repeats inside altLabels collapse; the preferred label stays preferred
        assert _labels(session, S_OFFICES, "en") == {"clean offices": True, "office cleaning": False}
        assert _labels(session, S_OFFICES, "fr") == {
            "nettoyer des bureaux": True, "nettoyage de bureaux": False
        }
        assert session.get(Concept, O_CLEANER).isco_group == "9112"
        assert report.labels == {"en": 6, "fr": 3}

        concepts, labels, relations = _rows(session)
        assert (S_TEAM, "skill", "seed", None) in concepts
        assert {row for row in labels if row[0] in ("bm:skill:cleaning", S_TEAM)} == seed_before
        assert relations == {
            ("bm:skill:cleaning", "broader", S_TEAM),
            (S_SCRUBBER, "broader", S_OFFICES),
            (O_CLEANER, "essential", S_OFFICES),
            (O_CLEANER, "optional", S_SCRUBBER),
            (S_OFFICES, "related_optional", S_SCRUBBER),
        }
        # the ghost skill and the relation to the seed-owned id are left out, and said so
        assert report.relations_skipped == 2
        assert all(done == total for done, total in stages.values())
        assert {"concepts", "labels", "relations"} <= set(stages)

        first = _rows(session)
        again = import_esco(session, export)
        session.commit()
        assert _rows(session) == first
        assert again.taxonomy_version == report.taxonomy_version and not again.changed


def test_reimport_follows_the_export_and_keeps_other_languages(sqlite_engine: Engine, tmp_path: Path) -> None:
    with Session(sqlite_engine) as session:
        import_esco(session, _tiny_export(tmp_path / "v1"))
        session.commit()
        newer = _tiny_export(tmp_path / "v2", office_alternatives="cleaning of offices")
        (newer / "skills_fr.csv").unlink()
        newer_report = import_esco(session, newer, languages=("en",))
        session.commit()
        assert newer_report.changed  # a label changed: a new stamp, every process rebuilds its linker
        # the label the newer export dropped is gone, the new one is there
        assert _labels(session, S_OFFICES, "en") == {"clean offices": True, "cleaning of offices": False}
        # a French user still finds the skill: an English-only import leaves French labels alone
        assert "nettoyer des bureaux" in _labels(session, S_OFFICES, "fr")


def test_a_gzip_export_reads_like_the_plain_one(sqlite_engine: Engine, tmp_path: Path) -> None:
    plain = _tiny_export(tmp_path / "plain")
    packed = tmp_path / "packed"
    packed.mkdir()
    for path in plain.iterdir():
        (packed / f"{path.name}.gz").write_bytes(gzip.compress(path.read_bytes()))
    with Session(sqlite_engine) as session:
        from_plain = import_esco(session, plain)
        from_gzip = import_esco(session, packed)
    assert (from_gzip.skills, from_gzip.labels, from_gzip.relations) == (
        from_plain.skills, from_plain.labels, from_plain.relations
    )


def test_a_file_without_its_columns_is_refused_by_name(sqlite_engine: Engine, tmp_path: Path) -> None:
    export = _tiny_export(tmp_path / "esco")
    _write(export / "skills_en.csv", ["conceptUri", "altLabels"], [[S_OFFICES, ""]])
    with Session(sqlite_engine) as session, pytest.raises(InvalidInput, match="preferredLabel"):
        import_esco(session, export)


def test_a_directory_without_esco_files_is_refused(sqlite_engine: Engine, tmp_path: Path) -> None:
    with Session(sqlite_engine) as session, pytest.raises(InvalidInput, match="skills_en"):
        import_esco(session, tmp_path)
