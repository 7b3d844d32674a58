"""The shortlist access rule is written once, in matching/store/access.py: no query elsewhere restates it.

A copy of the rule (an `employer_id` compared or `in_`-listed by hand) drifts the day the rule changes;
every query that decides whose vacancies or shortlists a caller reaches goes through matching/store/access.py.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RULE_HOME = ROOT / "matching" / "store" / "access.py"


def _mentions_employer_column(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "employer_id" or (
        isinstance(node, ast.Call) and any(_mentions_employer_column(arg) for arg in node.args)
    )


def _hand_written_rules(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Compare) and any(
            _mentions_employer_column(part) for part in (node.left, *node.comparators)
        ):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("in_", "not_in", "is_", "__eq__")
            and _mentions_employer_column(node.func.value)
        ):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
        if isinstance(node, ast.Name) and node.id == "LiaisonEmployer" and isinstance(node.ctx, ast.Load):
            if path.name not in ("access.py", "accounts.py", "models.py", "erasure.py"):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} (LiaisonEmployer)")
    return found


def test_no_query_outside_the_access_module_writes_the_employer_rule_itself():
    sources = [p for folder in ("matching", "api", "workers") for p in (ROOT / folder).rglob("*.py")]
    copies = [hit for path in sources if path != RULE_HOME for hit in _hand_written_rules(path)]
    assert copies == [], f"queries restating who follows an employer instead of matching/store/access.py: {copies}"
