"""The site as `make run` serves it (three workers, SQLite, no Redis, the default rate
limit) keeps answering readers while clients hold half-sent bodies, and counts one budget
of questionnaire POSTs per client across all its workers."""

import socket
import time
import zlib
from concurrent.futures import ThreadPoolExecutor

import pytest

from bench.stackserver import free_port, fresh_database, prepare, production_env
from config.wsgi import BODY_STALL_SECONDS

from ..quiz_helpers import START
from .conftest import Stack, StackClient, serving

SLOW_CLIENTS = 10
POSTS_PER_MINUTE = 60  # QUIZ_POST_RATE's default


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    work = tmp_path_factory.mktemp("make-run")
    database, drop_database = fresh_database(work)  # SQLite: the embedded default
    port = free_port()
    env = production_env(
        work,
        database,
        without=("REDIS_URL", "QUIZ_POST_RATE", "DJANGO_SECURE"),
        WEB_CONCURRENCY="3",
        HOST="127.0.0.1",
        PORT=str(port),
    )
    stack = Stack(f"http://127.0.0.1:{port}", env, None)
    try:
        prepare(env)
        with serving(stack, work / "gunicorn.log"):
            yield stack
    finally:
        drop_database()


def half_sent_post(port: int) -> socket.socket:
    """A POST that declares 1,000 bytes of form and sends 500, then nothing."""
    client = socket.create_connection(("127.0.0.1", port), timeout=30)
    client.sendall(
        f"POST {START} HTTP/1.1\r\n".encode()
        + f"Host: 127.0.0.1:{port}\r\n".encode()
        + b"Content-Type: application/x-www-form-urlencoded\r\n"
        b"Content-Length: 1000\r\n\r\n" + b"a=" + b"x" * 498
    )
    return client


def test_readers_are_answered_within_a_second_while_ten_clients_stall(site):
    port = int(site.env["PORT"])
    stalled = [half_sent_post(port) for _ in range(SLOW_CLIENTS)]
    try:
        time.sleep(0.5)  # every stalled body is being waited on by now
        reader = StackClient(site.url)
        for _ in range(2 * SLOW_CLIENTS):  # fresh connections, spread over the workers
            started = time.monotonic()
            assert reader.get("/").status == 200
            assert time.monotonic() - started < 1
        # A stalled client is given up on with a 400, and its connection closed.
        for client in stalled:
            client.settimeout(BODY_STALL_SECONDS + 5)
            answer = b""
            while chunk := client.recv(65536):
                answer += chunk
            assert answer.startswith(b"HTTP/1.1 400 ")
    finally:
        for client in stalled:
            client.close()


def wait_for_a_fresh_window(client_address: str = "127.0.0.1") -> None:
    """django-ratelimit's windows end at a second of the minute chosen by the client's
    address; start well inside one, so that the whole burst is counted in it."""
    edge = zlib.crc32(client_address.encode()) % 60
    into = (time.time() - edge) % 60
    if into > 40:
        time.sleep(60 - into + 1)


def test_one_budget_of_posts_per_client_across_all_workers(site):
    """Eighty starts at once from one address, over three workers: exactly sixty pass."""
    readers = [StackClient(site.url) for _ in range(8)]
    for reader in readers:
        reader.csrf_token()
    wait_for_a_fresh_window()

    def start(reader: StackClient) -> list[int]:
        return [
            reader.post(START, {"csrfmiddlewaretoken": reader.csrf_token()}).status
            for _ in range(10)
        ]

    with ThreadPoolExecutor(len(readers)) as pool:
        statuses = [status for batch in pool.map(start, readers) for status in batch]
    assert statuses.count(429) == len(statuses) - POSTS_PER_MINUTE
    assert set(statuses) == {302, 429}
