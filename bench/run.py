"""`make bench`: how fast the production set-up serves the site on this machine.

It prints figures and never fails on slow ones; it exits non-zero only when it could not
measure at all (the site did not start, a tool is missing). Steps:

1. a throwaway SQLite database in a temp dir: migrate, seed content, collectstatic, then
   the real questionnaire driven over HTTP: completed runs (for result pages), open ones
   (for the answer POSTs) and one at its second question (for the step page);
2. gunicorn with config/gunicorn.conf.py, DEBUG off, on a free 127.0.0.1 port; the time
   from its start to the first 200;
3. wrk on nine pages (two in Spanish), the page cache's hit path timed in one process
   (bench/page_cache_timing.py), then two ceilings serving the article page's saved bytes:
   nginx as a static file, and bench/ceiling_app.py under the same gunicorn settings;
4. peak memory per gunicorn worker, sampled from /proc during the runs;
5. Lighthouse 12 in Debian's chromium, mobile and desktop, on three pages;
6. one table, the targets met or missed, and every process it started stopped.

Knobs (environment): BENCH_WORKERS, BENCH_DURATION, BENCH_WARMUP, BENCH_CONNECTIONS,
BENCH_THREADS, BENCH_SESSIONS, BENCH_LIGHTHOUSE=0 (skip it), BENCH_SWEEP="2 3 4" (also
measure the article, step, answer and result pages with each of those worker counts; about
a minute each; BENCH_SWEEP_ROUNDS, BENCH_SWEEP_SECONDS), BENCH_QUIET_WAIT /
BENCH_QUIET_BUDGET (how long to wait for other processes to quieten down before a page /
in all).
Results are kept in bench-results/ (summary.txt, summary.json, Lighthouse reports, logs).

The parts, in bench/: stackserver.py (the site's set-up, shared with the stack tests and
`make observatory`), servers.py, proxy.py (the article through deploy/nginx, with
siteproxy.py), readers.py, measure.py (wrk), cpu.py, memory.py,
sweep.py, lighthouse.py, report.py, processes.py, and knobs.py for the settings above.
"""

from __future__ import annotations

import argparse
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import stackserver
from cpu import wait_for_quiet
from knobs import BENCH_DIR, RESULTS, RUN_LIGHTHOUSE, SWEEP, THREADS, WORKERS, say
from lighthouse import LIGHTHOUSE, audit_pages
from measure import Page, Run, measure
from memory import MemorySampler
from processes import PROCESSES, subreaper
from proxy import measure_proxy, print_proxy
from readers import Browser, prepare_sessions, write_pool
from report import Figures, print_report
from servers import django_env, start_ceiling_app, start_gunicorn, start_nginx
from sweep import sweep_workers

# The seed's Spanish is loaded unpublished, waiting for a native speaker's review; the bench
# marks it published as an editor would, so that the Spanish pages it measures are Spanish.
PUBLISH_SPANISH = """
from advice.models import ArticleTranslation
from advice.releases import publish
from quiz.models import QuestionnaireTranslation
ArticleTranslation.objects.filter(language="es").update(is_published=True)
QuestionnaireTranslation.objects.filter(language="es").update(is_published=True)
publish(note="The seed's Spanish, for the bench")
"""


def app_pages(sessions: dict, work: Path) -> list[Page]:
    """The site's pages wrk measures; the first four are the ones BENCH_SWEEP measures again."""
    pool_file = work / "pool.tsv"
    return [
        Page("article /", "/"),
        Page(
            "questionnaire step GET",
            sessions["step"]["path"],
            headers=(f"Cookie: {sessions['step']['cookie']}",),
        ),
        Page(
            "answer POST (302)",
            "/",
            "answer_post.lua",
            env={"BENCH_POOL": str(pool_file), "BENCH_THREADS": str(THREADS)},
            before=lambda port: write_pool(sessions["pool"], pool_file, port),
        ),
        Page(
            "result page GET",
            "/",
            "rotate_get.lua",
            env={"BENCH_PATHS": str(work / "result-paths.txt")},
        ),
        Page("404 page", "/no-such-page/", "not_found.lua"),
        # The other public pages (issue 15): the same for every reader, like the article.
        Page("article list", "/articles/"),
        Page("questionnaire start", sessions["start"]),
        # Issue 12: a Spanish reader's article and result, beside the English ones.
        Page("article in Spanish /es/", "/es/"),
        Page(
            "result page GET in Spanish",
            "/",
            "rotate_get.lua",
            env={"BENCH_PATHS": str(work / "result-paths-es.txt")},
        ),
    ]


def benchmark_app(port: int, pid: int, pages: list[Page]) -> list[Run]:
    runs = []
    for page in pages:
        wait_for_quiet()
        runs.append(measure(page, port, pid))
    return runs


def time_page_cache(env: dict) -> list[str]:
    """The page cache's hit path in microseconds, in one process (bench/page_cache_timing.py)."""
    say("the page cache's hit path, in one process")
    wait_for_quiet()
    timing = subprocess.run(
        [sys.executable, str(BENCH_DIR / "page_cache_timing.py")],
        cwd=stackserver.ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return timing.stdout.splitlines()


def measure_ceilings(env: dict, work: Path, page_file: Path, logs: Path):
    """The article's bytes from nginx and from the ten-line WSGI app: (nginx run, WSGI run,
    the WSGI app's memory)."""
    say("ceilings: the same bytes from nginx (static file) and from a ten-line WSGI app")
    nginx, nginx_port = start_nginx(work, page_file, logs / "nginx.log")
    wait_for_quiet()
    nginx_run = measure(Page("ceiling: nginx static file", "/"), nginx_port, nginx.pid)
    PROCESSES.stop(nginx, signal.SIGQUIT)
    ceiling, port, _ = start_ceiling_app(env, page_file, WORKERS, logs / "gunicorn-ceiling.log")
    memory = MemorySampler(ceiling.pid)
    memory.start()
    wait_for_quiet()
    wsgi_run = measure(Page("ceiling: WSGI app, gunicorn", "/"), port, ceiling.pid)
    memory.stop()
    PROCESSES.stop(ceiling)
    return nginx_run, wsgi_run, memory


def run(work: Path, logs: Path, lighthouse_dir: Path) -> int:
    env = django_env(work)
    say(f"throwaway database in {work}: migrate, seed content, collectstatic")
    stackserver.prepare(env)
    stackserver.manage(env, "shell", "-c", PUBLISH_SPANISH)

    say(f"gunicorn, {WORKERS} workers, config/gunicorn.conf.py")
    app, port, startup = start_gunicorn("config.wsgi", env, WORKERS, logs / "gunicorn-app.log")
    say(f"first 200 after {startup:.2f} s")
    sessions = prepare_sessions(port, work)
    # /questionnaire/ leads to the front-page article's questionnaire's start page.
    sessions["start"] = Browser(port).request("GET", "/questionnaire/").location

    article = Browser(port).request("GET", "/").body.encode()
    page_file = work / "article.html"
    page_file.write_bytes(article)
    say(f"article page: {len(article):,} bytes saved for the ceilings")

    pages = app_pages(sessions, work)
    memory = MemorySampler(app.pid)
    memory.start()
    app_runs = benchmark_app(port, app.pid, pages)
    memory.stop()
    proxy_figures = measure_proxy(work, port, page_file, logs)

    # Lighthouse while the site is up and quiet.
    base = f"http://127.0.0.1:{port}"
    lighthouse = audit_pages(base, sessions, lighthouse_dir) if RUN_LIGHTHOUSE else {}
    PROCESSES.stop(app)
    cache_timing = time_page_cache(env)

    # Optional: the article, step, answer and result pages again with each of several worker
    # counts (the sessions are in the database, so the same cookies and result paths serve).
    sweep = sweep_workers(env, pages[:4], logs) if SWEEP else {}

    nginx_run, wsgi_run, ceiling_memory = measure_ceilings(env, work, page_file, logs)
    print_report(
        Figures(
            app_runs=app_runs,
            wsgi_run=wsgi_run,
            nginx_run=nginx_run,
            memory=memory,
            ceiling_memory=ceiling_memory,
            startup=startup,
            lighthouse=lighthouse,
            sweep=sweep,
            page_bytes=len(article),
            cache_timing=cache_timing,
        )
    )
    print_proxy(proxy_figures, app_runs[0], nginx_run)
    return 0


def missing_tool() -> str | None:
    for tool, hint in [("wrk", "apt-get install wrk"), ("nginx", "apt-get install nginx")]:
        if not (shutil.which(tool) or Path(f"/usr/sbin/{tool}").exists()):
            return f"{tool} is missing ({hint}; `make bench` installs it)"
    if RUN_LIGHTHOUSE and not LIGHTHOUSE.exists():
        return "lighthouse is missing (npm ci --prefix bench)"
    return None


def main() -> int:
    subreaper()
    if problem := missing_tool():
        print(f"bench: {problem}", file=sys.stderr)
        return 2

    RESULTS.mkdir(exist_ok=True)
    logs = RESULTS / "logs"
    lighthouse_dir = RESULTS / "lighthouse"
    for folder in (logs, lighthouse_dir):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()

    work = Path(tempfile.mkdtemp(prefix="pushing-away-bench-"))
    work.chmod(0o711)  # nginx's workers (nobody) must reach their html folder
    try:
        return run(work, logs, lighthouse_dir)
    except Exception:
        say("the bench could not finish; the servers' logs are in bench-results/logs/")
        raise
    finally:
        PROCESSES.stop_all()
        shutil.rmtree(work, ignore_errors=True)


def on_signal(signum, frame):
    say(f"signal {signum}: stopping everything the bench started")
    raise SystemExit(128 + signum)


if __name__ == "__main__":
    # No options: the knobs are environment variables (above), as `make bench` passes them.
    argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    ).parse_args()
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
