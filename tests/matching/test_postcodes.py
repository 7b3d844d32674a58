"""Postcodes: the project's Brussels seed file, the full Belgian table a user imports, and lookups."""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from matching.errors import InvalidInput
from matching.store.db import make_engine
from matching.store.migrate import upgrade
from matching.store.models import Postcode
from matching.store.postcodes import SEED_POSTCODES_PATH, import_postcodes, load_seed_postcodes, lookup

BE_POSTCODES = Path(__file__).resolve().parents[2].parent / "shared/data/geo/be_postcodes.csv"
TABLE_COLUMNS = ["postcode", "place_name", "municipality_nis", "municipality_name_fr", "municipality_name_nl",
                 "region", "region_code", "province", "arrondissement", "lat", "lon"]
SEED_COLUMNS = ["postcode", "place_name_fr", "place_name_nl", "region_code", "lat", "lon"]


def _missing(what: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} is missing and CI=true")
    pytest.skip(f"{what} is missing")


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    engine: Engine = make_engine(f"sqlite:///{tmp_path}/t.db")
    upgrade(engine)
    with Session(engine) as session:
        yield session
    engine.dispose()


def _write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _table_row(postcode: str, place: str, lat: str, lon: str, *, fr: str = "", nl: str = "",
               region_code: str = "WAL") -> list[str]:
    return [postcode, place, "", fr, nl, "", region_code, "", "", lat, lon]


def _everything(session: Session) -> list[tuple]:
    return [tuple(row) for row in session.exec(
        select(Postcode.postcode, Postcode.place_name, Postcode.region_code, Postcode.lat, Postcode.lon)
        .order_by(Postcode.postcode)
    ).all()]


def test_the_belgian_table_imports_every_postcode_once(session: Session) -> None:
    if not BE_POSTCODES.is_file():
        _missing(f"the postcode table at {BE_POSTCODES}")
    assert import_postcodes(session, BE_POSTCODES) == 1_146
    session.commit()
    first = _everything(session)
    assert len(first) == 1_146

    ixelles = lookup(session, "1050")
    assert ixelles is not None and ixelles.region_code == "BRU"
    assert ixelles.place_name == "Ixelles / Elsene"  # Brussels in both languages
    assert 50.8 < ixelles.lat < 50.9 and 4.3 < ixelles.lon < 4.4
    # 3700 covers Tongeren and 18 villages; 1300 covers Limal and Wavre: the town names the postcode
    assert lookup(session, "3700").place_name == "Tongeren"
    assert lookup(session, "1300").place_name == "Wavre"
    assert lookup(session, "4000").place_name == "Liège"
    assert lookup(session, " 9000 ").place_name == "Gent"

    assert import_postcodes(session, BE_POSTCODES) == 1_146
    session.commit()
    assert _everything(session) == first


def test_shared_postcode_without_a_town_keeps_its_first_place(session: Session, tmp_path: Path) -> None:
    path = _write(tmp_path / "codes.csv", TABLE_COLUMNS, [
        _table_row("6600", "Bastogne", "50.0", "5.7", fr="Bastogne", nl="Bastenaken"),
        _table_row("6600", "Hardigny", "50.1", "5.8", fr="Bastogne", nl="Bastenaken"),
        _table_row("4001", "Hamlet A", "50.6", "5.5"),
        _table_row("4001", "Hamlet B", "50.7", "5.6"),
    ])
    assert import_postcodes(session, path) == 2
    first = lookup(session, "4001")
    assert first is not None and (first.place_name, first.lat, first.lon) == ("Hamlet A", 50.6, 5.5)
    assert lookup(session, "6600").place_name == "Bastogne"


def test_a_corrected_table_updates_what_was_imported(session: Session, tmp_path: Path) -> None:
    old = _write(tmp_path / "old.csv", TABLE_COLUMNS, [_table_row("5000", "Namur", "50.0", "4.0")])
    new = _write(tmp_path / "new.csv", TABLE_COLUMNS, [_table_row("5000", "Namur", "50.4669", "4.8675")])
    import_postcodes(session, old)
    assert lookup(session, "5000").lat == 50.0
    import_postcodes(session, new)
    session.commit()
    assert (lookup(session, "5000").lat, lookup(session, "5000").lon) == (50.4669, 4.8675)


@pytest.mark.parametrize("column", ["postcode", "place_name", "lat", "lon"])
def test_a_table_without_a_column_is_refused_by_name(session: Session, tmp_path: Path, column: str) -> None:
    header = [name for name in TABLE_COLUMNS if name != column]
    row = dict(zip(TABLE_COLUMNS, _table_row("1000", "Bruxelles", "50.85", "4.35"), strict=True))
    path = _write(tmp_path / "codes.csv", header, [[row[name] for name in header]])
    with pytest.raises(InvalidInput, match=f"'{column}'") as caught:
        import_postcodes(session, path)
    assert caught.value.field == column
    assert _everything(session) == []


def test_a_bad_row_is_refused_with_its_line(session: Session, tmp_path: Path) -> None:
    path = _write(tmp_path / "codes.csv", TABLE_COLUMNS, [
        _table_row("1000", "Bruxelles", "50.85", "4.35"),
        _table_row("1050", "Ixelles", "north", "4.36"),
    ])
    with pytest.raises(InvalidInput, match="line 3"):
        import_postcodes(session, path)
    short = _write(tmp_path / "short.csv", TABLE_COLUMNS, [_table_row("100", "Nowhere", "50.0", "4.0")])
    with pytest.raises(InvalidInput, match="four-digit"):
        import_postcodes(session, short)


def test_seed_postcodes_fill_gaps_and_never_overwrite(session: Session, tmp_path: Path) -> None:
    seed = _write(tmp_path / "brussels.csv", SEED_COLUMNS, [
        ["1000", "Bruxelles", "Brussel", "BRU", "50.8466", "4.3528"],
        ["1040", "Etterbeek", "Etterbeek", "BRU", "50.8361", "4.3863"],
        ["1050", "Ixelles", "Elsene", "BRU", "50.8331", "4.3667"],
    ])
    table = _write(tmp_path / "codes.csv", TABLE_COLUMNS, [
        _table_row("1040", "Etterbeek", "50.83", "4.38", fr="Etterbeek", nl="Etterbeek", region_code="BRU"),
    ])
    import_postcodes(session, table)
    assert load_seed_postcodes(session, path=seed) == 2
    assert load_seed_postcodes(session, path=seed) == 0
    session.commit()
    assert lookup(session, "1000").place_name == "Bruxelles / Brussel"
    assert lookup(session, "1040").lat == 50.83  # the imported table's row stays
    assert lookup(session, "1050").region_code == "BRU"


def test_the_project_seed_file_covers_brussels(session: Session) -> None:
    if not SEED_POSTCODES_PATH.is_file():
        _missing(f"the seed file {SEED_POSTCODES_PATH}")
    added = load_seed_postcodes(session)
    assert added >= 19  # at least one postcode per Brussels municipality
    assert {p.region_code for p in session.exec(select(Postcode))} == {"BRU"}
    assert lookup(session, "1000") is not None
    assert load_seed_postcodes(session) == 0


def test_an_unknown_postcode_is_not_found(session: Session) -> None:
    assert lookup(session, "9999") is None
