"""Lists page and filter as a user expects: the body stays the bare array of items clients already read;
X-Total-Count says how many match the filters, and a Link header (rel="next") leads to the next page
with the filters kept, until the last page. Profiles filter by phase, needing reconfirmation and updated
since; vacancies by status, sector and updated since."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.api.test_explanations_and_gaps import post
from tests.api.test_reconfirmation import let_time_pass
from tests.factories import bearer, create_world, profile_body, vacancy_body

PHASES = ["intake", "training", "job_search"]
OCCUPATIONS = {"agent d'entretien": "cleaning", "aide-maçon": "construction", "magasinier": "logistics"}
NEXT_LINK = re.compile(r'^<([^>]+)>; rel="next"$')
FEW = settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def walk(client, token: str, path: str, params: dict) -> tuple[list[dict], set[int]]:
    """Every page, following Link rel="next"; the items in order and the totals announced."""
    items, totals = [], set()
    response = client.get(path, params=params, headers=bearer(token))
    while True:
        assert response.status_code == 200, response.text
        page = response.json()
        assert isinstance(page, list)  # the answer's shape is unchanged
        assert len(page) <= params["limit"]
        items += page
        totals.add(int(response.headers["x-total-count"]))
        link = response.headers.get("link")
        if link is None:
            return items, totals
        url = NEXT_LINK.match(link).group(1)
        response = client.get(url, headers=bearer(token))


def instant(response_json: dict) -> datetime:
    return datetime.fromisoformat(response_json["updated_at"])


@FEW
@given(phases=st.lists(st.sampled_from(PHASES), min_size=0, max_size=7), stale=st.data(),
       limit=st.integers(min_value=1, max_value=4), wanted=st.sampled_from([None, *PHASES]),
       reconfirm_filter=st.sampled_from([None, True, False]))
def test_profiles_page_and_filter(client, phases, stale, limit, wanted, reconfirm_filter):
    world = create_world(client)
    created = [post(client, "/v1/profiles", profile_body(phase=phase), world.counsellor) for phase in phases]
    aged = {p["id"] for p in created if stale.draw(st.booleans())}
    for profile_id in aged:
        let_time_pass(profile_id, days_past_limit=1)
    newest_first = [p["id"] for p in reversed(created)]
    expected = [
        i for i, p in zip(newest_first, reversed(created), strict=True)
        if (wanted is None or p["phase"] == wanted) and (reconfirm_filter is None or (i in aged) == reconfirm_filter)
    ]
    params = {"limit": limit} | ({"phase": wanted} if wanted else {})
    if reconfirm_filter is not None:
        params["needs_reconfirmation"] = str(reconfirm_filter).lower()
    items, totals = walk(client, world.counsellor, "/v1/profiles", params)
    assert [p["id"] for p in items] == expected
    assert totals == {len(expected)}
    assert all(p["needs_reconfirmation"] == (p["id"] in aged) for p in items)


def test_profiles_updated_since_keeps_only_the_later_changes(client):
    world = create_world(client)
    first = post(client, "/v1/profiles", profile_body(), world.counsellor)
    second = post(client, "/v1/profiles", profile_body(), world.counsellor)
    edited = client.patch(f"/v1/profiles/{first['id']}", json={"pitch_visible": True}, headers=bearer(world.counsellor))
    since = instant(second) + timedelta(microseconds=1)
    assert instant(edited.json()) >= since
    items, totals = walk(client, world.counsellor, "/v1/profiles",
                         {"limit": 10, "updated_since": since.isoformat().replace("+00:00", "Z")})
    assert [p["id"] for p in items] == [first["id"]] and totals == {1}
    # In Brussels' offset, the same instant.
    brussels = since.astimezone(datetime.fromisoformat("2026-01-01T00:00:00+01:00").tzinfo).isoformat()
    items, _ = walk(client, world.counsellor, "/v1/profiles", {"limit": 10, "updated_since": brussels})
    assert [p["id"] for p in items] == [first["id"]]


def test_a_time_without_an_offset_or_a_bad_filter_is_a_422_naming_it(client):
    world = create_world(client)
    for params, field in (({"updated_since": "2027-01-01T10:00:00"}, "updated_since"),
                          ({"updated_since": "2027-01-01T10:00:00" + "0" * 60 + "Z"}, "updated_since"),
                          ({"phase": "on_holiday"}, "phase"),
                          ({"needs_reconfirmation": "perhaps"}, "needs_reconfirmation")):
        response = client.get("/v1/profiles", params=params, headers=bearer(world.counsellor))
        assert response.status_code == 422, response.text
        assert response.json()["error"]["field"] == field, response.text
        assert params[field] not in response.json()["error"]["message"]


@FEW
@given(occupations=st.lists(st.sampled_from(sorted(OCCUPATIONS)), min_size=0, max_size=6),
       closed=st.data(), limit=st.integers(min_value=1, max_value=3),
       sector=st.sampled_from([None, *sorted(set(OCCUPATIONS.values()))]),
       status=st.sampled_from([None, "open", "closed"]))
def test_vacancies_page_and_filter(client, occupations, closed, limit, sector, status):
    world = create_world(client)
    created = []
    for occupation in occupations:
        vacancy = post(client, "/v1/vacancies", vacancy_body(employer_id=world.employer_id, occupation=occupation),
                       world.liaison)
        assert vacancy["sector"] == OCCUPATIONS[occupation], vacancy
        if closed.draw(st.booleans()):
            response = client.post(f"/v1/vacancies/{vacancy['id']}/close", headers=bearer(world.liaison))
            vacancy = response.json()
        created.append(vacancy)
    expected = [v["id"] for v in reversed(created)
                if (sector is None or v["sector"] == sector) and (status is None or v["status"] == status)]
    params = {"limit": limit} | ({"sector": sector} if sector else {}) | ({"status": status} if status else {})
    for token in (world.liaison, world.employer):
        items, totals = walk(client, token, "/v1/vacancies", params)
        assert [v["id"] for v in items] == expected and totals == {len(expected)}


def test_vacancies_updated_since(client):
    world = create_world(client)
    old = post(client, "/v1/vacancies", vacancy_body(employer_id=world.employer_id), world.liaison)
    new = post(client, "/v1/vacancies", vacancy_body(employer_id=world.employer_id), world.liaison)
    since = instant(old) + timedelta(microseconds=1)
    items, totals = walk(client, world.liaison, "/v1/vacancies",
                         {"limit": 5, "updated_since": since.isoformat().replace("+00:00", "Z")})
    assert [v["id"] for v in items] == [new["id"]] and totals == {1}
