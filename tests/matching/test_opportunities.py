"""A profile's opportunities are exactly the vacancies whose shortlist could hold it, as scoring every vacancy
one by one finds them."""

from __future__ import annotations

import dataclasses

from hypothesis import given, settings
from hypothesis import strategies as st

from matching.ranking.opportunities import Fit, best_fits
from matching.ranking.scoring import ProfileIndex, score_all
from tests.matching.test_scoring import RELATED, profiles, vacancies


def brute_force(profile, jobs, related, limit):
    """Every vacancy scored; kept when eligible: the rule a shortlist applies, nothing more."""
    index = ProfileIndex().fit([profile])
    fits = []
    for vacancy in jobs:
        scores = score_all(index, vacancy, related=related)
        if scores.eligible[0]:
            fits.append(Fit(vacancy.vacancy_id, float(scores.score[0])))
    return sorted(fits, key=lambda fit: (-fit.score, fit.vacancy_id))[:limit]


@settings(max_examples=150, deadline=None)
@given(profile=profiles("p"), jobs=st.lists(vacancies(), max_size=8), related=RELATED,
       limit=st.none() | st.integers(1, 10))
def test_best_fits_are_the_brute_force_ones(profile, jobs, related, limit):
    jobs = [dataclasses.replace(job, vacancy_id=f"v{i}") for i, job in enumerate(jobs)]
    assert best_fits(profile, jobs, related=related, limit=limit) == brute_force(profile, jobs, related, limit)
