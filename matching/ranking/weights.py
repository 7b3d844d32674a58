"""The score's components and what each weighs by default (explanations check their sums against these)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

COMPONENTS: tuple[str, ...] = ("skills", "must_have", "languages", "mobility", "availability")
DEFAULT_WEIGHTS: Mapping[str, float] = MappingProxyType(
    {"skills": 0.15, "must_have": 0.40, "languages": 0.20, "mobility": 0.15, "availability": 0.10}
)
