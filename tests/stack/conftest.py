"""The real stack: gunicorn with the production settings, spoken to over HTTP.

One server for the whole session: a fresh database (a SQLite file, or a PostgreSQL
database of its own when DATABASE_URL is set), migrated and seeded like `make run` does,
static files collected, then gunicorn with three workers on a free port. DEBUG is off,
the secret key is random, DJANGO_SECURE=1: the client sends `X-Forwarded-Proto: https`
as the TLS proxy in front of it would. Setting it up and starting gunicorn is
bench/stackserver.py, shared with `make bench` and `make observatory`.
"""

import http.client
import json
import os
import secrets
import subprocess
from contextlib import contextmanager
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest

from bench.stackserver import (
    ROOT,
    free_port,
    fresh_database,
    gunicorn_command,
    manage,
    prepare,
    production_env,
    wait_until_answers,
)

STACK_WORKERS = 3
EDITOR = ("stack-editor", "a long stack editor password")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/stack/" in str(item.fspath):
            item.add_marker(pytest.mark.stack)


class Response:
    def __init__(self, status: int, headers: list[tuple[str, str]], body: bytes):
        self.status = status
        self.headers = headers
        self.body = body

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


RETITLE_AND_PUBLISH = """
from advice.models import Article
from advice.releases import publish
article = Article.objects.get(is_home=True)
result, article.title = article.title, {title!r}
article.save()
publish(note="retitled")
"""


class StackClient:
    """A browser's part of HTTP, no more: cookies, forms, and the proxy's header."""

    # What the TLS proxy in front of gunicorn would add (tests/stack/test_proxy.py talks
    # to the real proxy instead, and sends nothing of the kind).
    proxy_headers = {"X-Forwarded-Proto": "https"}

    def __init__(self, base_url: str):
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port
        self.cookies: dict[str, str] = {}

    def connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection(self.host, self.port, timeout=30)

    def request(self, method, path, body=b"", headers=None) -> Response:
        headers = {
            "Host": f"{self.host}:{self.port}",
            **self.proxy_headers,
            **(headers or {}),
        }
        if self.cookies:
            headers.setdefault("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if method == "POST":
            # What a browser sends with a same-site form: Django checks it under HTTPS.
            headers.setdefault("Origin", f"https://{self.host}:{self.port}")
        connection = self.connect()
        try:
            connection.request(method, path, body=body, headers=headers)
            raw = connection.getresponse()
            response = Response(raw.status, raw.getheaders(), raw.read())
        finally:
            connection.close()
        for key, value in response.headers:
            if key.lower() == "set-cookie":
                for name, morsel in SimpleCookie(value).items():
                    if morsel.value:
                        self.cookies[name] = morsel.value
                    else:
                        self.cookies.pop(name, None)
        return response

    def get(self, path, headers=None) -> Response:
        return self.request("GET", path, headers=headers)

    def post(self, path, data=None, headers=None, body=None, content_type=None) -> Response:
        if body is None:
            body = urlencode(data or {}, doseq=True).encode()
        headers = {
            "Content-Type": content_type or "application/x-www-form-urlencoded",
            **(headers or {}),
        }
        return self.request("POST", path, body=body, headers=headers)

    def csrf_token(self) -> str:
        """This browser's CSRF token, from the sign-in page (a newcomer's questionnaire start
        page is one page for all and gives none)."""
        if "csrftoken" not in self.cookies:
            self.get("/admin/login/")
        return self.cookies["csrftoken"]


class Stack:
    def __init__(self, url: str, env: dict, process: subprocess.Popen):
        self.url = url
        self.env = env
        self.process = process

    def client(self) -> StackClient:
        return StackClient(self.url)

    def manage(self, *args: str) -> str:
        return manage(self.env, *args, timeout=120)

    def retitle_and_publish(self, title: str) -> str:
        """An editor gives the front-page article a new title and publishes it; returns the
        title it had."""
        return self.query(RETITLE_AND_PUBLISH.format(title=title))

    def query(self, code: str):
        """Run Python in the server's Django settings; `code` assigns `result` (JSON-able)."""
        script = f"import json\n{code}\nprint('STACK-RESULT ' + json.dumps(result))"
        out = self.manage("shell", "-c", script)
        line = next(line for line in out.splitlines() if line.startswith("STACK-RESULT "))
        return json.loads(line.removeprefix("STACK-RESULT "))


@contextmanager
def serving(stack: Stack, log_path: Path, ready_path: str = "/healthz"):
    """Run gunicorn with the stack's environment until the block ends."""
    log = log_path.open("w")
    process = subprocess.Popen(
        gunicorn_command(), cwd=ROOT, env=stack.env, stdout=log, stderr=subprocess.STDOUT
    )
    stack.process = process
    stack.log_path = log_path
    try:
        # Any answer will do: with the database down, /healthz says 503 on purpose.
        wait_until_answers(
            int(stack.env["PORT"]),
            process,
            log_path,
            path=ready_path,
            headers={"X-Forwarded-Proto": "https"},
        )
        yield stack
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def stack_environment(tmp_path: Path, port: int, database_env: dict) -> dict:
    return production_env(
        tmp_path,
        database_env,
        DJANGO_SECURE="1",
        CACHE_KEY_PREFIX=f"stack-{secrets.token_hex(4)}",
        # Many simulated readers share 127.0.0.1: the per-client budget is the load
        # test's business, not these tests'. test_security covers the limit itself.
        QUIZ_POST_RATE="100000/m",
        DJANGO_SUPERUSER_USERNAME=EDITOR[0],
        DJANGO_SUPERUSER_PASSWORD=EDITOR[1],
        DJANGO_SUPERUSER_EMAIL="stack-editor@example.org",
        WEB_CONCURRENCY=str(STACK_WORKERS),
        HOST="127.0.0.1",
        PORT=str(port),
    )


@contextmanager
def fresh_stack(tmp_path: Path):
    """A site of its own in `tmp_path`, seeded like `make run`, with EDITOR, served."""
    port = free_port()
    # A database of its own: a SQLite file, or one next to DATABASE_URL's (the scale pass).
    database_env, drop_database = fresh_database(tmp_path, os.environ.get("DATABASE_URL"))
    env = stack_environment(tmp_path, port, database_env)
    stack = Stack(f"http://127.0.0.1:{port}", env, None)
    try:
        prepare(env)
        stack.manage("createsuperuser", "--noinput")
        with serving(stack, tmp_path / "gunicorn.log"):
            yield stack
    finally:
        drop_database()


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    with fresh_stack(tmp_path_factory.mktemp("stack")) as stack:
        yield stack
