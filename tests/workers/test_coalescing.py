"""Repeated changes of one vacancy (or profile) ride on the task message still to run, and a task that
computed an older version asks again instead of storing it: no change is lost, no message is repeated."""

from __future__ import annotations

from sqlmodel import col, select

from tests.factories import bearer, create_world, profile_body, vacancy_body


def messages(task: str, run_id: str) -> int:
    from matching.store.db import session_scope
    from matching.store.models import OutboxMessage

    with session_scope(read_only=True) as session:
        rows = session.exec(select(OutboxMessage.args).where(col(OutboxMessage.task) == task)).all()
    return sum(1 for args in rows if args == [run_id])


def run_of(table, key, value):
    from matching.store.db import session_scope

    with session_scope(read_only=True) as session:
        return session.exec(select(table).where(key == value)).one()


def test_changes_of_one_vacancy_coalesce_and_a_stale_computation_asks_again(client):
    from matching.services import vacancy_fits
    from matching.services.profile_index import reset
    from matching.store.db import session_scope
    from matching.store.models import VacancyFitRun

    world = create_world(client)
    liaison = bearer(world.liaison)
    vacancy_id = client.post("/v1/vacancies", json=vacancy_body(employer_id=world.employer_id),
                             headers=liaison).json()["id"]
    run = run_of(VacancyFitRun, VacancyFitRun.vacancy_id, vacancy_id)
    reset()  # this process's profile index may hold another test database's profiles
    with session_scope(read_only=True) as session:
        computed = vacancy_fits.compute(session, run.id)  # the worker read version 1 ...
    for title in ("Schoonmaker (m/v/x)", "Schoonmaker kantoren", "Schoonmaker Anderlecht"):
        response = client.patch(f"/v1/vacancies/{vacancy_id}", json={"title": title}, headers=liaison)
        assert response.status_code == 200, response.text
    assert messages("vacancy.match", run.id) == 1  # three changes rode on the message still to run

    with session_scope() as session:
        assert vacancy_fits.store(session, computed) is False  # ... the vacancy is at version 4 now
    assert messages("vacancy.match", run.id) == 2  # so it asks again, once
    with session_scope(read_only=True) as session:
        latest = vacancy_fits.compute(session, run.id)
    assert latest.version == 4
    with session_scope() as session:
        assert vacancy_fits.store(session, latest) is True
    assert run_of(VacancyFitRun, VacancyFitRun.vacancy_id, vacancy_id).computed_version == 4
    with session_scope(read_only=True) as session:
        assert vacancy_fits.compute(session, run.id) is None  # a redelivered message: nothing to do


def test_changes_of_one_profile_coalesce(client):
    from matching.store.models import ProfileFitRun

    world = create_world(client)
    counsellor = bearer(world.counsellor)
    profile_id = client.post("/v1/profiles", json=profile_body(), headers=counsellor).json()["id"]
    for pitch in ("Toujours prêt.", "Toujours à l'heure.", "Je travaille bien en équipe."):
        assert client.patch(f"/v1/profiles/{profile_id}", json={"pitch": pitch}, headers=counsellor).status_code == 200
    run = run_of(ProfileFitRun, ProfileFitRun.profile_id, profile_id)
    assert (run.requested_version, messages("profile.match", run.id)) == (4, 1)
