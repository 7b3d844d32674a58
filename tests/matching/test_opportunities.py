"""A profile's opportunities are exactly what scoring every vacancy one by one would keep."""

from __future__ import annotations

import dataclasses

from hypothesis import given, settings
from hypothesis import strategies as st

from matching.opportunities import Fit, best_fits
from matching.scoring import ProfileIndex, score_all
from tests.matching.test_scoring import RELATED, profiles, vacancies


def brute_force(profile, jobs, related, limit):
    """Every vacancy scored; kept when eligible and some asked skill is credited (or none is known)."""
    index = ProfileIndex().fit([profile])
    fits = []
    for vacancy in jobs:
        scores = score_all(index, vacancy, related=related)
        frame = scores.frame
        credited = (frame.must.source[0] >= 0).any() or (frame.nice.source[0] >= 0).any()
        asks_known = any(req.concept_id for req in (*vacancy.must_have, *vacancy.nice_to_have))
        if scores.eligible[0] and (credited or not asks_known):
            fits.append(Fit(vacancy.vacancy_id, float(scores.score[0])))
    return sorted(fits, key=lambda fit: (-fit.score, fit.vacancy_id))[:limit]


@settings(max_examples=150, deadline=None)
@given(profile=profiles("p"), jobs=st.lists(vacancies(), max_size=8), related=RELATED, limit=st.integers(1, 10))
def test_best_fits_are_the_brute_force_ones(profile, jobs, related, limit):
    jobs = [dataclasses.replace(job, vacancy_id=f"v{i}") for i, job in enumerate(jobs)]
    assert best_fits(profile, jobs, related=related, limit=limit) == brute_force(profile, jobs, related, limit)
