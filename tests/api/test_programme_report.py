"""Funders' figures over HTTP: follow-ups recorded by the counsellor, a programme report whose small counts
are suppressed (JSON, CSV, XLSX) with a per-profile sheet naming profiles by code only, and the ranking's
accuracy for the admin."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from openpyxl import load_workbook

from matching.profile_code import profile_code
from tests.factories import bearer, create_world, profile_body, vacancy_body

TODAY = datetime.now(UTC).date()


def post(client, path: str, body: dict, token: str, status: int | None = None) -> dict:
    response = client.post(path, json=body, headers=bearer(token))
    assert response.status_code == (status or response.status_code) and response.status_code < 300, response.text
    return response.json()


@pytest.fixture
def programme(client):
    """Seven participants: all shortlisted, six presented, two invited to an interview; six left employed,
    one left for a training."""
    world = create_world(client)
    profile_ids = [post(client, "/v1/profiles", profile_body(), world.counsellor)["id"] for _ in range(7)]
    vacancy_id = post(client, "/v1/vacancies", vacancy_body(employer_id=world.employer_id), world.liaison)["id"]
    shortlist_id = post(client, f"/v1/vacancies/{vacancy_id}/shortlists", {"size": 100}, world.liaison)["id"]
    from matching.services import shortlists
    from matching.store.db import session_scope

    with session_scope() as session:
        shortlists.compute(session, shortlist_id)
    post(client, f"/v1/shortlists/{shortlist_id}/present", {"profile_ids": profile_ids[:6]}, world.liaison)
    cards = client.get(f"/v1/vacancies/{vacancy_id}/candidates", headers=bearer(world.employer)).json()
    refs = [card["candidate_ref"] for card in (cards["items"] if isinstance(cards, dict) else cards)]
    when = (datetime.now(UTC) + timedelta(days=3)).isoformat()
    for ref in refs[:2]:
        post(client, f"/v1/vacancies/{vacancy_id}/candidates/{ref}/decision",
             {"decision": "interview", "interview_at": when}, world.employer)
    for index, profile_id in enumerate(profile_ids):
        outcome = "training" if index == 6 else "employed"
        post(client, f"/v1/profiles/{profile_id}/follow-ups",
             {"at": TODAY.isoformat(), "kind": "leaving", "outcome": outcome}, world.counsellor, 201)
    return world, profile_ids, vacancy_id


def report(client, token, **params):
    params = {"from": (TODAY - timedelta(days=30)).isoformat(), "to": TODAY.isoformat(), **params}
    return client.get("/v1/reports/programme", params=params, headers=bearer(token))


def test_follow_ups_are_codes_a_correction_replaces_and_the_future_is_refused(client, programme):
    world, profile_ids, _ = programme
    path = f"/v1/profiles/{profile_ids[0]}/follow-ups"
    tomorrow = (TODAY + timedelta(days=1)).isoformat()
    future = client.post(path, json={"at": tomorrow, "kind": "leaving", "outcome": "employed"},
                         headers=bearer(world.counsellor))
    assert future.status_code == 422 and future.json()["error"]["field"] == "at"
    words = client.post(path, json={"at": TODAY.isoformat(), "kind": "leaving", "outcome": "happy now"},
                        headers=bearer(world.counsellor))
    assert words.status_code == 422
    corrected = post(client, path, {"at": TODAY.isoformat(), "kind": "leaving", "outcome": "searching"},
                     world.counsellor, 201)
    assert corrected["follow_ups"] == [{"kind": "leaving", "at": TODAY.isoformat(), "outcome": "searching"}]
    trajectory = client.get(f"/v1/profiles/{profile_ids[0]}/trajectory", headers=bearer(world.counsellor)).json()
    assert [e["outcome"] for e in trajectory["events"] if e["kind"] == "follow_up_leaving"] == ["searching"]
    other = create_world(client, admin=world.admin)
    assert client.get(path, headers=bearer(other.counsellor)).status_code == 404


def test_the_report_suppresses_small_counts_and_names_profiles_by_code_only(client, programme):
    world, profile_ids, _ = programme
    response = report(client, world.counsellor)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["participants_by_phase"]["cells"][-1] == [7]  # total
    job_search = body["participants_by_phase"]["rows"].index("job_search")
    assert body["participants_by_phase"]["cells"][job_search] == [7]
    assert body["funnel"] == {"shortlisted": 7, "presented": 6, "interview": None, "hired": 0}
    outcomes = body["outcomes"]
    employed, training = outcomes["rows"].index("employed"), outcomes["rows"].index("training")
    assert outcomes["cells"][training][0] is None  # one person: hidden
    assert outcomes["cells"][employed][0] is None  # ... and what would give it away from the totals
    assert outcomes["cells"][-1][-1] == 7  # the total stays: two hidden cells share it
    assert sorted(row["profile_code"] for row in body["profiles"]) == sorted(map(profile_code, profile_ids))
    assert not any(pid in response.text for pid in profile_ids)
    assert {row["outcome_leaving"] for row in body["profiles"]} == {"employed", "training"}
    assert sum(row["interviews"] for row in body["profiles"]) == 2  # the counsellor's own rows are not suppressed

    summary = report(client, world.counsellor, format="csv")
    assert summary.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(summary.text)))
    assert {"table": "funnel", "row": "interview", "column": "participants", "value": "[c]"} in rows
    profiles_csv = report(client, world.counsellor, format="csv", sheet="profiles").text
    codes = [row["profile_code"] for row in csv.DictReader(io.StringIO(profiles_csv))]
    assert sorted(codes) == sorted(map(profile_code, profile_ids))

    trail = client.get("/v1/audit", params={"action": "report.programme_read", "limit": 1000},
                       headers=bearer(world.admin))
    assert trail.status_code == 200, trail.text
    mine = [e for e in trail.json() if e["subject_id"] == world.counselling_id]
    assert mine and mine[0]["details"]["count"] == 7  # who took the per-profile rows away, and how many

    workbook = load_workbook(io.BytesIO(report(client, world.counsellor, format="xlsx").content))
    assert {"Outcomes", "Funnel", "Profiles", "Accuracy", "Gaps", "Phases"} <= set(workbook.sheetnames)
    codes = [row[0] for row in workbook["Profiles"].iter_rows(min_row=2, values_only=True)]
    assert sorted(codes) == sorted(map(profile_code, profile_ids))
    funnel = dict(workbook["Funnel"].iter_rows(min_row=2, values_only=True))
    assert funnel["interview"] == "[c]" and funnel["presented"] == 6


def test_who_reads_which_report(client, programme):
    world, _, _ = programme
    assert report(client, world.liaison).status_code == 403
    assert report(client, world.counsellor, organisation_id=world.liaison_id).status_code == 404
    other = create_world(client, admin=world.admin)
    assert report(client, other.counsellor).json()["participants_by_phase"]["cells"][-1] == [0]
    by_admin = report(client, world.admin, organisation_id=world.counselling_id)
    assert by_admin.status_code == 200 and by_admin.json()["funnel"]["presented"] == 6
    assert by_admin.json()["profiles"] == []  # the operator reads aggregates, never per-profile rows
    everyone = report(client, world.admin)
    assert everyone.status_code == 200 and everyone.json()["organisation_id"] is None
    assert everyone.json()["participants_by_phase"]["cells"][-1][0] >= 7
    assert report(client, world.counsellor, **{"from": TODAY.isoformat(), "to": "2020-01-01"}).status_code == 422

    accuracy = client.get("/v1/reports/accuracy", headers=bearer(world.admin))
    assert accuracy.status_code == 200
    overall = {(f["against"], f["k"]): f for f in accuracy.json()["figures"] if f["group"] == "all"}
    assert overall[("presented", 5)]["shortlists"] >= 1
    assert client.get("/v1/reports/accuracy", headers=bearer(world.counsellor)).status_code == 403
