"""On PostgreSQL, as production runs: the maintenance pass tells every process's index, through the
change log, that a profile went stale, once; reconfirming brings it back at the next look."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import update

from matching.services import profile_index
from matching.settings import get_settings
from matching.store.db import session_scope
from matching.store.models import Organisation, Profile, utcnow
from tests.factories import PROFILE
from workers import maintenance


def published_profile() -> str:
    with session_scope() as session:
        organisation = Organisation(name="Service", kind="counselling")
        session.add(organisation)
        session.flush()
        data = {name: PROFILE[name] for name in ("languages", "availability", "mobility", "preferences")}
        profile = Profile(organisation_id=organisation.id, data=data | {"skills": []})
        session.add(profile)
        session.flush()
        return profile.id


def indexed() -> frozenset[str]:
    with session_scope() as session:
        return profile_index.current_index(session).ids()


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(days_past_limit=st.floats(min_value=0.001, max_value=3000))
def test_the_index_drops_a_stale_profile_at_the_next_pass_and_takes_it_back_when_reconfirmed(pg, days_past_limit):
    profile_id = published_profile()
    assert profile_id in indexed()
    before = utcnow() - timedelta(days=get_settings().reconfirm_days + days_past_limit)
    with session_scope() as session:  # time passes: nothing is written to the change log
        session.execute(update(Profile).where(Profile.id == profile_id).values(reconfirmed_at=before))
    assert maintenance.log_stale_profiles() >= 1
    assert profile_id not in indexed()
    assert maintenance.log_stale_profiles() == 0  # once per going stale, not at every pass
    with session_scope() as session:
        profile = session.get(Profile, profile_id)
        profile.reconfirmed_at, profile.stale_logged = utcnow(), False  # what POST .../reconfirm stores
        session.add(profile)
    assert profile_id in indexed()
