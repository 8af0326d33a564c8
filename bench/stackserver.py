"""The site as production runs it, on this machine: one way to start it, for tests and bench.

`make bench` (bench/run.py), `make observatory` (bench/observatory/run.py) and the stack
tests (tests/stack/conftest.py) all need the same thing: gunicorn with
config/gunicorn.conf.py and the production settings (DEBUG off, a random secret key) on a
fresh database of its own, migrated and seeded like `make run` does, static files
collected, on a free port, and to know when it answers. This module is that, once:

    work = Path(tempfile.mkdtemp())
    env = production_env(work, fresh_database(work)[0], PORT=str(free_port()))
    prepare(env)                       # migrate, load_seed_content, collectstatic
    process = subprocess.Popen(gunicorn_command(), cwd=ROOT, env=env, ...)
    wait_until_answers(int(env["PORT"]), process, log)

Starting and stopping the process stays with each caller: the tests keep gunicorn in
their own process group, the bench and the observatory stop whole process trees.

Why here: bench/run.py and bench/observatory/run.py are run by path, so bench/ (or the
folder above it) is what they can import from, and the tests import it as
`bench.stackserver` from the repository root that pytest puts on sys.path. So it imports
nothing but the standard library (psycopg only when a PostgreSQL database is asked for).
"""

from __future__ import annotations

import http.client
import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
# Ports a developer's `make run` (8000) or another local server may want while this runs.
RESERVED_PORTS = {8000, 8011}


class NotServing(RuntimeError):
    """The site could not be set up, or gunicorn did not answer."""


def free_port() -> int:
    """A port nothing listens on now (the kernel's pick, never one of RESERVED_PORTS)."""
    while True:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        if port not in RESERVED_PORTS:
            return port


def fresh_database(work: Path, url: str | None = None) -> tuple[dict, Callable[[], None]]:
    """Environment for an empty database of its own, and a function that removes it.

    A SQLite file in `work`; or, given a PostgreSQL `url`, a database created next to the
    one it names (dropped again by the function returned).
    """
    if not url:
        return {"SQLITE_PATH": str(work / "db.sqlite3")}, lambda: None
    import psycopg

    parts = urlsplit(url)
    # Its own name even beside another one of this process (the admin crawl's server).
    name = f"stack_{os.getpid()}_{secrets.token_hex(4)}"
    admin_url = urlunsplit(parts._replace(path="/postgres"))

    def run(sql):
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(sql)

    run(f'DROP DATABASE IF EXISTS "{name}"')
    run(f'CREATE DATABASE "{name}"')
    return (
        {"DATABASE_URL": urlunsplit(parts._replace(path=f"/{name}"))},
        lambda: run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'),
    )


def production_env(work: Path, database: dict, *, without=(), **variables: str) -> dict:
    """This process's environment with the production settings for a site kept in `work`.

    `database` comes from fresh_database(); `without` names more variables to drop (a
    caller that must not reach a shared Redis drops REDIS_URL); `variables` add or
    override (DJANGO_SECURE, PORT, WEB_CONCURRENCY, ...).
    """
    dropped = {"DATABASE_URL", "SQLITE_PATH", *without}
    return {
        **{key: value for key, value in os.environ.items() if key not in dropped},
        **database,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_STATIC_ROOT": str(work / "static"),
        "DJANGO_MEDIA_ROOT": str(work / "media"),
        **variables,
    }


def manage(env: dict, *args: str, timeout: float = 300) -> str:
    """`manage.py args` in that environment; its output, or NotServing with all of it."""
    done = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode != 0:
        raise NotServing(f"manage.py {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def prepare(env: dict) -> None:
    """What `make run` does before serving: migrate, load the seed content, collect static."""
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_seed_content")
    manage(env, "collectstatic", "--noinput", "-v0")


def gunicorn_command(app: str = "config.wsgi", *extra: str) -> list[str]:
    """gunicorn as production starts it; run it with cwd=ROOT and a production_env().

    --no-control-socket: gunicorn 27 opens its control socket at one default path shared
    by every instance on the machine, and tests and benchmarks run side by side.
    """
    return [
        PYTHON, "-m", "gunicorn", "-c", "config/gunicorn.conf.py", "--no-control-socket",
        *extra, app,
    ]  # fmt: skip


def wait_until_answers(
    port: int,
    process: subprocess.Popen,
    log: Path,
    *,
    path: str = "/healthz",
    headers: dict | None = None,
    status: int | None = None,
    limit: float = 30,
) -> float:
    """Seconds from now until `path` answers on 127.0.0.1:`port` (with `status`, if given).

    Polled every 10 ms, so the bench can report a start-up time from it. NotServing, with
    the end of the server's log, if the process ends or `limit` seconds pass first.
    """
    started = time.monotonic()
    while True:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            try:
                connection.request("GET", path, headers=headers or {})
                answered = connection.getresponse().status
            finally:
                connection.close()
            if status is None or answered == status:
                return time.monotonic() - started
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() - started > limit:
            tail = log.read_text(errors="replace")[-4000:] if log.exists() else ""
            raise NotServing(f"no answer from 127.0.0.1:{port}{path}:\n{tail}")
        time.sleep(0.01)
