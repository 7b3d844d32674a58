"""Belgian postcodes with coordinates: the project's Brussels seed file and the full GeoNames table."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Table, bindparam, insert, select, update
from sqlmodel import Session, SQLModel

from matching.errors import InvalidInput
from matching.store.esco_import import read_columns
from matching.store.models import Postcode

SEED_POSTCODES_PATH = Path(__file__).resolve().parent.parent / "data" / "brussels_postcodes.csv"

_POSTCODE: Table = SQLModel.metadata.tables["postcode"]


def _number(value: str, *, path: Path, line: int, column: str) -> float:
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        raise InvalidInput(f"{path.name}, line {line}: '{value}' in column '{column}' is not a number.",
                           code="invalid_number", field=column)
    return number


def _postcode(value: str, *, path: Path, line: int) -> str:
    postcode = value.strip()
    # Belgian postcodes are four digits; the API validates them the same way.
    if len(postcode) != 4 or not postcode.isdigit():
        raise InvalidInput(f"{path.name}, line {line}: '{value}' is not a four-digit Belgian postcode.",
                           code="invalid_postcode", field="postcode")
    return postcode


def load_seed_postcodes(session: Session, *, path: Path = SEED_POSTCODES_PATH) -> int:
    """Insert the project's Brussels postcodes where missing (an imported table wins); returns rows added."""
    rows = read_columns(path, ("postcode", "place_name_fr", "place_name_nl", "region_code", "lat", "lon"))
    session.flush()  # pending ORM rows first, so the Core statements below see them
    existing = set(session.execute(select(_POSTCODE.c.postcode)).scalars())
    added: dict[str, dict[str, Any]] = {}
    for line, (code, name_fr, name_nl, region, lat, lon) in enumerate(rows, start=2):
        postcode = _postcode(code, path=path, line=line)
        if postcode in existing or postcode in added:
            continue
        name_fr, name_nl = name_fr.strip(), name_nl.strip()
        # Brussels is bilingual: show both names, as its street signs do, unless they are the same word.
        names = [name for name in dict.fromkeys((name_fr, name_nl)) if name]
        added[postcode] = {
            "postcode": postcode,
            "place_name": " / ".join(names),
            "region_code": region.strip() or None,
            "lat": _number(lat, path=path, line=line, column="lat"),
            "lon": _number(lon, path=path, line=line, column="lon"),
        }
    if added:
        session.execute(insert(_POSTCODE), list(added.values()))
        session.expire_all()
    return len(added)


@dataclass(frozen=True)
class PostcodeImport:
    """What a postcode import read and wrote: the table has more rows than postcodes (places share them)."""

    rows: int  # data rows of the file
    postcodes: int  # distinct postcodes among them
    added: int
    updated: int

    @property
    def shared_rows(self) -> int:
        """Rows naming a postcode an earlier row already gave (3700 covers Tongeren and 18 villages)."""
        return self.rows - self.postcodes


def import_postcodes(session: Session, path: Path) -> int:
    """Upsert every postcode of a GeoNames-derived Belgian table; returns the number of postcodes in it."""
    return import_postcode_table(session, path).postcodes


def import_postcode_table(session: Session, path: Path) -> PostcodeImport:
    """Upsert every postcode of a GeoNames-derived Belgian table; says how many rows, postcodes, changes."""
    path = Path(path)
    if not path.is_file():
        raise InvalidInput(f"{path} is not a file; point to the postcode CSV (e.g. be_postcodes.csv).",
                           code="not_found", field="path")
    rows = read_columns(
        path,
        ("postcode", "place_name", "lat", "lon"),
        optional=("region_code", "municipality_name_fr", "municipality_name_nl"),
    )
    # Several places share a postcode (3700 covers Tongeren and 18 villages). One row stands for all:
    # the first whose place is the municipality itself, else the first row. Its name and coordinates
    # are kept together (no average), so the point is the main town, where most of the people live.
    chosen: dict[str, dict[str, Any]] = {}
    is_town: dict[str, bool] = {}
    for line, (code, place, lat, lon, region, name_fr, name_nl) in enumerate(rows, start=2):
        postcode = _postcode(code, path=path, line=line)
        place, region, name_fr, name_nl = place.strip(), region.strip(), name_fr.strip(), name_nl.strip()
        if not place:
            raise InvalidInput(f"{path.name}, line {line}: the place name is empty.",
                               code="required", field="place_name")
        town = place.casefold() in {name_fr.casefold(), name_nl.casefold()}
        if town and region == "BRU":
            # Same bilingual name as the seed file gives, so importing the table does not rename Brussels.
            place = " / ".join(dict.fromkeys(name for name in (name_fr, name_nl) if name))
        if postcode in chosen and (is_town[postcode] or not town):
            continue
        chosen[postcode] = {
            "postcode": postcode,
            "place_name": place,
            "region_code": region or None,
            "lat": _number(lat, path=path, line=line, column="lat"),
            "lon": _number(lon, path=path, line=line, column="lon"),
        }
        is_town[postcode] = town

    session.flush()  # pending ORM rows first, so the Core statements below see them
    existing = {row.postcode: row for row in session.execute(select(_POSTCODE))}
    new = [values for postcode, values in chosen.items() if postcode not in existing]
    changed = [
        {f"b_{key}": value for key, value in values.items()}
        for postcode, values in chosen.items()
        if postcode in existing
        and tuple(getattr(existing[postcode], key) for key in values) != tuple(values.values())
    ]
    if new:
        session.execute(insert(_POSTCODE), new)
    if changed:
        statement = (
            update(_POSTCODE)
            .where(_POSTCODE.c.postcode == bindparam("b_postcode"))
            .values(place_name=bindparam("b_place_name"), region_code=bindparam("b_region_code"),
                    lat=bindparam("b_lat"), lon=bindparam("b_lon"))
        )
        session.execute(statement, changed)
    # Core writes bypass the identity map: make any Postcode already loaded read its new values.
    session.expire_all()
    return PostcodeImport(rows=len(rows), postcodes=len(chosen), added=len(new), updated=len(changed))


def lookup(session: Session, postcode: str) -> Postcode | None:
    """The postcode's place and coordinates, or None when it is not known."""
    return session.get(Postcode, postcode.strip())
