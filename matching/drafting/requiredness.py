"""The probability that an employer requires what a mention names, from the cue features around it.

A logistic regression over matching.drafting.cues.FEATURES, fitted by scikit-learn on the training
ads of benchmarks/data/job_ads (`python benchmarks/draft_extraction.py --fit`) and stored as plain
coefficients in matching/data/draft_requiredness.json, so the service needs no model file format.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from matching.drafting.cues import FEATURES
from matching.drafting.spotting import DEFAULT_MIN_CONFIDENCE

MODEL_PATH = Path(__file__).resolve().parent.parent / "data" / "draft_requiredness.json"
# A proposed item is a must-have from this probability on; below it, a nice-to-have.
MUST_FROM = 0.5


@dataclass(frozen=True)
class Requiredness:
    """Coefficients per feature and an intercept: p = sigmoid(intercept + sum of coefficients present)."""

    coefficients: Mapping[str, float]
    intercept: float
    min_confidence: float = DEFAULT_MIN_CONFIDENCE  # the spotting threshold chosen with the fit

    def probability(self, features: Mapping[str, bool]) -> float:
        z = self.intercept + sum(w for name, w in self.coefficients.items() if features.get(name))
        return 1.0 / (1.0 + math.exp(-z))

    def to_json(self) -> str:
        return json.dumps({"features": list(FEATURES), "intercept": self.intercept,
                           "coefficients": dict(self.coefficients), "min_confidence": self.min_confidence},
                          indent=1) + "\n"


def vector(features: Mapping[str, bool]) -> np.ndarray:
    """The features as a 0/1 row in FEATURES order (what the fit reads)."""
    return np.array([1.0 if features.get(name) else 0.0 for name in FEATURES])


def fit(rows: list[Mapping[str, bool]], required: list[bool], *, c: float = 1.0) -> Requiredness:
    """Fit the logistic regression on labelled mentions (scikit-learn, L2, fixed solver)."""
    from sklearn.linear_model import LogisticRegression  # only the fit needs it

    model = LogisticRegression(C=c, solver="lbfgs", max_iter=1000)
    model.fit(np.vstack([vector(r) for r in rows]), np.asarray(required, dtype=int))
    return Requiredness({n: round(float(w), 4) for n, w in zip(FEATURES, model.coef_[0], strict=True)},
                        round(float(model.intercept_[0]), 4))


# Before any fit: what the cue words say on their face, for a first run and for tests.
RULES = Requiredness(
    {"own_must": 2.5, "lead_must": 1.5, "trail_must": 0.8, "own_plus": -3.0, "lead_plus": -2.0,
     "trail_plus": -1.0, "section_plus": -2.0, "section_profile": 1.0, "section_tasks": -1.0,
     "task_cue": -0.5, "offer_cue": -1.0, "negated_must": -2.5, "experience_cue": 0.5, "is_language": 1.0},
    -0.3,
)


def load(path: Path = MODEL_PATH) -> Requiredness:
    """The fitted coefficients, or the face-value rules when none were fitted."""
    if not path.exists():
        return RULES
    data = json.loads(path.read_text(encoding="utf-8"))
    return Requiredness({n: float(w) for n, w in data["coefficients"].items()}, float(data["intercept"]),
                        float(data.get("min_confidence", DEFAULT_MIN_CONFIDENCE)))
