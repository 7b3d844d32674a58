"""The personal-data screen against writing tricks: detection per class, false positives, time per text.

Peers in the same run: the screen as it stood before normalisation (its three modules read from git at
`--before`), the screen as rebuilt with normalisation before the red team attacked it (`--rebuilt`), and
the current one. Detection is the share of generated variants of each class (tests/matching/screen_variants.py,
and the red-team classes of tests/matching/red_team_variants.py) in which the screen reports the kind the
variant hides; false positives are the share of ordinary texts in which it reports anything: the
hand-written pitch and skill sentences (tests/matching/ordinary_texts.py, red_team_ordinary.py) and the ESCO skill and
occupation labels in French, English and Dutch from ../shared/data (read there, never copied).

    .venv/bin/python -m benchmarks.screen [--variants 300] [--before 4e9c4a8] [--rebuilt 6a13cfd]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import re
import subprocess
import sys
import time
import types
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_ESCO = ROOT.parent / "shared" / "data" / "esco-v1.1.1"
BASE_COMMIT = "4e9c4a8"  # the screen before normalisation
Screen = Callable[[str], list[str]]


def esco_labels(esco: Path, *, preferred_only: bool = False) -> dict[str, list[str]]:
    """ESCO skill and occupation labels per file ("skills_fr", "occupations_nl"...), each label once."""
    sets: dict[str, list[str]] = {}
    csv.field_size_limit(sys.maxsize)
    for kind in ("skills", "occupations"):
        for language in ("fr", "en", "nl"):
            with gzip.open(esco / f"{kind}_{language}.csv.gz", "rt", encoding="utf-8") as handle:
                labels: dict[str, None] = {}
                for row in csv.DictReader(handle):
                    labels[row["preferredLabel"]] = None
                    if not preferred_only:
                        labels.update(dict.fromkeys(a for a in (row.get("altLabels") or "").split("\n") if a))
            sets[f"{kind}_{language}"] = [label for label in labels if label]
    return sets


def _keeper(found: list[tuple[str, str]]) -> Callable[[tuple[str, str]], None]:
    def keep(variant: tuple[str, str]) -> None:
        found.append(variant)

    return keep


def variants(count: int) -> dict[str, list[tuple[str, str]]]:
    """`count` generated variants of each class, the same ones at every run."""
    from hypothesis import HealthCheck, given, settings

    from tests.matching.red_team_variants import RED_TEAM_CLASSES
    from tests.matching.screen_variants import CLASSES

    drawn: dict[str, list[tuple[str, str]]] = {}
    for name, strategy in (CLASSES | RED_TEAM_CLASSES).items():
        drawn[name] = found = []
        collect = settings(max_examples=count, database=None, derandomize=True, deadline=None,
                           suppress_health_check=list(HealthCheck))(given(strategy)(_keeper(found)))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            collect()
    return drawn


_MODULES_BEFORE = ("numbers", "patterns", "personal_data")
# The screen as rebuilt with normalisation, which the red-team classes were written against; modules in the
# order they import each other.
REBUILT_COMMIT = "6a13cfd"
_MODULES_REBUILT = ("number_words", "normalise", "numbers", "patterns", "plates", "origin", "words", "personal_data")


def screen_at(commit: str, modules: tuple[str, ...] = _MODULES_BEFORE) -> Screen:
    """`find_personal_data` as it was at `commit`, imported beside the current one under another name."""
    package_name = f"screen_at_{commit}"
    package = types.ModuleType(package_name)
    package.__path__ = []
    sys.modules[package_name] = package
    for name in modules:
        source = subprocess.run(
            ["git", "show", f"{commit}:matching/privacy/{name}.py"], cwd=ROOT, check=True, capture_output=True,
            text=True,
        ).stdout
        source = re.sub(r"\bmatching\.privacy\b", package_name, source)
        module = types.ModuleType(f"{package_name}.{name}")
        sys.modules[module.__name__] = module
        exec(compile(source, f"{commit}:{name}.py", "exec"), module.__dict__)  # noqa: S102 - our own code at a commit
        setattr(package, name, module)
    return sys.modules[f"{package_name}.personal_data"].find_personal_data


def detection_rate(screen: Screen, drawn: list[tuple[str, str]]) -> float:
    return sum(kind in screen(text) for text, kind in drawn) / len(drawn)


def false_positives(screen: Screen, texts: list[str]) -> list[tuple[str, list[str]]]:
    return [(text, kinds) for text in texts if (kinds := screen(text))]


def microseconds_per_text(screen: Screen, texts: list[str]) -> float:
    started = time.perf_counter()
    for text in texts:
        screen(text)
    return (time.perf_counter() - started) / len(texts) * 1e6


def _rows(args: argparse.Namespace) -> Iterator[str]:
    from matching.privacy import find_personal_data
    from tests.matching.ordinary_texts import ORDINARY_TEXTS
    from tests.matching.red_team_ordinary import RED_TEAM_ORDINARY

    before = screen_at(args.before)
    rebuilt = screen_at(args.rebuilt, _MODULES_REBUILT)
    peers = (before, rebuilt, find_personal_data)
    drawn = variants(args.variants)
    header = f"{'n':>6} {'before':>8} {'rebuilt':>8} {'now':>8}"
    yield f"{'class (generated variants)':<46} {header}"
    all_variants: list[str] = []
    for name, found in drawn.items():
        all_variants.extend(text for text, _ in found)
        yield f"{name:<46} {len(found):>6} " + " ".join(f"{detection_rate(p, found):>8.1%}" for p in peers)
    yield ""
    yield f"{'false positives (ordinary texts)':<46} {header}"
    sets = {"hand-written pitch/skill sentences": ORDINARY_TEXTS, "red-team ordinary sentences": RED_TEAM_ORDINARY}
    sets.update({f"ESCO {name}": labels for name, labels in esco_labels(args.esco).items()})
    every_text: list[str] = []
    for name, texts in sets.items():
        every_text.extend(texts)
        rates = [false_positives(p, texts) for p in peers]
        yield f"{name:<46} {len(texts):>6} " + " ".join(f"{len(r) / len(texts):>8.3%}" for r in rates)
        for text, kinds in rates[-1][: args.show]:
            yield f"    flagged now: {', '.join(kinds)}: {text!r}"
    yield ""
    yield f"{'microseconds per text':<46} {header}"
    for name, texts in (("ordinary texts and ESCO labels", every_text), ("generated variants", all_variants)):
        yield f"{name:<46} {len(texts):>6} " + " ".join(f"{microseconds_per_text(p, texts):>8.0f}" for p in peers)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--variants", type=int, default=300, help="generated variants per class")
    parser.add_argument("--before", default=BASE_COMMIT, help="commit of the peer screen")
    parser.add_argument("--rebuilt", default=REBUILT_COMMIT, help="commit of the rebuilt screen the red team attacked")
    parser.add_argument("--esco", type=Path, default=DEFAULT_ESCO)
    parser.add_argument("--show", type=int, default=5, help="false positives to print per set")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    for row in _rows(args):
        print(row, flush=True)


if __name__ == "__main__":
    main()
