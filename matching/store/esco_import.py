"""Import the official ESCO CSV export (v1.1.1 layout, `.csv` or `.csv.gz`) into the taxonomy tables.

ISCO groups (ISCOGroups_*.csv) are imported as occupation concepts too: their names are what people
often type ("Nettoyeurs et aides..."), and with them as concepts the occupation pillar's broader
relations (occupation -> ISCO group -> broader group) have both ends to point at.
"""

from __future__ import annotations

import csv
import gzip
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Select, Table, bindparam, delete, insert, select, update
from sqlmodel import Session, SQLModel

from matching.errors import InvalidInput
from matching.store import taxonomy_version

Progress = Callable[[str, int, int], None]

SOURCE = "esco"
# Rows per INSERT executemany: big enough to be fast, small enough to keep memory and progress steady.
CHUNK = 5000
DEFAULT_LANGUAGES = ("en", "fr", "nl")
# ISCO group URIs are this prefix plus the ISCO code; occupations give their group as the bare code.
ISCO_GROUP_URI = "http://data.europa.eu/esco/isco/C"

# Core tables, not ORM classes: a bulk executemany skips the per-object unit-of-work cost.
_CONCEPT: Table = SQLModel.metadata.tables["concept"]
_LABEL: Table = SQLModel.metadata.tables["concept_label"]
_RELATION: Table = SQLModel.metadata.tables["concept_relation"]

# concept file stem -> the kind of concept it lists; each file's labels are replaced as one share
_CONCEPT_FILES = {"skills": "skill", "occupations": "occupation", "ISCOGroups": "occupation"}
# broader-relation file stem -> the kind of concept at both ends (skill groups are no concepts here)
_BROADER_FILES = {
    "broaderRelationsSkillPillar": "skill",
    "broaderRelationsOccPillar": "occupation",
}


@dataclass
class EscoImportReport:
    """What an ESCO import wrote, per kind and language, and what it left out."""

    skills: int = 0
    occupations: int = 0
    isco_groups: int = 0  # ISCO groups, imported as occupation concepts but counted apart
    labels: dict[str, int] = field(default_factory=dict)  # lang -> labels written
    relations: dict[str, int] = field(default_factory=dict)  # relation kind -> rows written
    # occupation-skill and skill-skill rows naming an id that is no imported concept (or an unknown type)
    relations_skipped: int = 0
    seed_conflicts: int = 0  # ESCO ids already taken by a seed concept, left as they were
    skipped_files: list[str] = field(default_factory=list)  # files not found, with why it matters
    taxonomy_version: str = ""
    changed: bool = True  # False when the taxonomy was already exactly what the export holds


def import_esco(
    session: Session,
    directory: Path,
    *,
    languages: Sequence[str] = DEFAULT_LANGUAGES,
    progress: Progress | None = None,
) -> EscoImportReport:
    """Upsert ESCO skills and occupations with their labels and relations; flushes, never commits."""
    directory = Path(directory)
    if not directory.is_dir():
        raise InvalidInput(f"{directory} is not a directory; point to the unpacked ESCO CSV export.",
                           code="not_found", field="directory")
    report = EscoImportReport()
    before = taxonomy_version.fingerprint(session)
    notify: Progress = progress or (lambda _stage, _done, _total: None)
    # Pending ORM changes go first so the Core statements below see them.
    session.flush()

    concepts, labels = _read_concepts(directory, [lang.lower() for lang in languages], report)
    if not concepts:
        raise InvalidInput(f"No ESCO skills or occupations file in {directory} (e.g. skills_en.csv).",
                           code="missing_file", field="directory")
    known = _upsert_concepts(session, concepts, report, notify)
    _replace_labels(session, labels, known, report, notify)
    _replace_relations(session, directory, known, report, notify)

    # A second run of the same export changes nothing: the stamp stays, so no cache is rebuilt for nothing.
    report.changed = taxonomy_version.fingerprint(session) != before
    report.taxonomy_version = taxonomy_version.bump(session) if report.changed else taxonomy_version.current(session)
    # Core writes bypass the identity map: drop any loaded taxonomy rows so they are read afresh.
    session.expire_all()
    return report


# --- reading -------------------------------------------------------------------------------------


def find_file(directory: Path, stem: str) -> Path | None:
    """`stem.csv` as the official download names it, else the gzip-compressed `stem.csv.gz`."""
    for suffix in (".csv", ".csv.gz"):
        path = directory / f"{stem}{suffix}"
        if path.is_file():
            return path
    return None


def _find_relation_file(directory: Path, stem: str) -> Path | None:
    # Relations are language-independent; each language package of the export carries its own copy.
    found = find_file(directory, f"{stem}_en")
    if found is None:
        candidates = sorted(directory.glob(f"{stem}_*.csv")) + sorted(directory.glob(f"{stem}_*.csv.gz"))
        found = candidates[0] if candidates else None
    return found


def _open_text(path: Path) -> IO[str]:
    # utf-8-sig: spreadsheet tools re-save CSV files with a byte-order mark that would rename column one.
    if path.name.endswith(".gz"):
        return gzip.open(path, "rt", encoding="utf-8-sig", newline="")
    return path.open("r", encoding="utf-8-sig", newline="")


def read_columns(path: Path, required: Sequence[str], optional: Sequence[str] = ()) -> list[tuple[str, ...]]:
    """The named columns of every row (optional ones '' when absent); InvalidInput names a missing one."""
    try:
        with _open_text(path) as handle:
            reader = csv.reader(handle)
            header = [name.strip() for name in next(reader, [])]
            missing = [name for name in required if name not in header]
            if missing:
                raise InvalidInput(f"{path.name} has no column '{missing[0]}'; is this the right file?",
                                   code="missing_column", field=missing[0])
            positions = [header.index(name) if name in header else -1 for name in (*required, *optional)]
            width = len(header)
            rows = []
            for row in reader:
                if not row:
                    continue
                if len(row) < width:
                    row = row + [""] * (width - len(row))
                rows.append(tuple(row[i] if i >= 0 else "" for i in positions))
            return rows
    except (OSError, EOFError, UnicodeDecodeError, csv.Error) as exc:
        raise InvalidInput(f"{path.name} cannot be read as a UTF-8 CSV file: {exc}",
                           code="unreadable_file", field=path.name) from exc


def _split_labels(preferred: str, alternatives: str) -> list[str]:
    """Preferred label first, then one alternative per line, stripped and without repeats."""
    labels = [preferred.strip(), *(line.strip() for line in alternatives.splitlines())]
    return list(dict.fromkeys(label for label in labels if label))


def isco_group_id(code: str) -> str:
    """The concept id of the ISCO group an occupation's `iscoGroup` names ("9112" or its full URI)."""
    code = code.strip()
    return code if code.startswith(ISCO_GROUP_URI) else f"{ISCO_GROUP_URI}{code}"


def _is_isco_group(concept_id: str) -> bool:
    return concept_id.startswith(ISCO_GROUP_URI)


LabelKey = tuple[str, str]  # (lang, file stem): the unit in which labels are replaced


def _read_concepts(
    directory: Path, languages: Sequence[str], report: EscoImportReport
) -> tuple[dict[str, tuple[str, str | None]], dict[LabelKey, list[tuple[str, str, bool]]]]:
    """Concepts (id -> kind, isco group) and their labels per (lang, file stem) from every file found."""
    concepts: dict[str, tuple[str, str | None]] = {}
    labels: dict[LabelKey, list[tuple[str, str, bool]]] = {}
    for lang in dict.fromkeys(languages):
        for stem, kind in _CONCEPT_FILES.items():
            path = find_file(directory, f"{stem}_{lang}")
            if path is None:
                what = "ISCO group" if stem == "ISCOGroups" else kind
                report.skipped_files.append(f"{stem}_{lang}.csv: not found, no {lang} {what} labels imported")
                continue
            optional = ("iscoGroup",) if stem == "occupations" else ()
            rows = read_columns(path, ("conceptUri", "preferredLabel", "altLabels"), optional)
            group: dict[tuple[str, str], bool] = {}
            with_preferred: set[str] = set()
            for uri, preferred, alternatives, *rest in rows:
                uri = uri.strip()
                # Each file keeps to its share (an ISCO group only from ISCOGroups) so that a re-import
                # replacing one file's labels never meets labels another file wrote.
                if not uri or _is_isco_group(uri) != (stem == "ISCOGroups"):
                    continue
                if concepts.get(uri, (kind,))[0] != kind:
                    continue  # an id filed as both a skill and an occupation keeps its first kind
                isco_group = (rest[0].strip() or None) if rest else None
                if uri not in concepts or (isco_group and concepts[uri][1] is None):
                    concepts[uri] = (kind, isco_group)
                for position, label in enumerate(_split_labels(preferred, alternatives)):
                    # A concept listed twice keeps one preferred label: the first row's.
                    is_preferred = position == 0 and uri not in with_preferred
                    group[(uri, label)] = group.get((uri, label), False) or is_preferred
                with_preferred.add(uri)
            labels[(lang, stem)] = [(uri, label, flag) for (uri, label), flag in group.items()]
    return concepts, labels


# --- writing -------------------------------------------------------------------------------------


def _chunks(rows: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _upsert_concepts(
    session: Session, concepts: dict[str, tuple[str, str | None]], report: EscoImportReport, notify: Progress
) -> dict[str, str]:
    """Insert new ESCO concepts, update changed ones; returns every ESCO concept's kind by id."""
    existing = {row.id: row for row in session.execute(select(_CONCEPT.c.id, _CONCEPT.c.kind,
                                                                 _CONCEPT.c.source, _CONCEPT.c.isco_group))}
    new: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    for concept_id, (kind, isco_group) in concepts.items():
        row = existing.get(concept_id)
        if row is None:
            new.append({"id": concept_id, "kind": kind, "source": SOURCE, "sector": None,
                        "isco_group": isco_group})
        elif row.source != SOURCE:
            report.seed_conflicts += 1  # the project's own concept wins; ESCO never overwrites it
            continue
        elif (row.kind, row.isco_group) != (kind, isco_group):
            changed.append({"b_id": concept_id, "b_kind": kind, "b_isco_group": isco_group})
        if kind == "skill":
            report.skills += 1
        elif _is_isco_group(concept_id):
            report.isco_groups += 1
        else:
            report.occupations += 1
    total, done = len(new) + len(changed), 0
    notify("concepts", 0, total)
    for chunk in _chunks(new):
        session.execute(insert(_CONCEPT), list(chunk))
        done += len(chunk)
        notify("concepts", done, total)
    statement = (
        update(_CONCEPT)
        .where(_CONCEPT.c.id == bindparam("b_id"))
        .values(kind=bindparam("b_kind"), isco_group=bindparam("b_isco_group"))
    )
    for chunk in _chunks(changed):
        session.execute(statement, list(chunk))
        done += len(chunk)
        notify("concepts", done, total)
    esco = select(_CONCEPT.c.id, _CONCEPT.c.kind).where(_CONCEPT.c.source == SOURCE)
    return {concept_id: kind for concept_id, kind in session.execute(esco)}


def _esco_ids(kind: str | None = None) -> Select[Any]:
    query = select(_CONCEPT.c.id).where(_CONCEPT.c.source == SOURCE)
    return query.where(_CONCEPT.c.kind == kind) if kind else query


def _share_ids(stem: str) -> Select[Any]:
    """The ESCO concepts whose labels a concept file owns: occupations and ISCO groups apart."""
    query = _esco_ids(_CONCEPT_FILES[stem])
    if stem == "skills":
        return query
    in_groups = _CONCEPT.c.id.startswith(ISCO_GROUP_URI, autoescape=True)
    return query.where(in_groups if stem == "ISCOGroups" else ~in_groups)


def _replace_labels(
    session: Session,
    labels: dict[LabelKey, list[tuple[str, str, bool]]],
    known: dict[str, str],
    report: EscoImportReport,
    notify: Progress,
) -> None:
    """Each file read replaces its own share: ESCO labels of that language and file's concepts."""
    total = sum(len(rows) for rows in labels.values())
    done = 0
    notify("labels", 0, total)
    for (lang, stem), group in labels.items():
        session.execute(
            delete(_LABEL).where(_LABEL.c.lang == lang, _LABEL.c.concept_id.in_(_share_ids(stem)))
        )
        kind = _CONCEPT_FILES[stem]
        rows = [
            {"concept_id": uri, "lang": lang, "label": label, "preferred": preferred}
            for uri, label, preferred in group
            if known.get(uri) == kind
        ]
        for chunk in _chunks(rows):
            session.execute(insert(_LABEL), list(chunk))
            notify("labels", done + len(chunk), total)
            done += len(chunk)
        report.labels[lang] = report.labels.get(lang, 0) + len(rows)
        done += len(group) - len(rows)
    notify("labels", total, total)


RelationFile = tuple[list[str], str, list[tuple[str, str, str]]]  # kinds replaced, source kind, rows


def _relation_rows(directory: Path, known: dict[str, str], report: EscoImportReport) -> list[RelationFile]:
    """Per relation file found: the relation kinds it replaces, the source concepts' kind, its rows."""
    found: list[RelationFile] = []
    for stem, kind in _BROADER_FILES.items():
        path = _find_relation_file(directory, stem)
        if path is None:
            report.skipped_files.append(f"{stem}_en.csv: not found, no broader {kind} relations imported")
            continue
        # Skill rows mostly tie a skill to a skill group, which is no concept here: those are left out.
        # Occupation rows tie occupations and ISCO groups, all concepts when ISCOGroups was imported.
        pairs = ((s.strip(), t.strip()) for s, t in read_columns(path, ("conceptUri", "broaderUri")))
        rows = [(s, "broader", t) for s, t in pairs if known.get(s) == kind and known.get(t) == kind]
        found.append((["broader"], kind, rows))

    sources = (
        ("occupationSkillRelations", ("occupationUri", "skillUri"), "occupation", "", "occupation skills"),
        ("skillSkillRelations", ("originalSkillUri", "relatedSkillUri"), "skill", "related_", "skill links"),
    )
    for stem, columns, source_kind, prefix, what in sources:
        path = _find_relation_file(directory, stem)
        if path is None:
            report.skipped_files.append(f"{stem}_en.csv: not found, no {what} imported")
            continue
        kinds = [f"{prefix}essential", f"{prefix}optional"]
        rows = []
        for source, target, relation_type in read_columns(path, (*columns, "relationType")):
            source, target = source.strip(), target.strip()
            relation = prefix + relation_type.strip().lower()
            if relation in kinds and known.get(source) == source_kind and known.get(target) == "skill":
                rows.append((source, relation, target))
            else:
                report.relations_skipped += 1
        found.append((kinds, source_kind, rows))
    return found


def _replace_relations(
    session: Session, directory: Path, known: dict[str, str], report: EscoImportReport, notify: Progress
) -> None:
    """Each relation file read replaces the ESCO-to-ESCO relations of its kinds (seed ones stay)."""
    files = _relation_rows(directory, known, report)
    total = sum(len(rows) for _kinds, _source_kind, rows in files)
    done = 0
    notify("relations", 0, total)
    for kinds, source_kind, rows in files:
        session.execute(
            delete(_RELATION).where(
                _RELATION.c.relation.in_(kinds),
                _RELATION.c.concept_id.in_(_esco_ids(source_kind)),
                # NOT IN the few seed ids, not IN the many ESCO ids: with the latter SQLite probes the
                # primary key once per (source, target) pair, turning a re-import from 5 s into 100 s.
                _RELATION.c.target_id.not_in(select(_CONCEPT.c.id).where(_CONCEPT.c.source != SOURCE)),
            )
        )
        unique = list(dict.fromkeys(rows))
        done += len(rows) - len(unique)
        for chunk in _chunks(unique):
            session.execute(insert(_RELATION), [
                {"concept_id": source, "relation": relation, "target_id": target}
                for source, relation, target in chunk
            ])
            done += len(chunk)
            notify("relations", done, total)
        for _source, relation, _target in unique:
            report.relations[relation] = report.relations.get(relation, 0) + 1
    notify("relations", total, total)
