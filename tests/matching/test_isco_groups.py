"""ISCO groups from the ESCO export: imported as occupation concepts, tied to their members by broader
relations, and used by taxonomy search so a group's name finds the occupations in it."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from matching.services import taxonomy
from matching.store.esco_import import import_esco
from matching.store.models import Concept, ConceptRelation
from tests.matching import test_esco_import as esco_tests
from tests.matching.test_esco_import import (
    ESCO_DIR,
    O_CLEANER,
    O_HEAD,
    OCCUPATION,
    _labels,
    _missing,
    _rows,
    _tiny_export,
    _write,
)

# The importer tests' database fixtures (SQLite file, throwaway PostgreSQL), found by pytest by name.
sqlite_engine = esco_tests.sqlite_engine
postgres_engine = esco_tests.postgres_engine
engine = esco_tests.engine

ISCO = "http://data.europa.eu/esco/isco/C"
G_9, G_91, G_911, G_9112, G_5151 = (f"{ISCO}{code}" for code in ("9", "91", "911", "9112", "5151"))
O_PORTER = f"{OCCUPATION}porter"  # its ISCO group (9629) is not in the export
G_9112_FR = "Agents d’entretien dans les bureaux, les hôtels et autres établissements"
GROUP_COLUMNS = ["conceptUri", "code", "preferredLabel", "altLabels", "description"]


def _with_isco_groups(directory: Path) -> Path:
    """The hand-made export plus ISCO groups in three languages and the occupation pillar's hierarchy."""
    export = _tiny_export(directory)
    _write(export / "ISCOGroups_en.csv", GROUP_COLUMNS, [
        [G_9, "9", "Elementary occupations", "", "Elementary occupations involve..."],
        [G_91, "91", "Cleaners and helpers", "", ""],
        [G_911, "911", "Domestic, hotel and office cleaners and helpers", "", ""],
        [G_9112, "9112", "Cleaners and helpers in offices, hotels and other establishments", "", ""],
        [G_5151, "5151", "Cleaning and housekeeping supervisors in offices, hotels and other establishments",
         "", ""],
    ])
    _write(export / "ISCOGroups_fr.csv", GROUP_COLUMNS, [
        [G_9, "9", "Professions élémentaires", "", ""],
        [G_91, "91", "Aides de ménage", "", ""],
        [G_911, "911", "Aides de ménage et agents d’entretien à domicile et dans les hôtels et bureaux", "", ""],
        [G_9112, "9112", G_9112_FR, "nettoyeurs et aides dans les bureaux\n", ""],
        [G_5151, "5151", "Intendants et superviseurs des services de nettoyage", "", ""],
    ])
    _write(export / "ISCOGroups_nl.csv", GROUP_COLUMNS, [
        [G_9112, "9112", "Schoonmakers in hotels, kantoren e.d.", "", ""],
    ])
    _write(export / "occupations_fr.csv", ["conceptUri", "iscoGroup", "code", "preferredLabel", "altLabels"], [
        [O_CLEANER, "9112", "9112.1", "nettoyeur de bureaux/nettoyeuse de bureaux", ""],
        [O_HEAD, "5151", "5151.2", "chef d'équipe nettoyage", ""],
        [O_PORTER, "9629", "9629.3", "portier/portière", ""],
    ])
    _write(export / "broaderRelationsOccPillar_en.csv", ["conceptType", "conceptUri", "broaderType", "broaderUri"], [
        ["Occupation", O_CLEANER, "ISCOGroup", G_9112],
        ["Occupation", O_HEAD, "ISCOGroup", G_5151],
        ["ISCOGroup", G_9112, "ISCOGroup", G_911],
        ["ISCOGroup", G_911, "ISCOGroup", G_91],
        ["ISCOGroup", G_91, "ISCOGroup", G_9],
        ["ISCOGroup", G_5151, "ISCOGroup", f"{ISCO}515"],  # a group this export does not list
    ])
    return export


def test_isco_groups_become_occupations_with_labels_and_hierarchy(engine: Engine, tmp_path: Path) -> None:
    export = _with_isco_groups(tmp_path / "esco")
    with Session(engine) as session:
        report = import_esco(session, export)
        session.commit()

        # groups are counted apart, so the occupation count still means occupations
        assert (report.occupations, report.isco_groups) == (3, 5)
        assert not any("ISCOGroups" in note for note in report.skipped_files)
        group = session.get(Concept, G_9112)
        assert group is not None and (group.kind, group.source, group.isco_group) == ("occupation", "esco", None)
        assert _labels(session, G_9112, "fr") == {G_9112_FR: True, "nettoyeurs et aides dans les bureaux": False}
        assert _labels(session, G_9112, "en") == {
            "Cleaners and helpers in offices, hotels and other establishments": True
        }
        assert _labels(session, G_9112, "nl") == {"Schoonmakers in hotels, kantoren e.d.": True}
        # occupation labels of the same language are a share of their own, untouched by the group file
        assert _labels(session, O_CLEANER, "fr") == {"nettoyeur de bureaux/nettoyeuse de bureaux": True}

        cleaner = taxonomy.get_concept(session, O_CLEANER)
        assert cleaner["broader"] == [G_9112]
        page = taxonomy.get_concept(session, G_9112)
        assert (page["kind"], page["broader"], page["narrower"]) == ("occupation", [G_911], [O_CLEANER])
        assert taxonomy.get_concept(session, G_9)["narrower"] == [G_91]
        # the link to a group the export does not list is left out, like any row naming no concept
        assert taxonomy.get_concept(session, G_5151)["broader"] == []
        # the linker's groups: only occupations whose ISCO group was imported as a concept
        # Occupations to their unit group, and each group to the one a digit up (when imported).
        assert taxonomy._isco_groups(session) == {
            O_CLEANER: G_9112, O_HEAD: G_5151, G_9112: G_911, G_911: G_91, G_91: G_9,
        }

        first = _rows(session)
        again = import_esco(session, export)
        session.commit()
        assert _rows(session) == first
        assert (again.isco_groups, again.labels, again.relations) == (5, report.labels, report.relations)


def test_an_export_without_isco_groups_imports_the_rest_and_keeps_earlier_groups(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    older = _tiny_export(tmp_path / "older")
    with Session(sqlite_engine) as session:
        report = import_esco(session, older)
        session.commit()
        assert (report.skills, report.occupations, report.isco_groups) == (3, 2, 0)
        assert any("ISCOGroups_fr" in note for note in report.skipped_files)

        import_esco(session, _with_isco_groups(tmp_path / "newer"))
        session.commit()
        # an export missing a group file leaves that file's share alone while its occupations re-import
        again = import_esco(session, older, languages=("fr",))
        session.commit()
        assert again.isco_groups == 0
        assert G_9112_FR in _labels(session, G_9112, "fr")
        # and without an occupation pillar file the hierarchy the newer export brought stays as it was
        assert session.get(ConceptRelation, (O_CLEANER, "broader", G_9112)) is not None


def test_search_for_a_group_name_ranks_its_members_above_the_group(sqlite_engine: Engine, tmp_path: Path) -> None:
    with Session(sqlite_engine) as session:
        import_esco(session, _with_isco_groups(tmp_path / "esco"))
        session.commit()
        hits = taxonomy.search(session, q=G_9112_FR, lang="fr", kind="occupation", limit=10)
        found = [hit.concept_id for hit in hits]
        # Without the groups in the linker the group's own name would win outright.
        assert found.index(O_CLEANER) < found.index(G_9112)
        # Broader groups (911, 91) share words with it but are categories too: a job comes first.
        assert found[0] == O_CLEANER, found
        # Linking a typed occupation still reads each concept's own labels: the group is what was typed.
        assert taxonomy.link_labels(session, [G_9112_FR], kind="occupation")[0].concept_id == G_9112


def test_the_official_isco_groups_import_and_lend_their_names_to_members(sqlite_engine: Engine) -> None:
    if not ESCO_DIR.is_dir():
        _missing(f"the ESCO export at {ESCO_DIR}")
    with Session(sqlite_engine) as session:
        report = import_esco(session, ESCO_DIR)
        session.commit()
        assert (report.occupations, report.isco_groups) == (3_007, 619)
        g_2654 = f"{ISCO}2654"
        assert _labels(session, g_2654, "fr") == {
            "Metteurs en scène de cinéma, de théâtre et d’autres spectacles": True
        }
        assert set(taxonomy.get_concept(session, g_2654)["labels"]) == {"en", "fr", "nl"}
        # technical director -> artistic director (an occupation) -> the ISCO unit group 2654
        technical_director = f"{OCCUPATION}00030d09-2b3a-4efd-87cc-c4ea39d27c34"
        artistic_director = f"{OCCUPATION}cb93fd23-1f51-4495-867a-936c1967066b"
        assert taxonomy.get_concept(session, technical_director)["broader"] == [artistic_director]
        assert taxonomy.get_concept(session, artistic_director)["broader"] == [g_2654]
        assert artistic_director in taxonomy.get_concept(session, g_2654)["narrower"]
        # every occupation-to-group and group-to-group row of the export: 1,760 + 609
        to_groups = session.exec(select(ConceptRelation).where(ConceptRelation.target_id.startswith(ISCO))).all()
        assert len(to_groups) == 2_369

        members = set(session.exec(select(Concept.id).where(Concept.isco_group == "9112")))
        found = [hit.concept_id for hit in
                 taxonomy.search(session, q=G_9112_FR, lang="fr", kind="occupation", limit=50)]
        ranks = [found.index(member) for member in members if member in found]
        # The group's own name matches it exactly; the linker still puts a member above it.
        assert ranks and min(ranks) < (found.index(G_9112) if G_9112 in found else len(found))
