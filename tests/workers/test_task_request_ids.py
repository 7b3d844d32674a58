"""A task message's request id passes the same check as an X-Request-ID header before it reaches a log.

Whoever can write to the broker chooses a message's headers; a worker must not write a line break, JSON or
personal data from them into its log lines, nor into the rows its task writes (outbox messages).
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.api.test_request_ids import logged_texts, unsafe_ids
from tests.processes import service_env, wait_until, worker

pytestmark = pytest.mark.e2e


@pytest.fixture
def running_worker(pg, queue, tmp_path):
    env = service_env(BLINDMATCH_QUEUE=queue, BLINDMATCH_MAINTENANCE_INTERVAL=0)
    with worker(tmp_path / "worker.log", env) as process:
        yield process


@settings(max_examples=4, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(forged=unsafe_ids, marker=st.uuids())
@example(forged='x"}\n{"level": "error", "message": "jan.peeters@gmail.com', marker=None)
def test_an_unsafe_request_id_in_a_task_message_reaches_no_worker_log_line(running_worker, queue, forged, marker):
    import json

    from workers.app import celery_app

    shortlist_id = f"sl_missing{marker.hex if marker else 'example'}"  # no such shortlist: nothing to score
    celery_app.send_task("shortlist.compute", args=[shortlist_id], queue=queue, headers={"request_id": forged})

    def delivered() -> list[str]:
        text = running_worker.log_path.read_text(errors="replace")
        return [line for line in text.splitlines() if shortlist_id in line]

    lines = wait_until(delivered, timeout=60, what=running_worker.tail())
    whole = running_worker.log_path.read_text(errors="replace").splitlines()
    for line in whole:
        if line.startswith("{"):
            assert not any(forged in text for text in logged_texts(line)), line
        else:
            assert forged not in line, line
    task_lines = [json.loads(line) for line in lines if line.startswith("{")]
    assert task_lines, lines
    assert all(line.get("request_id") in (None, "-") for line in task_lines), task_lines
