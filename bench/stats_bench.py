"""Editors' statistics at scale: a million anonymous sessions, on SQLite and PostgreSQL.

    .venv/bin/python bench/stats_bench.py            # both databases, 1,000,000 sessions
    .venv/bin/python bench/stats_bench.py --only sqlite --sessions 200000

For each database it makes a throwaway one (a temp-dir SQLite file; a PostgreSQL database
named stats_bench_<pid> on 127.0.0.1:5432, user postgres), migrates it, loads the shipped
article and questionnaire, then:

1. generates 100 sessions (`manage.py generate_sessions`, spread over 90 days) and times
   the public article page and a result page;
2. generates the rest up to --sessions (with their daily counts, as readers' steps keep
   them), runs ANALYZE (PostgreSQL: VACUUM ANALYZE, as autovacuum would in time) and a
   checkpoint, times the same two pages again, then the statistics page for the full
   range (every day with sessions) as a logged-in editor, first request and warm, with
   the time of each of its queries over the daily counts.

`make bench-stats` runs it with the defaults; `make bench-stats BENCH_STATS_ARGS="--only
sqlite --sessions 200000"` passes options.

Pages are requested through Django's test client in one process, with the production
settings (DEBUG off, local-memory cache). Every throwaway database is removed at the end.
The statistics page is measured without its 20-second budget, so the real time shows even
where the site would stop and ask for fewer days. Figures only; it never fails on slow ones.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics as stats
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
DAYS = 90
SEED = 20261124
PAGE_RUNS = 30


# --- The parent: throwaway databases, one child process each --------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=1_000_000)
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args.child, args.sessions)

    work = Path(tempfile.mkdtemp(prefix="stats-bench-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_LOG_LEVEL": "WARNING",
        "DJANGO_STATIC_ROOT": str(work / "static"),
        "PYTHONPATH": str(ROOT),
    }
    env.pop("REDIS_URL", None)
    results = {}
    try:
        run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], env)
        if args.only in (None, "sqlite"):
            sqlite_env = {**env, "SQLITE_PATH": str(work / "bench.sqlite3")}
            sqlite_env.pop("DATABASE_URL", None)
            results["SQLite"] = measure_in_child("sqlite", args.sessions, sqlite_env)
        if args.only in (None, "postgresql"):
            name = f"stats_bench_{os.getpid()}"
            postgres(f'CREATE DATABASE "{name}"')
            try:
                pg_env = {**env, "DATABASE_URL": f"{PG_SERVER}/{name}"}
                results["PostgreSQL"] = measure_in_child("postgresql", args.sessions, pg_env)
            finally:
                postgres(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report(results, args.sessions)
    return 0


def run(command: list[str], env: dict) -> None:
    subprocess.run(command, cwd=ROOT, env=env, check=True)


def postgres(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def measure_in_child(label: str, sessions: int, env: dict) -> dict:
    print(f"\n== {label} ==", file=sys.stderr, flush=True)
    command = [PYTHON, __file__, "--child", label, "--sessions", str(sessions)]
    done = subprocess.run(command, cwd=ROOT, env=env, check=True, stdout=subprocess.PIPE)
    return json.loads(done.stdout.decode().strip().splitlines()[-1])


def report(results: dict, sessions: int) -> None:
    names = list(results)
    line = "-" * (44 + 22 * len(names))
    print(f"\n{line}\n{'':44}" + "".join(f"{n:>22}" for n in names) + f"\n{line}")

    def row(label: str, value) -> None:
        print(f"{label:44}" + "".join(f"{value(results[n]):>22}" for n in names))

    row(f"generate {sessions:,} sessions", lambda r: f"{r['generate_seconds']:.0f} s")
    row("  of them completed", lambda r: f"{r['completed']:,}")
    row(
        "  answers / chosen answers",
        lambda r: f"{r['answers'] / 1e6:.1f}M / {r['chosen'] / 1e6:.1f}M",
    )
    row("  daily count rows", lambda r: f"{r['daily_counts']:,}")
    for page in ("article", "result"):
        for size in ("small", "large"):
            count = 100 if size == "small" else sessions
            row(
                f"{page} page, {count:,} sessions (median)",
                lambda r, p=page, s=size: f"{r[s][p] * 1000:.1f} ms",
            )
    row(
        "statistics page, full range: first request",
        lambda r: f"{r['statistics']['first'] * 1000:,.0f} ms",
    )
    row(
        "statistics page, full range: warm (median)",
        lambda r: f"{r['statistics']['warm'] * 1000:,.0f} ms",
    )
    for query in ("daily counts per day", "daily counts over the range", "other"):
        row(
            f"  {query}",
            lambda r, q=query: f"{r['statistics']['queries'].get(q, 0) * 1000:,.0f} ms",
        )
    row("  days in the range", lambda r: str(r["statistics"]["days"]))
    row("  status (with the 20 s budget)", lambda r: r["statistics"]["status_with_budget"])
    print(line)
    for name, r in results.items():
        page_ok = all(r["large"][p] <= 1.25 * r["small"][p] + 0.002 for p in ("article", "result"))
        print(
            f"{name}: statistics under 1 s: {'met' if r['statistics']['warm'] < 1 else 'MISSED'}; "
            f"article and result pages as fast with {sessions:,} sessions as with 100: "
            f"{'met' if page_ok else 'MISSED'}"
        )


# --- The child: one database, configured through the environment ---------------------------


def log(message: str) -> None:
    print(f"  {time.strftime('%H:%M:%S')} {message}", file=sys.stderr, flush=True)


def child(label: str, sessions: int) -> int:
    import django

    django.setup()
    from django.core.management import call_command

    log("migrate, seed content")
    call_command("migrate", verbosity=0)
    call_command("load_seed_content", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115

    result = {}
    log("generate 100 sessions")
    generate(100)
    analyze()
    result["small"] = time_pages()
    log_pages(result["small"])

    log(f"generate {sessions - 100:,} more sessions")
    started = time.monotonic()
    generate(sessions - 100)
    result["generate_seconds"] = time.monotonic() - started
    log(f"generated in {result['generate_seconds']:.0f} s; ANALYZE")
    analyze()
    result.update(volumes())
    result["large"] = time_pages()
    log_pages(result["large"])
    result["statistics"] = time_statistics()
    timing = result["statistics"]
    log(f"statistics: first {timing['first']:.2f} s, warm {timing['warm']:.2f} s")
    print(json.dumps(result))
    return 0


def log_pages(timing: dict) -> None:
    log(f"article {timing['article'] * 1000:.1f} ms, result {timing['result'] * 1000:.1f} ms")


def generate(count: int) -> None:
    from django.core.management import call_command

    call_command(
        "generate_sessions",
        count=count,
        days=DAYS,
        seed=SEED + count,
        not_production=True,
        verbosity=0,
        stdout=open(os.devnull, "w"),  # noqa: SIM115
    )


def analyze() -> None:
    """Statistics for the planner, and the freshly written gigabytes flushed, so the timings
    do not compete with a background checkpoint (as they would not in steady use)."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")
            cursor.execute("CHECKPOINT")
        else:
            cursor.execute("ANALYZE")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def volumes() -> dict:
    from quiz.models import Answer, DailyCount, QuizSession

    return {
        "completed": QuizSession.objects.filter(completed_at__isnull=False).count(),
        "answers": Answer.objects.count(),
        "chosen": Answer.choices.through.objects.count(),
        "daily_counts": DailyCount.objects.count(),
    }


def median_time(client, url: str, runs: int = PAGE_RUNS) -> float:
    for _ in range(10):  # warm: caches, connections, the OS's file cache
        assert client.get(url).status_code == 200, url
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    return stats.median(times)


def time_pages() -> dict:
    from django.test import Client

    from advice.models import Article
    from quiz.models import QuizSession

    client = Client(HTTP_HOST="localhost")
    article = Article.objects.get(is_home=True).get_absolute_url()
    # A completed session near the middle of the table, found by its index.
    middle = QuizSession.objects.order_by("-pk").values_list("pk", flat=True).first() // 2
    token = (
        QuizSession.objects.filter(pk__gte=middle, completed_at__isnull=False)
        .order_by("pk")
        .values_list("token", flat=True)
        .first()
    )
    return {
        "article": median_time(client, article),
        "result": median_time(client, f"/results/{token}/"),
    }


def time_statistics() -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.db.models import Min
    from django.test import Client
    from django.utils import timezone

    from quiz import statistics
    from quiz.models import Questionnaire, QuizSession

    editor = get_user_model().objects.create_superuser("bench", "bench@example.org", "x" * 20)
    client = Client(HTTP_HOST="localhost")
    client.force_login(editor)
    questionnaire = Questionnaire.objects.get()
    first = timezone.localdate(QuizSession.objects.aggregate(Min("started_at"))["started_at__min"])
    last = timezone.localdate()
    url = f"/admin/quiz/questionnaire/{questionnaire.pk}/statistics/?from={first}&to={last}"

    budget = statistics.TIME_BUDGET_SECONDS
    statistics.TIME_BUDGET_SECONDS = 3600.0  # the real time, not the page's 20 s limit
    queries: dict[str, list[float]] = {}

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            queries.setdefault(kind_of(sql), []).append(time.perf_counter() - started)

    runs = []
    with connection.execute_wrapper(timed):
        for _ in range(3):
            started = time.perf_counter()
            response = client.get(url)
            runs.append(time.perf_counter() - started)
            assert response.status_code == 200, response.status_code
    statistics.TIME_BUDGET_SECONDS = budget
    status = 200 if max(runs[1:]) < budget else 503
    return {
        "first": runs[0],
        "warm": stats.median(runs[1:]),
        "days": (last - first).days + 1,
        "queries": {kind: stats.median(times[1:]) for kind, times in queries.items()},
        "status_with_budget": f"{status}" + (" (asks for fewer days)" if status == 503 else ""),
    }


def kind_of(sql: str) -> str:
    if "quiz_dailycount" in sql:
        selected = sql.split(" FROM ", 1)[0]
        return "daily counts over the range" if '"key"' in selected else "daily counts per day"
    return "other"


if __name__ == "__main__":
    sys.exit(main())
