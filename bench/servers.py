"""The servers `make bench` measures: the site under gunicorn, and the two ceilings.

The site's set-up (production settings, a throwaway database, migrate, seed, collectstatic,
the gunicorn command, waiting for it) is bench/stackserver.py, shared with the stack tests
and `make observatory`. Here: the bench's own environment, and starting each server under
PROCESSES so that it is stopped with its process tree.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import stackserver
from knobs import BENCH_DIR, CPUS
from processes import PROCESSES


def django_env(work: Path) -> dict:
    """The production settings on a throwaway SQLite database in `work`."""
    database, _ = stackserver.fresh_database(work)
    return stackserver.production_env(
        work,
        database,
        # Always the throwaway SQLite database and per-process cache, over plain HTTP.
        without=("REDIS_URL", "SITE_URL", "DJANGO_SECURE"),
        DJANGO_LOG_LEVEL="WARNING",
        # Every request here comes from 127.0.0.1: the per-address limit on questionnaire
        # POSTs (60 a minute) would turn the answer benchmark into 429s. Real readers
        # come from many addresses; the limiter still counts every POST here.
        QUIZ_POST_RATE="100000000/h",
        PYTHONDONTWRITEBYTECODE="1",
    )


def start_gunicorn(app: str, env: dict, workers: int, log: Path, extra=()):
    """gunicorn serving `app` on a free port: (process, port, seconds to the first 200)."""
    port = stackserver.free_port()
    started = time.monotonic()
    process = PROCESSES.start(
        stackserver.gunicorn_command(app, *extra),
        env={**env, "HOST": "127.0.0.1", "PORT": str(port), "WEB_CONCURRENCY": str(workers)},
        log=log,
        cwd=stackserver.ROOT,
    )
    stackserver.wait_until_answers(port, process, log, path="/", status=200, limit=60)
    return process, port, time.monotonic() - started


def start_ceiling_app(env: dict, page: Path, workers: int, log: Path):
    """bench/ceiling_app.py (the page's bytes, nothing else) under the same gunicorn."""
    return start_gunicorn(
        "ceiling_app:app",
        {**env, "BENCH_PAGE": str(page)},
        workers,
        log,
        extra=["--pythonpath", str(BENCH_DIR)],
    )


def start_nginx(workdir: Path, page: Path, log: Path, keepalive: str = "0"):
    """nginx serving `page` as a static file, one worker per core: (process, port)."""
    prefix = workdir / "nginx"
    prefix.mkdir(mode=0o755)
    root = prefix / "html"
    root.mkdir(mode=0o755)
    shutil.copyfile(page, root / "article.html")
    (root / "article.html").chmod(0o644)
    port = stackserver.free_port()
    config = (BENCH_DIR / "nginx.conf.template").read_text()
    for name, value in {
        "PREFIX": str(prefix),
        "ROOT": str(root),
        "PORT": str(port),
        "WORKERS": str(CPUS),
        "KEEPALIVE": keepalive,
    }.items():
        config = config.replace("{" + name + "}", value)
    (prefix / "nginx.conf").write_text(config)
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    process = PROCESSES.start(
        [nginx, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-e", str(log)],
        log=log,
    )
    stackserver.wait_until_answers(port, process, log, path="/", status=200, limit=15)
    return process, port
