"""Aware datetimes are stored and compared as the same instant on SQLite and PostgreSQL.

SQLite keeps no offset: a token expiring at 12:00+02:00 used to be stored as 12:00 and read as
12:00 UTC, two hours late, and an interview at 10:00+01:00 was shown at 10:00Z. Each test runs on both
backends; the PostgreSQL session speaks another time zone (America/New_York), so an answer that is
not converted to UTC shows there too. Offsets and moments are generated.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest
from fastapi.testclient import TestClient
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.conftest import DATA_DIR, fresh_postgres_database, use_database
from tests.factories import bearer, create_world, profile_body, vacancy_body
from tests.processes import compute_here, present_top

pytestmark = pytest.mark.usefixtures("redis_url")  # the shortlist message sent here is cleaned up

# Every offset in use on Earth lies between -12:00 and +14:00; a few are not whole hours (+05:45, -09:30).
OFFSETS = st.integers(min_value=-14 * 60, max_value=14 * 60).map(lambda m: timezone(timedelta(minutes=m)))
# Minutes from now to the expiry: never so close to now that the test's own duration could cross it.
EXPIRY_MINUTES = st.integers(min_value=-26 * 60, max_value=26 * 60).filter(lambda m: abs(m) >= 2)
PLUS_TWO, MINUS_FIVE = timezone(timedelta(hours=2)), timezone(timedelta(hours=-5))


def utc_text(moment: datetime) -> str:
    """The one form the API answers in: UTC, written with Z."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def backend(request):
    """The app on a fresh database of the backend, with a programme whose employer has one card."""
    from api.app import app
    from matching.services.bootstrap import prepare_database

    if request.param == "sqlite":
        yield from _serve(app, prepare_database, f"sqlite:///{DATA_DIR / f'tz-{uuid.uuid4().hex[:8]}.db'}", "sqlite")
        return
    with fresh_postgres_database(f"tz{uuid.uuid4().hex[:6]}") as url:
        # Not UTC: PostgreSQL answers timestamptz in the session's zone.
        yield from _serve(app, prepare_database, f"{url}?options=-c%20timezone%3DAmerica/New_York", request.param)


def _serve(app, prepare_database, url: str, name: str):
    use_database(url)
    prepare_database()
    with TestClient(app, raise_server_exceptions=False) as http:
        world = create_world(http)
        for _ in range(6):  # alike profiles: the card needs no generalising
            assert http.post("/v1/profiles", json=profile_body(), headers=bearer(world.counsellor)).status_code == 201
        vacancy_id = http.post("/v1/vacancies", json=vacancy_body(), headers=bearer(world.employer)).json()["id"]
        present_top(http, world, compute_here(http, world, vacancy_id))
        yield name, http, world, vacancy_id
    use_database(None)


def _issue(user_id: str, expires_at: datetime) -> str:
    from matching.services.accounts import issue_token
    from matching.store.db import session_scope
    from matching.store.models import User

    with session_scope() as session:
        return issue_token(session, user=session.get(User, user_id), expires_at=expires_at)[1]


@settings(max_examples=40)
@given(minutes=EXPIRY_MINUTES, zone=OFFSETS)
@example(minutes=-30, zone=PLUS_TWO)  # expired in UTC, still ahead on a +02:00 wall clock
@example(minutes=60, zone=MINUS_FIVE)  # valid in UTC, already past on a -05:00 wall clock
def test_a_token_expires_exactly_when_utc_says_so(backend, minutes, zone):
    from sqlmodel import select

    from matching.services.accounts import hash_token, token_public
    from matching.store.db import session_scope
    from matching.store.models import ApiToken

    _, http, world, _ = backend
    admin = bearer(world.admin)
    user_id = http.post("/v1/users", json={"organisation_id": world.employer_id, "role": "employer",
                                           "display_name": "e"}, headers=admin).json()["id"]
    instant = datetime.now(UTC) + timedelta(minutes=minutes)
    token = _issue(user_id, instant.astimezone(zone))

    answer = http.get("/v1/taxonomy/search?q=nettoyage", headers=bearer(token))
    assert answer.status_code == (401 if minutes < 0 else 200), (zone, minutes, answer.text)
    with session_scope() as session:
        row = session.exec(select(ApiToken).where(ApiToken.token_hash == hash_token(token))).one()
        assert row.expires_at.utcoffset() == timedelta(0)
        assert abs(row.expires_at - instant) < timedelta(milliseconds=1)
    listed = http.get(f"/v1/tokens?user_id={user_id}", headers=admin).json()
    (mine,) = [t for t in listed if t["prefix"] == token[:10]]  # the user's first token is another one
    assert mine["status"] == ("expired" if minutes < 0 else "active")
    assert mine["expires_at"] == utc_text(row.expires_at) and mine["created_at"].endswith("Z")
    assert token_public(row, _user(user_id)).status == mine["status"]

    # Through the API: a future expiry with an offset is answered in UTC; a past one is refused.
    issued = http.post(f"/v1/users/{user_id}/tokens", json={"expires_at": instant.astimezone(zone).isoformat()},
                       headers=admin)
    if minutes < 0:
        assert issued.status_code == 422 and issued.json()["error"]["field"] == "expires_at"
    else:
        assert issued.status_code == 201, issued.text
        assert issued.json()["expires_at"] == utc_text(instant)
        assert http.get("/v1/taxonomy/search?q=nettoyage", headers=bearer(issued.json()["token"])).status_code == 200


def _user(user_id: str):
    from matching.store.db import session_scope
    from matching.store.models import User

    with session_scope() as session:
        return session.get(User, user_id)


def _card(http, world, vacancy_id: str) -> dict:
    (card,) = http.get(f"/v1/vacancies/{vacancy_id}/candidates", headers=bearer(world.employer)).json()
    return card


def _interview_events(http, world, profile_id: str) -> list[dict]:
    trajectory = http.get(f"/v1/profiles/{profile_id}/trajectory", headers=bearer(world.counsellor)).json()
    return [event for event in trajectory["events"] if event["kind"] == "interview"]


def _presented_profile(vacancy_id: str) -> str:
    from sqlmodel import select

    from matching.store.db import session_scope
    from matching.store.models import Match

    with session_scope() as session:
        return session.exec(select(Match.profile_id).where(Match.vacancy_id == vacancy_id)).one()


@settings(max_examples=25)
@given(
    wall=st.datetimes(min_value=datetime(2027, 1, 1), max_value=datetime(2030, 12, 31)).map(
        lambda moment: moment.replace(microsecond=0)
    ),
    zone=OFFSETS,
)
@example(wall=datetime(2027, 1, 12, 10, 0), zone=timezone(timedelta(hours=1)))
def test_an_interview_reads_back_as_the_same_instant_in_utc(backend, wall, zone):
    _, http, world, vacancy_id = backend
    sent = wall.replace(tzinfo=zone)
    card = _card(http, world, vacancy_id)
    decide = f"/v1/vacancies/{vacancy_id}/candidates/{card['candidate_ref']}/decision"
    if card["status"] == "presented":
        assert http.post(decide, json={"decision": "interested"}, headers=bearer(world.employer)).status_code == 200
    decided = http.post(decide, json={"decision": "interview", "interview_at": sent.isoformat()},
                        headers=bearer(world.employer))
    assert decided.status_code == 200, decided.text
    expected = utc_text(sent)  # 10:00+01:00 -> 09:00:00Z
    assert decided.json()["interview_at"] == expected
    assert _card(http, world, vacancy_id)["interview_at"] == expected
    newest = _interview_events(http, world, _presented_profile(vacancy_id))[0]
    assert newest["interview_at"] == expected, (sent, newest)
    assert newest["at"].endswith("Z")


@pytest.mark.parametrize("interview_at", ["2027-01-12T10:00:00", "2027-01-12T10:00"])
def test_a_time_without_an_offset_is_refused_with_a_422_asking_for_one(backend, interview_at):
    _, http, world, vacancy_id = backend
    card = _card(http, world, vacancy_id)
    decide = f"/v1/vacancies/{vacancy_id}/candidates/{card['candidate_ref']}/decision"
    answer = http.post(decide, json={"decision": "interview", "interview_at": interview_at},
                       headers=bearer(world.employer))
    assert answer.status_code == 422
    error = answer.json()["error"]
    assert error["field"] == "interview_at" and "offset" in error["message"]
    assert _card(http, world, vacancy_id) == card  # nothing changed
    user_id = http.post("/v1/users", json={"organisation_id": world.employer_id, "role": "employer",
                                           "display_name": "e"}, headers=bearer(world.admin)).json()["id"]
    refused = http.post(f"/v1/users/{user_id}/tokens", json={"expires_at": "2030-01-01T00:00:00"},
                        headers=bearer(world.admin))
    assert refused.status_code == 422 and refused.json()["error"]["field"] == "expires_at"


@settings(max_examples=30)
@given(minutes=EXPIRY_MINUTES, written_in=OFFSETS, compared_in=OFFSETS)
@example(minutes=-30, written_in=UTC, compared_in=PLUS_TWO)  # the service writes UTC; a caller's cut-off may not be
@example(minutes=60, written_in=UTC, compared_in=MINUS_FIVE)
def test_retention_cut_offs_compare_instants_whatever_the_offsets(backend, minutes, written_in, compared_in):
    """A profile last touched at T is inactive before a cut-off C exactly when T < C in UTC."""
    from sqlmodel import select

    from matching.services.erasure import inactive_profiles
    from matching.store.db import session_scope
    from matching.store.models import Profile, TrajectoryEvent

    _, http, world, _ = backend
    profile_id = http.post("/v1/profiles", json=profile_body(), headers=bearer(world.counsellor)).json()["id"]
    touched = datetime(2020, 6, 1, 12, tzinfo=UTC) - timedelta(days=uuid.uuid4().int % 1000)
    with session_scope() as session:
        profile = session.get(Profile, profile_id)
        profile.updated_at = touched.astimezone(written_in)
        session.add(profile)
        for event in session.exec(select(TrajectoryEvent).where(TrajectoryEvent.profile_id == profile_id)):
            event.at = touched.astimezone(written_in)
            session.add(event)
    cutoff = (touched + timedelta(minutes=minutes)).astimezone(compared_in)
    with session_scope() as session:
        found = {p.id for p in inactive_profiles(session, cutoff=cutoff, limit=10_000)}
    assert (profile_id in found) == (minutes > 0), (written_in, compared_in, minutes)


@settings(max_examples=30)
@given(minutes=EXPIRY_MINUTES, zone=OFFSETS)
@example(minutes=-30, zone=PLUS_TWO)
@example(minutes=60, zone=MINUS_FIVE)
def test_the_reconciler_times_out_a_running_shortlist_by_instants_whatever_the_offset(backend, minutes, zone):
    """A shortlist running since S is sent again at `now` exactly when S < now - running_timeout in UTC."""
    from matching.services.accounts import authenticate
    from matching.services.shortlist_runs import reconcile
    from matching.store.db import session_scope
    from matching.store.models import Shortlist

    _, _, world, vacancy_id = backend
    started = datetime(2021, 1, 1, 12, tzinfo=UTC) + timedelta(days=uuid.uuid4().int % 1000)  # as written: UTC
    with session_scope() as session:
        liaison = authenticate(session, world.liaison)
        shortlist = Shortlist(vacancy_id=vacancy_id, requested_by=liaison.user_id, status="running",
                              created_at=started, queued_at=started, started_at=started)
        session.add(shortlist)
    now = (started + timedelta(seconds=660, minutes=minutes)).astimezone(zone)
    with session_scope() as session:
        done = reconcile(session, queued_timeout=600, running_timeout=660, max_attempts=3, now=now)
    assert (shortlist.id in done.resent) == (minutes > 0), (zone, minutes)
    with session_scope() as session:
        session.delete(session.get(Shortlist, shortlist.id))  # not to be reconciled again by the next examples


def test_a_naive_datetime_written_by_code_is_refused(backend):
    from sqlalchemy.exc import StatementError

    from matching.store.db import session_scope
    from matching.store.models import Organisation

    with pytest.raises(StatementError, match="naive datetime refused"):
        with session_scope() as session:
            session.add(Organisation(name="Naive", kind="employer", created_at=datetime(2027, 1, 1, 12)))


# Offsets ISO 8601 lets a client write (up to +/-23:59) on moments at the ends of the calendar, where moving
# to UTC, or to the zone of a PostgreSQL session, leaves the years a datetime can hold (1 to 9999).
WIDE_OFFSETS = st.integers(min_value=-(24 * 60 - 1), max_value=24 * 60 - 1).map(
    lambda m: timezone(timedelta(minutes=m))
)
CALENDAR_ENDS = st.one_of(
    st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(1, 1, 3)),
    st.datetimes(min_value=datetime(9999, 12, 29), max_value=datetime(9999, 12, 31, 23, 59, 59)),
    st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31)),
).map(lambda moment: moment.replace(microsecond=0))


@settings(max_examples=30)
@given(wall=CALENDAR_ENDS, zone=WIDE_OFFSETS)
@example(wall=datetime(9999, 12, 31, 23, 0), zone=timezone(timedelta(hours=-14)))
@example(wall=datetime(1, 1, 1, 0, 0), zone=timezone(timedelta(hours=14)))
@example(wall=datetime(1, 1, 1, 0, 0), zone=UTC)  # in range in UTC, year 0 in a session west of Greenwich
@example(wall=datetime(9999, 12, 31, 23, 0), zone=UTC)
def test_a_time_at_the_ends_of_the_calendar_is_a_422_or_reads_back_never_a_500(backend, wall, zone):
    _, http, world, vacancy_id = backend
    sent = wall.replace(tzinfo=zone).isoformat()
    user_id = http.post("/v1/users", json={"organisation_id": world.employer_id, "role": "employer",
                                           "display_name": "e"}, headers=bearer(world.admin)).json()["id"]
    issued = http.post(f"/v1/users/{user_id}/tokens", json={"expires_at": sent}, headers=bearer(world.admin))
    assert issued.status_code in (201, 422), issued.text
    if issued.status_code == 422:
        assert issued.json()["error"]["field"] == "expires_at"
    listed = http.get("/v1/tokens", params={"user_id": user_id}, headers=bearer(world.admin))
    assert listed.status_code == 200, listed.text

    card = _card(http, world, vacancy_id)
    decide = f"/v1/vacancies/{vacancy_id}/candidates/{card['candidate_ref']}/decision"
    if card["status"] == "presented":
        assert http.post(decide, json={"decision": "interested"}, headers=bearer(world.employer)).status_code == 200
    decided = http.post(decide, json={"decision": "interview", "interview_at": sent}, headers=bearer(world.employer))
    assert decided.status_code in (200, 422), decided.text
    if decided.status_code == 422:
        assert decided.json()["error"]["field"] == "interview_at"
    read = http.get(f"/v1/vacancies/{vacancy_id}/candidates", headers=bearer(world.employer))
    assert read.status_code == 200, read.text
    events = http.get(f"/v1/profiles/{_presented_profile(vacancy_id)}/trajectory", headers=bearer(world.counsellor))
    assert events.status_code == 200, events.text
