"""`make bench-lighthouse`: Lighthouse alone, in about three minutes.

The site set up as `make bench` sets it up (a throwaway SQLite database with the seed,
production settings, gunicorn; bench/servers.py), one reader at her second question and
one with a result (bench/readers.py), then Lighthouse on the article, that step and that
result, mobile and desktop (bench/lighthouse.py). No wrk, no ceilings. Prints the
Lighthouse lines of the bench's report; the reports stay in bench-results/lighthouse/.
"""

from __future__ import annotations

import shutil
import signal
import sys
import tempfile
from pathlib import Path

import stackserver
from knobs import RESULTS, WORKERS, say
from lighthouse import LIGHTHOUSE, audit_pages
from processes import PROCESSES, subreaper
from readers import complete_questionnaire, step_page
from report import lighthouse_lines
from servers import django_env, start_gunicorn


def audit(work: Path, out: Path, logs: Path) -> dict:
    env = django_env(work)
    say(f"throwaway database in {work}: migrate, seed content, collectstatic")
    stackserver.prepare(env)
    app, port, _ = start_gunicorn("config.wsgi", env, WORKERS, logs / "gunicorn-app.log")
    sessions = {"results": [complete_questionnaire(port, seed=0)], "step": step_page(port)}
    return audit_pages(f"http://127.0.0.1:{port}", sessions, out)


def main() -> int:
    subreaper()
    if not LIGHTHOUSE.exists():
        print("bench: lighthouse is missing (npm ci --prefix bench)", file=sys.stderr)
        return 2
    out, logs = RESULTS / "lighthouse", RESULTS / "logs"
    for folder in (out, logs):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
    work = Path(tempfile.mkdtemp(prefix="pushing-away-lighthouse-"))
    try:
        results = audit(work, out, logs)
    finally:
        PROCESSES.stop_all()
        shutil.rmtree(work, ignore_errors=True)
    text = "\n".join(lighthouse_lines(results, targets=[]))
    print(text, flush=True)
    (RESULTS / "lighthouse-summary.txt").write_text(text + "\n")
    return 0 if all(results.values()) else 1


def on_signal(signum, frame):
    say(f"signal {signum}: stopping everything this started")
    raise SystemExit(128 + signum)


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
