"""The request line and headers are bounded like the body: the served API refuses an oversized head while
it arrives (before the app or its token check sees it), and keeps answering everyone else."""

from __future__ import annotations

import socket

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.processes import api_server, service_env

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    with api_server(tmp_path_factory.mktemp("api") / "api.log", service_env()) as server:
        yield server


def raw_status(port: int, head: bytes) -> int:
    """The status code the server answers to this request head (0: it closed without answering)."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        try:
            connection.sendall(head)
        except (BrokenPipeError, ConnectionResetError):
            pass  # refused before it read everything: the answer is already waiting
        answer = b""
        try:
            while b"\r\n" not in answer:
                chunk = connection.recv(4096)
                if not chunk:
                    break
                answer += chunk
        except ConnectionResetError:
            pass
    return int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/1.1 ") else 0


# Where a client can make a head large: one long header, many headers, a long request id or key. The server
# checks the head it buffers after each read from the socket (asyncio reads up to 256 KiB at once), so a head
# is refused once it passes the limit plus one read: 16 KiB + 256 KiB by default; sizes here start above that.
ABOVE = 16 * 1024 + 256 * 1024 + 1
oversized_heads = st.one_of(
    st.integers(ABOVE, 2_000_000).map(lambda n: [(b"X-Padding", b"a" * n)]),
    st.integers(ABOVE // 20, 40_000).map(lambda n: [(b"X-H%d" % i, b"v" * 10) for i in range(n)]),
    st.integers(ABOVE, 500_000).map(lambda n: [(b"Idempotency-Key", b"k" * n)]),
    st.integers(ABOVE, 500_000).map(lambda n: [(b"Authorization", b"Bearer " + b"t" * n)]),
    st.integers(ABOVE, 500_000).map(lambda n: [(b"X-Request-ID", b"r" * n)]),
)


@settings(max_examples=8, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(headers=oversized_heads)
def test_an_oversized_request_head_is_refused_and_the_service_keeps_answering(served, headers):
    head = b"GET /v1/profiles HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    head += b"".join(name + b": " + value + b"\r\n" for name, value in headers) + b"Connection: close\r\n\r\n"
    status = raw_status(served.port, head)
    assert status in (0, 400, 431), status
    assert served.http.get("/healthz").status_code == 200


def test_an_ordinary_request_head_is_served(served):
    head = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " + b"a" * 4000 + b"\r\nConnection: close\r\n\r\n"
    assert raw_status(served.port, head) == 200
